import { z } from 'zod';
import { httpUrl } from './urls';

// What the gateway's pages say and look like: scope descriptions (`scopes`) and branding (`branding`).

/** A language tag as Accept-Language names one (`en`, `pt-BR`), or `default`. */
const languageTag = z.string().regex(/^(default|[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*)$/, 'must be a language tag such as "en" or "pt-BR", or "default"');

/**
 * What a scope lets an application do, in words the user reads on the consent page: one sentence, or
 * one per language (chosen by Accept-Language) with `default` for every other language.
 */
const scopeDescription = z.union([
  z.string().min(1).max(200),
  z
    .record(languageTag, z.string().min(1).max(200))
    .refine((m) => typeof m.default === 'string', 'a per-language description needs a "default" entry'),
]);

export const scopesSchema = z.record(z.string().regex(/^[\x21\x23-\x5B\x5D-\x7E]+$/, 'must be a scope name (RFC 6749 section 3.3)'), scopeDescription).default({});

/** The relative luminance of WCAG 2.x, for the contrast rule below. */
function luminance(hex: string): number {
  const channel = (i: number) => {
    const c = parseInt(hex.slice(1 + 2 * i, 3 + 2 * i), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(0) + 0.7152 * channel(1) + 0.0722 * channel(2);
}

/** WCAG contrast ratio of two #rrggbb colours. */
export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

// The accent colours links and buttons (white text on it) on white cards: WCAG AA for normal text.
const accentColour = z
  .string()
  .regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour written #rrggbb')
  .transform((v) => v.toLowerCase())
  .refine((v) => contrastRatio(v, '#ffffff') >= 4.5, 'must contrast at least 4.5:1 with white (links on the white card, white text on buttons); pick a darker colour');

// A footer link goes to a page of the operator's (an absolute http(s) URL) or of the gateway (a path).
const linkTarget = z.union([httpUrl, z.string().regex(/^\/(?!\/)[^\s\\]*$/, 'must be an absolute http(s) URL or a path starting with /')]);

export const brandingSchema = z
  .strictObject({
    // In the page header and every title; null: "Account sign-in".
    productName: z.string().min(1).max(80).nullable().default(null),
    // An image file (png, jpeg, gif, webp or svg) the gateway serves at /assets/logo; resolved
    // against the working directory when relative.
    logoFile: z
      .string()
      .regex(/\.(png|jpe?g|gif|webp|svg)$/i, 'must name a .png, .jpg, .jpeg, .gif, .webp or .svg file')
      .nullable()
      .default(null),
    accentColour: accentColour.nullable().default(null),
    footerLinks: z.array(z.strictObject({ text: z.string().min(1).max(80), href: linkTarget })).max(8).default([]),
    // Where an error page's "way back" goes when the browser has no page to go back to.
    homeUrl: linkTarget.default('/login'),
  })
  .prefault({});

export type ScopesConfig = z.infer<typeof scopesSchema>;
export type BrandingConfig = z.infer<typeof brandingSchema>;
