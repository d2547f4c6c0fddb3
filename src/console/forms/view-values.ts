import { html, type HtmlValue } from '../../pages/templates';
import type { FieldValue, FormField, FormValues } from './model';

// An admin API representation (clientView, consumerView, ...) as an edit form's values and as the
// facts shown beside the form. Pure.

/** The form's fields filled from the representation: lists one a line, nulls empty. */
export function valuesOfView(fields: readonly FormField[], view: Readonly<Record<string, unknown>>): FormValues {
  const values: Record<string, FieldValue> = {};
  for (const field of fields) {
    const v = view[field.name];
    if (field.kind === 'checkbox') values[field.name] = v === true;
    else if (field.kind === 'checkboxes') values[field.name] = Array.isArray(v) ? v.map(String) : [];
    else if (Array.isArray(v)) values[field.name] = v.map(String).join('\n');
    else values[field.name] = v === null || v === undefined ? '' : String(v);
  }
  return values;
}

function shown(value: unknown): HtmlValue {
  if (value === true) return 'yes';
  if (value === false) return 'no';
  if (value === null || value === undefined) return html`<span class="muted">the gateway\u2019s default</span>`;
  if (Array.isArray(value)) return value.length === 0 ? '-' : value.map((v, i) => html`${i > 0 ? ', ' : ''}<code>${String(v)}</code>`);
  return html`<code>${String(value)}</code>`;
}

/** [label, property] pairs as [label, what the page shows]. */
export function factsOfView(fixed: ReadonlyArray<readonly [string, string]>, view: Readonly<Record<string, unknown>>): Array<readonly [string, HtmlValue]> {
  return fixed.map(([label, property]) => [label, shown(view[property])] as const);
}
