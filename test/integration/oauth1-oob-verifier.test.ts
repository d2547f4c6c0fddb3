import { OAuth as NodeOAuth } from 'oauth';
import { Browser, authorizeInBrowser, callbackParameters, parseFormBody, readVerifier, startOAuth1Gateway, type ConsumerCredentials, type OAuth1Gateway } from '../helpers/oauth1';
import { OOB_VERIFIER_ALPHABET } from '../../src/oauth1/oob-verifier';
import { OOB_VERIFIER_ATTEMPTS } from '../../src/oauth1/verifier-attempts';

// The oob verifier a person types: eight characters in two groups, accepted in any case with or
// without the dash, and only OOB_VERIFIER_ATTEMPTS tries per request token. The consumer is
// node-oauth (the `oauth` package) over real HTTP; the user's side is the HTML forms.

const alice = { username: 'alice', password: 'alice-password-1' };
let gw: OAuth1Gateway;
let consumer: ConsumerCredentials;

beforeAll(async () => {
  gw = await startOAuth1Gateway();
  await gw.fixtures.user(alice.username, alice.password);
  consumer = await gw.consumer({ name: 'Desktop Tool' });
});
afterAll(() => gw.close());

function nodeOAuth(callback: string): NodeOAuth {
  const oa = new NodeOAuth(`${gw.url}/oauth/request_token`, `${gw.url}/oauth/access_token`, consumer.key, consumer.secret, '1.0', callback, 'HMAC-SHA1');
  // The gateway runs on the test's clock; node-oauth stamps with the wall clock unless told.
  (oa as unknown as { _getTimestamp: () => number })._getTimestamp = () => Math.floor(gw.clock() / 1000);
  return oa;
}

interface RequestToken {
  token: string;
  secret: string;
}

function requestToken(oa: NodeOAuth): Promise<RequestToken> {
  return new Promise((resolve, reject) =>
    oa.getOAuthRequestToken((err, token, secret) => {
      if (err) return reject(new Error(JSON.stringify(err)));
      gw.remember(token, secret);
      resolve({ token, secret });
    }),
  );
}

type Exchange = { ok: true; token: string } | { ok: false; status: number; problem: Record<string, string> };

function accessToken(oa: NodeOAuth, rt: RequestToken, verifier: string): Promise<Exchange> {
  return new Promise((resolve) =>
    oa.getOAuthAccessToken(rt.token, rt.secret, verifier, (err, token, secret) => {
      if (err) {
        const { statusCode, data } = err as { statusCode: number; data?: string };
        return resolve({ ok: false, status: statusCode, problem: parseFormBody(String(data ?? '')) });
      }
      gw.remember(token, secret);
      resolve({ ok: true, token });
    }),
  );
}

/** Signs in and allows in the HTML forms; the verifier the oob page shows. */
async function allowOob(rt: RequestToken): Promise<string> {
  const { answer } = await authorizeInBrowser(new Browser(gw.url), `${gw.url}/oauth/user_auth?oauth_token=${encodeURIComponent(rt.token)}`, alice);
  expect(answer.status).toBe(200);
  const verifier = readVerifier(answer.text);
  gw.remember(verifier, verifier.replace('-', ''));
  return verifier;
}

/** A verifier of the right shape that is not this one. */
function wrongVerifier(right: string): string {
  const first = right[0] === 'B' ? 'C' : 'B';
  return first + right.slice(1);
}

test('the oob page shows eight characters of the unambiguous alphabet in two groups of four', async () => {
  const verifier = await allowOob(await requestToken(nodeOAuth('oob')));
  expect(verifier).toMatch(new RegExp(`^[${OOB_VERIFIER_ALPHABET}]{4}-[${OOB_VERIFIER_ALPHABET}]{4}$`));
});

test('the verifier is accepted in lower case and without the dash', async () => {
  const oa = nodeOAuth('oob');
  const rt = await requestToken(oa);
  const verifier = await allowOob(rt);
  const typed = ` ${verifier.replace('-', '').toLowerCase()} `;
  expect(await accessToken(oa, rt, typed)).toEqual({ ok: true, token: expect.any(String) });
});

test(`${OOB_VERIFIER_ATTEMPTS - 1} wrong verifiers leave the request token usable with the right one`, async () => {
  const oa = nodeOAuth('oob');
  const rt = await requestToken(oa);
  const verifier = await allowOob(rt);
  for (let i = 0; i < OOB_VERIFIER_ATTEMPTS - 1; i++) {
    const wrong = await accessToken(oa, rt, wrongVerifier(verifier));
    expect(wrong).toEqual({ ok: false, status: 401, problem: expect.objectContaining({ oauth_problem: 'verifier_invalid' }) });
  }
  expect((await accessToken(oa, rt, verifier)).ok).toBe(true);
});

test(`the ${OOB_VERIFIER_ATTEMPTS}th wrong verifier spends the request token: the right one is refused after it`, async () => {
  const oa = nodeOAuth('oob');
  const rt = await requestToken(oa);
  const verifier = await allowOob(rt);
  const answers: Exchange[] = [];
  for (let i = 0; i < OOB_VERIFIER_ATTEMPTS; i++) answers.push(await accessToken(oa, rt, wrongVerifier(verifier)));
  expect(answers.every((a) => !a.ok && a.problem.oauth_problem === 'verifier_invalid')).toBe(true);
  const last = answers[OOB_VERIFIER_ATTEMPTS - 1];
  expect(!last.ok && last.problem.oauth_problem_advice).toMatch(/Too many wrong verifiers/);

  const afterwards = await accessToken(oa, rt, verifier);
  expect(afterwards.ok).toBe(false);
  expect(!afterwards.ok && afterwards.problem.oauth_problem).toBe('token_used');
});

test('parallel guesses are all counted: of many at once, no more than the limit are compared', async () => {
  const oa = nodeOAuth('oob');
  const rt = await requestToken(oa);
  const verifier = await allowOob(rt);
  const guesses = await Promise.all(Array.from({ length: OOB_VERIFIER_ATTEMPTS * 2 }, () => accessToken(oa, rt, wrongVerifier(verifier))));
  expect(guesses.every((g) => !g.ok)).toBe(true);
  expect((await accessToken(oa, rt, verifier)).ok).toBe(false);
});

test('a verifier that travels in a callback URL stays a full-length token', async () => {
  const callback = 'https://consumer.example/cb';
  const rt = await requestToken(nodeOAuth(callback));
  const { answer } = await authorizeInBrowser(new Browser(gw.url), `${gw.url}/oauth/user_auth?oauth_token=${encodeURIComponent(rt.token)}`, alice);
  const verifier = callbackParameters(answer.location as string).get('oauth_verifier') as string;
  gw.remember(verifier);
  expect(verifier.length).toBeGreaterThanOrEqual(43);
});

test('no verifier, token or secret reaches the logs', () => {
  expect(gw.leakedSecrets()).toEqual([]);
});
