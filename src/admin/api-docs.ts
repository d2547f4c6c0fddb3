import fs from 'node:fs';
import path from 'node:path';
import type { Context } from '../http/context';
import { ADMIN_API_BASE } from './operation';

export const API_DOCS_PATH = '/api-docs';

// Swagger UI from the swagger-ui-dist package, served by the gateway itself (no CDN). Its page is
// ours: no inline script, so the policy below allows scripts from this origin only; Swagger UI
// sets style attributes, hence 'unsafe-inline' for styles alone.
const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

const page = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>oauth-gateway admin API</title>
<link rel="stylesheet" href="${API_DOCS_PATH}/swagger-ui.css">
</head>
<body>
<main id="swagger-ui"></main>
<script src="${API_DOCS_PATH}/swagger-ui-bundle.js"></script>
<script src="${API_DOCS_PATH}/init.js"></script>
</body>
</html>
`;

const init = `window.addEventListener('load', function () {
  window.ui = SwaggerUIBundle({ url: '${ADMIN_API_BASE}/openapi.json', dom_id: '#swagger-ui', deepLinking: true });
});
`;

function distDir(): string {
  return path.dirname(require.resolve('swagger-ui-dist/package.json'));
}

/** The explorer's paths and how each is served (the files are read once, when the app is built). */
export function apiDocs(): Array<[string, (ctx: Context) => Promise<void>]> {
  // The package's files are read at the first request for them, then kept (this app's lifetime).
  const fromDist = (name: string) => {
    let bytes: Buffer | undefined;
    return () => (bytes ??= fs.readFileSync(path.join(distDir(), name)));
  };
  const files: Array<[string, string, () => string | Buffer]> = [
    [API_DOCS_PATH, 'text/html; charset=utf-8', () => page],
    [`${API_DOCS_PATH}/init.js`, 'application/javascript; charset=utf-8', () => init],
    [`${API_DOCS_PATH}/swagger-ui.css`, 'text/css; charset=utf-8', fromDist('swagger-ui.css')],
    [`${API_DOCS_PATH}/swagger-ui-bundle.js`, 'application/javascript; charset=utf-8', fromDist('swagger-ui-bundle.js')],
  ];
  return files.map(([filePath, type, body]) => [
    filePath,
    async (ctx: Context) => {
      ctx.set('Content-Security-Policy', CSP);
      ctx.set('Cache-Control', 'no-cache');
      ctx.type = type;
      ctx.body = body();
    },
  ]);
}
