import type { Context, Next } from '../http/context';
import type { GatewayConfig } from '../config';
import { pageBranding } from './branding';
import type { BrandAssets } from './brand-assets';
import type { PageBranding } from './branding';
import type { PageChrome } from './templates/layout';
import { pageLanguage, pageWords, type PageWords } from './words';

/** One request's frame: the language is read from Accept-Language only when a page is drawn. */
class RequestChrome implements PageChrome {
  private chosen: PageWords | undefined;
  constructor(
    readonly branding: PageBranding,
    private readonly ctx: Context,
  ) {}
  get words(): PageWords {
    return (this.chosen ??= pageWords(pageLanguage(this.ctx)));
  }
}

/**
 * Puts the pages' frame (the configured branding, the browser's language) on every request, so
 * sendPage and the error page renderer draw the same header and footer in the same language
 * without each flow passing the configuration along.
 */
export function pageChrome(config: Pick<GatewayConfig, 'branding'>, brand: BrandAssets) {
  const branding = pageBranding(config, { logoHref: brand.logo?.href ?? null, brandStylesheetHref: brand.accent?.href ?? null });
  return async function pageChrome(ctx: Context, next: Next): Promise<void> {
    ctx.state.pageChrome = new RequestChrome(branding, ctx);
    await next();
  };
}
