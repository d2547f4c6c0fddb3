import { html, type SafeHtml } from './html';

/** The form field every gateway form carries its CSRF token in. */
export const csrfFieldName = 'csrf_token';

export function csrfField(token: string): SafeHtml {
  return html`<input type="hidden" name="${csrfFieldName}" value="${token}">`;
}

/** Flow state a handler needs back from a form (e.g. a continuation id); never a secret. */
export function hiddenFields(values: Readonly<Record<string, string>> = {}): SafeHtml[] {
  return Object.entries(values).map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`);
}
