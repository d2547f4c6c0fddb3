/**
 * Whether a browser origin may call the API, with the ClearPass "Allowed Origins" semantics: one
 * origin per entry, `*` for every origin, `*.example.com` for any subdomain of example.com at any
 * depth (but not example.com itself), and an empty list for never. A wildcard entry may carry a
 * scheme (`https://*.example.com`) to admit only that scheme; without one it admits http and https
 * on any port. The opaque origin `null` (sandboxed frames, file: pages) is never admitted.
 */
export function originAllowed(origin: string | undefined, allowedOrigins: readonly string[]): boolean {
  if (!origin || allowedOrigins.length === 0) return false;
  const parsed = parseOrigin(origin);
  if (!parsed) return false;
  return allowedOrigins.some((entry) => entryMatches(entry.trim(), parsed));
}

interface ParsedOrigin {
  /** Serialized as the browser would: scheme://host[:port], lower case. */
  serialized: string;
  scheme: string;
  hostname: string;
}

function parseOrigin(origin: string): ParsedOrigin | null {
  if (origin === 'null') return null;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  // An Origin header is exactly scheme://host[:port]: anything more is not an origin.
  if (url.origin !== origin.toLowerCase().replace(/\/$/, '')) return null;
  return { serialized: url.origin, scheme: url.protocol.slice(0, -1), hostname: url.hostname };
}

function entryMatches(entry: string, origin: ParsedOrigin): boolean {
  if (entry === '*') return true;
  const wildcard = /^(?:(https?):\/\/)?\*(\.[^/:*]+)\/?$/i.exec(entry);
  if (wildcard) {
    const [, scheme, suffix] = wildcard;
    if (scheme && scheme.toLowerCase() !== origin.scheme) return false;
    const s = suffix.toLowerCase();
    return origin.hostname.length > s.length && origin.hostname.endsWith(s);
  }
  try {
    return new URL(entry).origin === origin.serialized;
  } catch {
    return false;
  }
}
