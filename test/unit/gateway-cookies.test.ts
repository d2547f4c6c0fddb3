import { withoutGatewayCookies } from '../../src/gateway/cookies';

// The forwarded Cookie header, cleaned of the gateway's gw_ cookies also for upstreams whose
// RFC 2965-style parser splits pairs on "," as well as ";".

describe('a gw_ cookie hidden behind ","', () => {
  test('"a=1, gw_session=X": the pair an RFC 2965 parser reads as gw_session is dropped', () => {
    expect(withoutGatewayCookies('a=1, gw_session=X')).toBeNull();
  });

  test('other pairs stay, in order, each as it came', () => {
    expect(withoutGatewayCookies('theme=dark; a=1, gw_session=X; lang=en, region=eu')).toBe('theme=dark; lang=en, region=eu');
  });

  test.each([
    ['no space after ","', 'a=1,gw_session=X; b=2'],
    ['a tab after ","', 'a=1,\tgw_session=X; b=2'],
    ['upper case', 'a=1, GW_SESSION=X; b=2'],
    ['behind __Host-', 'a=1, __Host-gw_csrf=X; b=2'],
    ['behind __Secure-', 'a=1, __Secure-gw_csrf=X; b=2'],
    ['the last of three pieces', 'a=1, c=3, gw_session.sig=X; b=2'],
    ['inside a quoted value', 'a="1, gw_session=X"; b=2'],
  ])('%s: the pair is dropped', (_, header) => {
    expect(withoutGatewayCookies(header)).toBe('b=2');
  });
});

describe('headers without one of ours', () => {
  test.each(['a=1, b=2', 'theme=dark; lang=en', 'a=1, sgw_x=2; gw=3', 'a=gw_session, b=2; c=x,d=gw_'])('%s is forwarded unchanged', (header) => {
    expect(withoutGatewayCookies(header)).toBe(header);
  });

  test('";"-separated gw_ cookies are still dropped', () => {
    expect(withoutGatewayCookies('theme=dark; gw_session=s; gw_session.sig=t; lang=en')).toBe('theme=dark; lang=en');
  });
});
