import { consentPage, deviceCodePage, errorPage, loginPage, messagePage, oobVerifierPage } from '../../src/pages/templates';
import { stylesheetHref } from '../../src/pages/stylesheet';

const token = 'csrf-token-value';

describe('layout', () => {
  const page = messagePage({ title: 'Done', message: 'All set.' }).value;

  test('declares English, UTF-8 and a responsive viewport', () => {
    expect(page).toMatch(/^<!doctype html>\n<html lang="en">/);
    expect(page).toContain('<meta charset="utf-8">');
    expect(page).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
  });

  test('links only the gateway stylesheet', () => {
    expect(page).toContain(`<link rel="stylesheet" href="${stylesheetHref}">`);
    expect(page.match(/<link /g)).toHaveLength(1);
    expect(page).not.toMatch(/<script|https?:\/\//);
  });
});

describe('login page', () => {
  test('labels both inputs and carries the CSRF token and the continue path', () => {
    const page = loginPage({ csrfToken: token, continueTo: '/oauth2/authorize?a=1&b=2' }).value;
    expect(page).toContain('<label for="username">');
    expect(page).toContain('<label for="password">');
    expect(page).toContain(`name="csrf_token" value="${token}"`);
    expect(page).toContain('name="continue" value="/oauth2/authorize?a=1&amp;b=2"');
  });

  test('says "Wrong username or password" without naming which', () => {
    const page = loginPage({ csrfToken: token, problem: 'wrong-credentials', username: 'alice' }).value;
    expect(page).toContain('Wrong username or password.');
    expect(page).not.toMatch(/unknown user|no such user|wrong password\b|incorrect password/i);
  });

  test('tells a locked-out user when to try again', () => {
    const page = loginPage({ csrfToken: token, problem: 'locked', retryAfterSeconds: 300 }).value;
    expect(page).toContain('Too many failed sign-in attempts. Try again in 5 minutes.');
  });

  test('escapes a hostile username put back into the form', () => {
    const page = loginPage({ csrfToken: token, problem: 'wrong-credentials', username: '"><script>x</script>' }).value;
    expect(page).not.toContain('<script>x');
    expect(page).toContain('value="&quot;&gt;&lt;script&gt;x&lt;/script&gt;"');
  });
});

describe('consent page', () => {
  const page = consentPage({
    appName: 'Photo <Printer>',
    username: 'alice',
    scopes: [{ name: 'photos.read', description: 'See your photos' }, 'profile'],
    action: '/oauth2/authorize/decision',
    csrfToken: token,
    hidden: { flow: 'abc' },
  }).value;

  test('names the application, escaped', () => {
    expect(page).toContain('Allow <span class="app">Photo &lt;Printer&gt;</span> to use your account?');
  });

  test('lists scopes in human words, falling back to the scope name', () => {
    expect(page).toContain('<li>See your photos</li>');
    expect(page).toContain('<li><code>profile</code></li>');
  });

  test('has Allow and Deny as two submit buttons of one CSRF-protected form', () => {
    expect(page.match(/<form /g)).toHaveLength(1);
    expect(page).toContain('<button type="submit" name="decision" value="approve">');
    expect(page).toContain('<button type="submit" name="decision" value="deny" class="secondary">');
    expect(page).toContain(`name="csrf_token" value="${token}"`);
    expect(page).toContain('<input type="hidden" name="flow" value="abc">');
  });
});

describe('device code page', () => {
  const page = deviceCodePage({ csrfToken: token, action: '/device', userCode: 'WDJB-MJHT' }).value;

  test('asks for the code without autocomplete and with a XXXX-XXXX hint', () => {
    expect(page).toMatch(/<input type="text" id="user_code" name="user_code"[^>]* autocomplete="off"/);
    expect(page).toMatch(/inputmode="text"/);
    expect(page).toMatch(/placeholder="XXXX-XXXX"/);
    expect(page).toContain('value="WDJB-MJHT"');
  });

  test('its pattern accepts the code with or without the dash, in either case', () => {
    const pattern = /pattern="([^"]+)"/.exec(page)?.[1] ?? '';
    const re = new RegExp(`^(?:${pattern})$`, 'v');
    expect(['WDJB-MJHT', 'wdjbmjht', 'WDJB MJHT'].every((c) => re.test(c))).toBe(true);
    expect(re.test('WDJ-BMJHT')).toBe(false);
  });
});

describe('verifier and message pages', () => {
  test('the verifier page shows the verifier prominently and names the consumer', () => {
    const page = oobVerifierPage({ appName: 'Legacy App', verifier: 'v3r1f13r' }).value;
    expect(page).toContain('<output id="verifier" aria-label="Verification code">v3r1f13r</output>');
    expect(page).toContain('<span class="app">Legacy App</span>');
  });

  test('the done page says the window may be closed', () => {
    expect(messagePage({ title: 'Device connected', message: 'You can go back to your device.' }).value).toContain(
      'You may close this window.',
    );
  });

  test('the error page shows its title and sentence only', () => {
    const page = errorPage({ title: 'Unknown application', message: 'This application is not registered.' }).value;
    expect(page).toContain('<h1>Unknown application</h1>');
    expect(page).toContain('This application is not registered.');
    expect(page).not.toContain('<form');
  });
});
