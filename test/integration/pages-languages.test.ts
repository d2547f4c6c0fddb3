import { startTestGateway, type TestGateway } from '../helpers/gateway';
import { Browser, readForm } from '../helpers/oauth1';

// Issue 19 item 7 over HTTP: the pages speak English, German or French by Accept-Language (English
// for any other), say so in <html lang>, and every page answer carries Vary: Accept-Language so a
// cache between the gateway and the browser keeps one copy per language.

const alice = { username: 'alice', password: 'alice-password-1' };
let gw: TestGateway;

beforeAll(async () => {
  gw = await startTestGateway();
  await gw.fixtures.user(alice.username, alice.password);
  await gw.fixtures.client({ id: 'web', name: 'Photo App', grants: 'authorization_code', redirectUris: ['https://app.example/cb'], scopes: 'openid,email' });
});

afterAll(async () => {
  await gw?.close();
});

const varies = (headers: Headers) => (headers.get('vary') ?? '').split(',').map((v) => v.trim().toLowerCase());

test.each([
  ['de-DE,de;q=0.9,en;q=0.4', 'de', 'Anmelden', '<label for="password">Passwort</label>'],
  ['fr-CA,fr;q=0.9', 'fr', 'Se connecter', '<label for="password">Mot de passe</label>'],
  ['ja,ko;q=0.5', 'en', 'Sign in', '<label for="password">Password</label>'],
])('the login page for Accept-Language %s is in %s', async (header, lang, heading, label) => {
  const res = await gw.request('/login', { headers: { 'accept-language': header } });
  expect(res.status).toBe(200);
  expect(res.text).toContain(`<html lang="${lang}">`);
  expect(res.text).toContain(`<h1>${heading}</h1>`);
  expect(res.text).toContain(label);
  expect(varies(res.headers)).toContain('accept-language');
});

test('a failed sign-in answers in the language of the browser', async () => {
  const browser = new Browser(gw.url);
  const page = await browser.get('/login', { 'accept-language': 'de' });
  const form = readForm(page.text);
  const failed = await browser.post(form.action, { ...form.fields, username: 'alice', password: 'wrong-password' }, { 'accept-language': 'de' });
  expect(failed.text).toContain('Benutzername oder Passwort ist falsch.');
  expect(failed.text).not.toContain('Wrong username or password.');
});

test('the 404 page for a French browser is in French and varies on the language; an API client keeps its JSON', async () => {
  const page = await gw.request('/no/such/page', { headers: { accept: 'text/html', 'accept-language': 'fr' } });
  expect(page.status).toBe(404);
  expect(page.text).toContain('<html lang="fr">');
  expect(page.text).toContain('<h1>Page introuvable</h1>');
  expect(page.text).toContain('Retour</a>');
  expect(varies(page.headers)).toContain('accept-language');
  const api = await gw.request('/no/such/page', { headers: { accept: 'application/json', 'accept-language': 'fr' } });
  expect(api.json.error).toBe('not_found');
});

test("a flow's refusal on a page is said in German, sentence by sentence", async () => {
  const res = await gw.request('/oauth2/authorize?response_type=code&redirect_uri=https%3A%2F%2Fapp.example%2Fcb', { headers: { accept: 'text/html', 'accept-language': 'de' } });
  expect(res.status).toBe(400);
  expect(res.text).toContain('Die Anfrage sagt nicht, welche Anwendung fragt. Kehren Sie zur Anwendung zurück und versuchen Sie es noch einmal.');
  expect(varies(res.headers)).toContain('accept-language');
});

test('the consent page in French: the question, the built-in scope words, the duration', async () => {
  const browser = new Browser(gw.url);
  const fr = { 'accept-language': 'fr' };
  const params = new URLSearchParams({ client_id: 'web', response_type: 'code', redirect_uri: 'https://app.example/cb', scope: 'openid email', state: 's', code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', code_challenge_method: 'S256' });
  const login = await browser.get(`/oauth2/authorize?${params}`, fr);
  const form = readForm(login.text);
  const signedIn = await browser.post(form.action, { ...form.fields, ...alice }, fr);
  expect(signedIn.status).toBe(303);
  const consent = await browser.get(signedIn.location!, fr);
  expect(consent.status).toBe(200);
  expect(consent.text).toContain('<html lang="fr">');
  expect(consent.text).toContain('Autoriser <span class="app">Photo App</span> à utiliser votre compte ?');
  expect(consent.text).toContain('Votre adresse e-mail');
  expect(consent.text).toContain('L’accès dure');
  expect(consent.text).toContain('>Refuser</button>');
});

test('the account page in German: lang attribute, headings and the frame', async () => {
  const browser = new Browser(gw.url);
  const de = { 'accept-language': 'de' };
  const login = await browser.get('/account', de);
  const form = readForm(login.text);
  const signedIn = await browser.post(form.action, { ...form.fields, ...alice }, de);
  expect(signedIn.status).toBe(303);
  const account = await browser.get('/account', de);
  expect(account.status).toBe(200);
  expect(account.text).toContain('<html lang="de">');
  expect(account.text).toContain('<h1>Ihr Konto</h1>');
  expect(account.text).toContain('Andere Sitzungen abmelden');
  expect(account.text).toContain('Angemeldet als <strong>alice</strong>');
  expect(varies(account.headers)).toContain('accept-language');
});
