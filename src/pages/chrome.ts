import type { Context, Next } from '../http/context';
import type { GatewayConfig } from '../config';
import { pageBranding } from './branding';
import type { BrandAssets } from './brand-assets';
import type { PageChrome } from './templates/layout';

/**
 * Puts the pages' frame (the configured branding) on every request, so sendPage and the error page
 * renderer draw the same header and footer without each flow passing the configuration along.
 */
export function pageChrome(config: Pick<GatewayConfig, 'branding'>, brand: BrandAssets) {
  const chrome: PageChrome = {
    branding: pageBranding(config, { logoHref: brand.logo?.href ?? null, brandStylesheetHref: brand.accent?.href ?? null }),
  };
  return async function pageChrome(ctx: Context, next: Next): Promise<void> {
    ctx.state.pageChrome = chrome;
    await next();
  };
}
