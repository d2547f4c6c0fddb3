import { acceptsJson } from '../../src/clearpass';

test.each([
  [undefined, true],
  ['application/json', true],
  ['*/*', true],
  ['application/*', true],
  ['text/html, application/json;q=0.5', true],
  ['Application/JSON; charset=utf-8', true],
  ['text/html', false],
  ['application/xml', false],
  ['application/json;q=0', false],
  ['text/*', false],
])('Accept %p admits JSON: %p', (accept, expected) => {
  expect(acceptsJson(accept)).toBe(expected);
});
