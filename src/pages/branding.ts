import type { GatewayConfig } from '../config';

/** What every page's header and footer show (config `branding`), ready for the layout. */
export interface PageBranding {
  /** The header's name and every title's suffix; null: the generic "Account sign-in". */
  productName: string | null;
  /** The logo's URL on the gateway (assets.ts), or null. */
  logoHref: string | null;
  /** The extra stylesheet that sets the accent colour, or null. */
  brandStylesheetHref: string | null;
  footerLinks: ReadonlyArray<{ text: string; href: string }>;
  /** Where an error page's way back leads when the browser has no page to go back to. */
  homeUrl: string;
}

export const defaultBranding: PageBranding = {
  productName: null,
  logoHref: null,
  brandStylesheetHref: null,
  footerLinks: [],
  homeUrl: '/login',
};

/** The branding of the configuration, with the asset URLs the pages router serves (assets.ts). */
export function pageBranding(
  config: Pick<GatewayConfig, 'branding'>,
  assets: { logoHref: string | null; brandStylesheetHref: string | null },
): PageBranding {
  const { productName, footerLinks, homeUrl } = config.branding;
  return { productName, footerLinks, homeUrl, ...assets };
}
