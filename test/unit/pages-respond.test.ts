import { formTargetFor, pageCsp } from '../../src/pages/respond';

describe('page Content-Security-Policy', () => {
  test('allows only our stylesheet and images, no framing, no base element', () => {
    const csp = pageCsp();
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).toContain("img-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("base-uri 'none'");
  });

  test("forms go to 'self' only by default", () => {
    expect(pageCsp()).toContain("form-action 'self';");
  });

  test('a form target is added to form-action so the 303 to the client is not blocked', () => {
    expect(pageCsp(['https://client.example:8443'])).toContain("form-action 'self' https://client.example:8443;");
  });
});

describe('formTargetFor', () => {
  test('gives the origin of an https redirect URI, without path or query', () => {
    expect(formTargetFor('https://Client.Example:8443/cb?x=1')).toBe('https://client.example:8443');
  });

  test('drops the default port', () => {
    expect(formTargetFor('https://client.example:443/cb')).toBe('https://client.example');
  });

  test('gives the scheme of a native app redirect URI', () => {
    expect(formTargetFor('com.example.app:/oauth/cb')).toBe('com.example.app:');
  });

  test('refuses something that is not a URL', () => {
    expect(formTargetFor('not a url')).toBeNull();
  });

  test('never returns a source with a separator that could add directives', () => {
    const target = formTargetFor("https://client.example/cb;script-src 'unsafe-inline'");
    expect(target).toBe('https://client.example');
  });
});
