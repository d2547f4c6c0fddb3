import type { IncomingHttpHeaders } from 'node:http';

// The headers a proxy must not pass on (RFC 9110 section 7.6.1), shared by the baseline and the Koa floor.
const hop = new Set(['connection', 'keep-alive', 'transfer-encoding', 'host', 'upgrade', 'te', 'trailer', 'proxy-connection']);

export function endToEnd(headers: IncomingHttpHeaders | Record<string, string | string[] | undefined>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const name in headers) {
    const value = headers[name];
    if (value !== undefined && !hop.has(name)) out[name] = value;
  }
  return out;
}
