import { routeSchema } from '../../src/config';
import { routeTable } from '../../src/gateway/routes';

// The order in which a route's credential checks run (route.protocols): the two-legged check passes
// over a request with a token, so it must run before the three-legged check, which refuses a request
// without one.

const protocolsOf = (accept: string[]) =>
  routeTable({ upstream: null, routes: [routeSchema.parse({ prefix: '/x', upstream: 'http://u.example', accept })] })[0].protocols;

test.each([
  [['oauth1', 'oauth1-2legged'], ['oauth1-2legged', 'oauth1']],
  [['oauth2', 'oauth1', 'oauth1-2legged', 'public'], ['oauth2', 'oauth1-2legged', 'oauth1']],
  [['oauth1-2legged', 'oauth1'], ['oauth1-2legged', 'oauth1']],
  [['oauth1-2legged', 'oauth2'], ['oauth1-2legged', 'oauth2']],
  [['oauth2', 'oauth1'], ['oauth2', 'oauth1']],
])('accept %j runs the checks in the order %j', (accept, expected) => {
  expect(protocolsOf(accept)).toEqual(expected);
});

test('oauth1-2legged is a credential kind the route schema takes; an unknown kind is refused', () => {
  expect(routeSchema.safeParse({ prefix: '/x', upstream: 'http://u.example', accept: ['oauth1-2legged'] }).success).toBe(true);
  expect(routeSchema.safeParse({ prefix: '/x', upstream: 'http://u.example', accept: ['oauth1-3legged'] }).success).toBe(false);
});
