import type { Context } from '../../http/context';
import { english } from './en';
import { german } from './de';
import { french } from './fr';
import { pageLanguages, type PageLanguage, type PageWords } from './types';

export { english, englishDuration } from './en';
export { pageLanguages, type PageLanguage, type PageWords, type RenewalWords } from './types';

const byLanguage: Readonly<Record<PageLanguage, PageWords>> = { en: english, de: german, fr: french };

/**
 * The language of the pages for this browser: the best of en, de, fr by Accept-Language (q-values,
 * and a region such as de-CH falls to its language), English when it names none of them. Every
 * answer that depends on it says `Vary: Accept-Language` (respond.ts, http/render/html-page.ts).
 */
export function pageLanguage(ctx: Pick<Context, 'acceptsLanguages'>): PageLanguage {
  const chosen = ctx.acceptsLanguages([...pageLanguages]);
  return (typeof chosen === 'string' ? chosen : 'en') as PageLanguage;
}

export function pageWords(lang: PageLanguage): PageWords {
  return byLanguage[lang];
}
