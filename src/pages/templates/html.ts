/**
 * HTML that is safe to emit as is: built by `html` (which escaped every interpolation) or marked
 * trusted with `raw`. A class rather than a branded string so a plain string can never pass for it.
 */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const entities: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

/** Escapes text for element content and for quoted attribute values (both quote kinds). */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (c) => entities[c]);
}

/** Marks a fragment as trusted markup. Only for literals and output of `html`, never for input. */
export function raw(markup: string): SafeHtml {
  return new SafeHtml(markup);
}

/** A value a template may interpolate; arrays are concatenated, null/undefined/false render nothing. */
export type HtmlValue = SafeHtml | string | number | boolean | null | undefined | readonly HtmlValue[];

function render(value: HtmlValue): string {
  if (value instanceof SafeHtml) return value.value;
  if (value === null || value === undefined || value === false) return '';
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

/**
 * Tagged template: every interpolation is escaped unless it is SafeHtml. Attribute values must be
 * written in double quotes in the template (escaping does not make an unquoted attribute safe),
 * and no untrusted value may go into an href, src, style or event attribute.
 */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0];
  for (let i = 0; i < values.length; i++) out += render(values[i]) + strings[i + 1];
  return new SafeHtml(out);
}
