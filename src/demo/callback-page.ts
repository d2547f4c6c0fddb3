// The demo client's redirect URI (/demo/callback), served by the demo backend behind the gateway: it
// shows what arrived (the authorization code, or the error) and the curl that exchanges the code, so
// the code flow can be walked through in a browser with nothing else running.

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

/** Quoted for a POSIX shell: the values came from a URL anyone could have crafted. */
const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

export const DEMO_CALLBACK_PATH = '/demo/callback';
export const DEMO_CLIENT_ID = 'demo-client';

/** The page for one arrival at the callback; `base` is the gateway's public URL (null until it listens). */
export function demoCallbackPage(query: URLSearchParams, base: string | null): string {
  const gateway = base ?? 'http://GATEWAY';
  const code = query.get('code');
  const error = query.get('error');
  const state = query.get('state');
  const body = code
    ? `<p>The gateway sent this authorization code (it works once, for ten minutes at most):</p>
<pre>${escape(code)}</pre>
${state !== null ? `<p>state: <code>${escape(state)}</code></p>` : ''}
<p>Exchange it for tokens as the demo client (the client secret was printed once, when the demo started):</p>
<pre>${escape(
        [
          `curl -s -u '${DEMO_CLIENT_ID}:CLIENT_SECRET' ${gateway}/oauth2/token \\`,
          `  -d grant_type=authorization_code -d code=${shellQuote(code)} \\`,
          `  --data-urlencode redirect_uri=${gateway}${DEMO_CALLBACK_PATH}`,
        ].join('\n'),
      )}</pre>
<p>Then call the demo API with the access_token from the answer:</p>
<pre>${escape(`curl -s ${gateway}/api/posts -H 'Authorization: Bearer ACCESS_TOKEN'`)}</pre>`
    : error
      ? `<p>The gateway answered with an error: <code>${escape(error)}</code></p>
${query.get('error_description') ? `<p>${escape(query.get('error_description') as string)}</p>` : ''}`
      : '<p>Nothing arrived: this page is where the gateway sends the browser back with an authorization code.</p>';
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Demo client callback</title></head>
<body>
<main>
<h1>Demo client callback</h1>
${body}
</main>
</body>
</html>
`;
}

/** Headers of the callback page: the code is in its URL, so it goes nowhere else and is not kept. */
export const demoCallbackHeaders = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
};
