import type { z } from 'zod';
import type { FormErrors, FormField } from './model';

// The refusals of an admin API operation, placed next to the form fields they are about: the
// schema's issues by their path, the accounts layer's sentences by the field they name. Pure.

type Issue = z.core.$ZodIssue;

/** A sentence for a person about one schema issue (zod's own wording is for developers). */
export function issueText(issue: Issue, field: FormField | undefined): string {
  switch (issue.code) {
    case 'invalid_type':
      if (/received undefined/.test(issue.message)) return 'Fill this in.';
      return issue.expected === 'number' ? 'Enter a whole number.' : 'This value has the wrong form.';
    case 'too_small': {
      const min = Number(issue.minimum);
      if (issue.origin === 'string' && min <= 1) return 'Fill this in.';
      if (issue.origin === 'array') return field?.kind === 'checkboxes' ? 'Choose at least one.' : `Give at least ${min}.`;
      if (issue.origin === 'number') return issue.inclusive ? `Enter at least ${min}.` : `Enter a number above ${min}.`;
      return `Too short: at least ${min} characters.`;
    }
    case 'too_big': {
      const max = Number(issue.maximum);
      if (issue.origin === 'string') return `Too long: at most ${max} characters.`;
      if (issue.origin === 'array') return `At most ${max} values.`;
      return `Enter at most ${max}.`;
    }
    case 'invalid_value':
      return `Choose one of: ${issue.values.map(String).join(', ')}.`;
    case 'invalid_format':
      return `Not allowed: ${issue.message}.`;
    default:
      return issue.message;
  }
}

/** The schema's issues, each under the field its path starts with; the first issue of a field wins. */
export function schemaErrors(form: readonly FormField[], error: z.ZodError): FormErrors {
  const fields = new Map<string, string>();
  const others: string[] = [];
  for (const issue of error.issues) {
    const name = typeof issue.path[0] === 'string' ? issue.path[0] : null;
    const field = form.find((f) => f.name === name);
    if (field) {
      if (!fields.has(field.name)) fields.set(field.name, issueText(issue, field));
    } else others.push(issueText(issue, undefined));
  }
  return { fields, form: others };
}

// The accounts layer's sentences that name their field only by what they say (the others name it
// as the admin API does, `access_ttl must be ...`, and are matched by the field's own name).
const sentenceFields: ReadonlyArray<readonly [RegExp, string]> = [
  [/^unknown profile/, 'profile'],
  [/^unknown grant/, 'grants'],
  [/^redirect URI/, 'redirect_uris'],
  [/^scope /, 'scopes'],
  [/^callback /, 'callback'],
  [/^the password/, 'password'],
  [/^the username|^user "/, 'username'],
  [/^client "/, 'client_id'],
  [/^profile "/, 'name'],
  [/public client/, 'public'],
];

/**
 * The field an operation's refusal (its Problem Details detail) is about, or null for the whole
 * form. Quoted values are left out first: they are what the operator typed, not field names.
 */
export function fieldOfDetail(form: readonly FormField[], detail: string): string | null {
  const has = (name: string) => form.some((f) => f.name === name);
  for (const [pattern, name] of sentenceFields) if (pattern.test(detail) && has(name)) return name;
  const words = detail.replace(/"[^"]*"/g, '""');
  const named = (field: FormField) => new RegExp(`(^|[^A-Za-z0-9_])${field.name}([^A-Za-z0-9_]|$)`).test(words);
  // A snake_case name is the admin API naming its field; a plain word ("implicit", "name") may just be prose.
  const found = form.find((f) => f.name.includes('_') && named(f)) ?? form.find(named);
  return found?.name ?? null;
}

/** A refusal sentence as a form's error: next to its field, or for the whole form. */
export function detailErrors(form: readonly FormField[], detail: string): FormErrors {
  const text = `${detail[0]?.toUpperCase() ?? ''}${detail.slice(1)}${/[.!?]$/.test(detail) ? '' : '.'}`;
  const field = fieldOfDetail(form, detail);
  return field ? { fields: new Map([[field, text]]), form: [] } : { fields: new Map(), form: [text] };
}
