import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { GatewayConfig } from '../config';

/** A file the pages router serves with a year-long cache: its URL carries the digest of its content. */
export interface Asset {
  path: string;
  href: string;
  etag: string;
  type: string;
  body: Buffer;
}

function asset(assetPath: string, type: string, body: Buffer): Asset {
  const version = createHash('sha256').update(body).digest('base64url').slice(0, 12);
  return { path: assetPath, href: `${assetPath}?v=${version}`, etag: `"${version}"`, type, body };
}

const imageTypes: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.svg': 'image/svg+xml',
};

/** The configured logo, read once when the gateway starts (a missing file stops the start, clearly). */
function logoAsset(file: string): Asset {
  let body: Buffer;
  try {
    body = fs.readFileSync(file);
  } catch (err) {
    throw new Error(`branding.logoFile: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  if (body.length > 512 * 1024) throw new Error(`branding.logoFile: ${file} is larger than 512 KiB`);
  return asset('/assets/logo', imageTypes[path.extname(file).toLowerCase()], body);
}

/**
 * The accent colour as a stylesheet of its own (the CSP allows no inline style). Dark mode keeps
 * its own light accent: the configured one is checked against the light theme's white card.
 */
function accentAsset(colour: string): Asset {
  const css = `@media not all and (prefers-color-scheme: dark) { :root { --accent: ${colour}; } }\n`;
  return asset('/assets/brand.css', 'text/css; charset=utf-8', Buffer.from(css, 'utf8'));
}

export interface BrandAssets {
  logo: Asset | null;
  accent: Asset | null;
}

export function brandAssets(config: Pick<GatewayConfig, 'branding'>): BrandAssets {
  const { logoFile, accentColour } = config.branding;
  return { logo: logoFile ? logoAsset(logoFile) : null, accent: accentColour ? accentAsset(accentColour) : null };
}
