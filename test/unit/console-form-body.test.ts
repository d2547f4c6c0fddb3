import { z } from 'zod';
import { detailErrors, fieldOfDetail, schemaErrors } from '../../src/console/forms/errors';
import type { FormField } from '../../src/console/forms/model';
import { bodyOf, submittedValues } from '../../src/console/forms/to-body';
import { valuesOfView } from '../../src/console/forms/view-values';

// A console form's fields become the admin API operation's JSON body, and its refusals come back
// next to the fields: pure functions, checked without a server.

const fields: FormField[] = [
  { name: 'name', label: 'Name', kind: 'text' },
  { name: 'grants', label: 'Grants', kind: 'checkboxes', options: ['password', 'client_credentials'] },
  { name: 'public', label: 'Public', kind: 'checkbox' },
  { name: 'redirect_uris', label: 'Redirect URIs', kind: 'list' },
  { name: 'access_ttl', label: 'Access', kind: 'number', whenEmpty: 'null' },
  { name: 'refresh_ttl', label: 'Refresh', kind: 'number' },
  { name: 'profile', label: 'Profile', kind: 'choice', options: ['ops'], emptyOption: 'none', whenEmpty: 'null' },
  { name: 'password', label: 'Password', kind: 'password' },
];

const form = (entries: Record<string, string>) => new Map(Object.entries(entries));

test('checkboxes become booleans and arrays, lists one value a line, numbers numbers, empties absent or null as declared', () => {
  const body = bodyOf(fields, form({ name: ' Shop ', 'grants.password': 'yes', public: 'yes', redirect_uris: 'https://a.example/cb\r\n\n https://b.example/cb ', access_ttl: '', refresh_ttl: '60', profile: '', password: ' secret with spaces ' }));
  expect(body).toEqual({ name: 'Shop', grants: ['password'], public: true, redirect_uris: ['https://a.example/cb', 'https://b.example/cb'], access_ttl: null, refresh_ttl: 60, profile: null, password: ' secret with spaces ' });
});

test('a number that is not one stays text, so the schema names the field', () => {
  expect(bodyOf(fields, form({ refresh_ttl: 'soon' })).refresh_ttl).toBe('soon');
});

test('the values shown again never include the password', () => {
  expect(submittedValues(fields, form({ name: 'x', password: 'hunter22' }))).not.toHaveProperty('password');
});

test('schema issues land on the field of their path, in words for a person', () => {
  const schema = z.strictObject({ name: z.string().min(1), grants: z.array(z.string()).min(1), refresh_ttl: z.number().int().positive().optional() });
  const result = schema.safeParse({ grants: [], refresh_ttl: 'soon' });
  const errors = schemaErrors(fields, result.error!);
  expect(Object.fromEntries(errors.fields)).toEqual({ name: 'Fill this in.', grants: 'Choose at least one.', refresh_ttl: 'Enter a whole number.' });
});

test("the accounts layer's sentences go to the field they name, the API's snake_case names first; others to the form", () => {
  expect(fieldOfDetail(fields, 'authorization_code and implicit clients need at least one redirect URI (redirect_uris)')).toBe('redirect_uris');
  expect(fieldOfDetail(fields, 'unknown profile "name"')).toBe('profile');
  expect(fieldOfDetail(fields, 'a public client cannot use client_credentials (it has no secret)')).toBe('public');
  expect(detailErrors(fields, 'something else went wrong')).toEqual({ fields: new Map(), form: ['Something else went wrong.'] });
});

test('an edit form is filled from the representation: lists one a line, nulls empty', () => {
  const view = { name: 'Shop', grants: ['password'], public: false, redirect_uris: ['https://a.example/cb', 'https://b.example/cb'], access_ttl: null, refresh_ttl: 60, profile: null };
  expect(valuesOfView(fields.slice(0, 7), view)).toEqual({ name: 'Shop', grants: ['password'], public: false, redirect_uris: 'https://a.example/cb\nhttps://b.example/cb', access_ttl: '', refresh_ttl: '60', profile: '' });
});
