import { english, pageLanguage, pageWords, pageLanguages } from '../../src/pages/words';
import { sentenceTranslator } from '../../src/pages/words/sentences';
import { consentPage, deviceCodePage, errorPage, loginPage } from '../../src/pages/templates';
import { accountWords } from '../../src/account/words';
import { scopeLines } from '../../src/pages/scope-descriptions';

// Issue 19 item 7: the pages' own words in English, German and French, chosen by Accept-Language.

/** What Koa's ctx.acceptsLanguages answers for a header (the accepts package, as Koa uses it). */
function browser(header: string | undefined) {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const accepts = require('accepts') as (req: { headers: Record<string, string> }) => { languages(l: string[]): string | false };
  return { acceptsLanguages: (langs: string[]) => accepts({ headers: header === undefined ? {} : { 'accept-language': header } }).languages(langs) };
}

describe('the language of the pages', () => {
  test.each([
    ['de-CH,de;q=0.9,en;q=0.5', 'de'],
    ['fr-FR', 'fr'],
    ['en-GB,fr;q=0.8', 'en'],
    ['ja, de;q=0.3', 'de'],
    ['ja', 'en'],
    ['*', 'en'],
    [undefined, 'en'],
  ])('Accept-Language %s reads %s', (header, lang) => {
    expect(pageLanguage(browser(header) as never)).toBe(lang);
  });

  test('every language says every word of the pages, and not in English', () => {
    for (const lang of pageLanguages.filter((l) => l !== 'en')) {
      const words = pageWords(lang) as unknown as Record<string, unknown>;
      for (const [key, value] of Object.entries(english)) {
        if (typeof value !== 'string' || key === 'lang') continue;
        expect([lang, key, typeof words[key]]).toEqual([lang, key, 'string']);
        // "Links" and "Code" are the same word in German; "Action", "Applications" in French.
        if (!['footerLinks', 'code'].includes(key)) expect([lang, key, words[key]]).not.toEqual([lang, key, value]);
      }
      expect(Object.keys(accountWords(lang))).toEqual(Object.keys(accountWords('en')));
    }
  });
});

describe('sentences a handler wrote in English', () => {
  const translate = sentenceTranslator({
    exact: { 'The code has expired.': 'Der Code ist abgelaufen.', 'Start again.': 'Beginnen Sie von vorn.' },
    patterns: [[/^Signed in as (.+)\.$/, (user) => `Angemeldet als ${user}.`]],
  });

  test('are translated whole, sentence by sentence, or by a pattern around a value', () => {
    expect(translate('The code has expired. Start again.')).toBe('Der Code ist abgelaufen. Beginnen Sie von vorn.');
    expect(translate('Signed in as alice.')).toBe('Angemeldet als alice.');
  });

  test('a sentence the language does not know stays English, the known ones beside it are translated', () => {
    expect(translate('Something new happened. Start again.')).toBe('Something new happened. Beginnen Sie von vorn.');
  });

  test('the German and French catalogs know the refusals the flows write', () => {
    expect(pageWords('de').sentence('The code has expired or was already used. Start again on your device.')).toBe(
      'Der Code ist abgelaufen oder wurde bereits verwendet. Beginnen Sie auf Ihrem Gerät von vorn.',
    );
    expect(pageWords('fr').sentence('Page not found')).toBe('Page introuvable');
    expect(pageWords('fr').sentence('Too many wrong codes were entered. Try again in 2 minutes.')).toBe('Trop de codes erronés ont été saisis. Réessayez dans 2 minutes.');
  });
});

describe('templates in a language', () => {
  const framed = (page: ReturnType<typeof loginPage>, lang: 'de' | 'fr') => page.framed({ branding: { productName: null, logoHref: null, brandStylesheetHref: null, footerLinks: [], homeUrl: null } as never, words: pageWords(lang) }).value;

  test('the login page in German: lang attribute, labels, the failure sentence', () => {
    const page = framed(loginPage({ csrfToken: 't', problem: 'wrong-credentials', username: 'alice' }), 'de');
    expect(page).toContain('<html lang="de">');
    expect(page).toContain('<label for="username">Benutzername</label>');
    expect(page).toContain('Benutzername oder Passwort ist falsch.');
    expect(page).toContain('Zum Inhalt springen');
    expect(page).not.toContain('Sign in');
  });

  test('the consent page in French says the duration in French words', () => {
    const page = framed(
      consentPage({ appName: 'Photo App', username: 'alice', action: '/x', csrfToken: 't', remembered: true, lasts: { accessSeconds: 3600, renewal: { seconds: 1209600, sliding: true } } }),
      'fr',
    );
    expect(page).toContain('<html lang="fr">');
    expect(page).toContain('L’accès dure 1 heure à chaque fois');
    expect(page).toContain('14 jours');
    expect(page).toContain('>Autoriser</button>');
  });

  test('a template as plain HTML (no request) stays English', () => {
    expect(deviceCodePage({ csrfToken: 't', action: '/device' }).value).toContain('<html lang="en">');
    expect(errorPage({ title: 'Page not found', message: 'No route matches this path.' }).value).toContain('Page not found');
  });
});

test('the built-in OpenID scope words follow the browser like configured ones, English first when preferred', () => {
  const prefers = (lang: string) => (offered: string[]) => (offered.includes(lang) ? lang : false);
  expect(scopeLines(['email'], {}, prefers('de'))[0].description).toBe('Ihre E-Mail-Adresse');
  expect(scopeLines(['email'], {}, prefers('fr'))[0].description).toBe('Votre adresse e-mail');
  expect(scopeLines(['email'], {}, prefers('en'))[0].description).toBe('Your email address');
});
