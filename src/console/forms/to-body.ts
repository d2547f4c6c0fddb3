import { optionName, type FieldValue, type FormField, type FormValues } from './model';

// A submitted form read twice: as the JSON body of the admin API operation (validated by the
// operation's schema, never here), and as the values to show again when it is refused. Pure.

const linesOf = (text: string): string[] =>
  text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');

function ticked(field: FormField, fields: ReadonlyMap<string, string>): string[] {
  return (field.options ?? []).filter((option) => fields.get(optionName(field.name, option)) === 'yes');
}

/** The values the fields hold as submitted (a password is never shown again). */
export function submittedValues(form: readonly FormField[], fields: ReadonlyMap<string, string>): FormValues {
  const values: Record<string, FieldValue> = {};
  for (const field of form) {
    if (field.kind === 'password') continue;
    if (field.kind === 'checkbox') values[field.name] = fields.get(field.name) === 'yes';
    else if (field.kind === 'checkboxes') values[field.name] = ticked(field, fields);
    else values[field.name] = fields.get(field.name) ?? '';
  }
  return values;
}

function empty(field: FormField): { set: boolean; value?: unknown } {
  const mode = field.whenEmpty ?? (field.kind === 'list' || field.kind === 'checkboxes' ? 'empty' : 'absent');
  if (mode === 'absent') return { set: false };
  return { set: true, value: mode === 'null' ? null : [] };
}

/**
 * The operation's body: checkboxes become booleans, lists arrays, numbers numbers. A number that
 * isn't one stays text, so the schema's own complaint names the field.
 */
export function bodyOf(form: readonly FormField[], fields: ReadonlyMap<string, string>): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  const put = (field: FormField, value: unknown, isEmpty: boolean) => {
    if (!isEmpty) body[field.name] = value;
    else {
      const e = empty(field);
      if (e.set) body[field.name] = e.value;
    }
  };
  for (const field of form) {
    const text = fields.get(field.name) ?? '';
    switch (field.kind) {
      case 'checkbox':
        body[field.name] = text === 'yes';
        break;
      case 'checkboxes': {
        const values = ticked(field, fields);
        put(field, values, values.length === 0);
        break;
      }
      case 'list': {
        const values = linesOf(text);
        put(field, values, values.length === 0);
        break;
      }
      case 'number':
        put(field, /^\d{1,15}$/.test(text.trim()) ? Number(text.trim()) : text.trim(), text.trim() === '');
        break;
      case 'password':
        // Kept as typed: spaces may be part of a password.
        put(field, text, text === '');
        break;
      default:
        put(field, text.trim(), text.trim() === '');
    }
  }
  return body;
}
