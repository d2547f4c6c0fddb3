import { csrfField, html, type HtmlValue, type SafeHtml } from '../../pages/templates';
import { page, type ConsoleFrame } from '../pages';
import { fieldHtml } from './fields';
import { controlId, type FormErrors, type FormField, type FormValues } from './model';
import type { Registration } from './registrations';

// The create and edit pages of a registration, and the page that shows a new secret once.

export interface FormPageInput {
  reg: Registration;
  mode: 'create' | 'edit';
  fields: readonly FormField[];
  values: FormValues;
  errors: FormErrors;
  /** null for an `admin_read` operator: the form is shown with its controls disabled and nothing to send. */
  csrfToken: string | null;
  /** Edit: the registration's id and its version (the ETag the save must still match). */
  id?: string;
  etag?: string;
  /** Edit: what the form shows but does not change. */
  fixed?: ReadonlyArray<readonly [string, HtmlValue]>;
  /** A stale save: the form now holds the current values. */
  stale?: boolean;
}

const actionOf = (input: FormPageInput) => `/console/${input.reg.kind}/${input.mode === 'create' ? 'new' : 'edit'}`;

function summary(input: FormPageInput): HtmlValue {
  const { errors, fields } = input;
  if (errors.fields.size === 0 && errors.form.length === 0) return null;
  // Links to the fields (fixed ids); the first field in error has the focus (autofocus), and the
  // summary is announced. Without a field in error the summary itself takes the focus.
  const items = [
    ...errors.form.map((text) => html`<li>${text}</li>`),
    ...fields.filter((f) => errors.fields.has(f.name)).map((f) => html`<li><a href="#${controlId(f.name)}">${f.label}: ${errors.fields.get(f.name)}</a></li>`),
  ];
  const focus = errors.fields.size === 0 ? html` tabindex="-1" autofocus` : null;
  return html`<div class="error" id="form-problems" role="alert"${focus}><p>This ${input.reg.one} was not saved:</p><ul>${items}</ul></div>`;
}

export function formPage(frame: ConsoleFrame, input: FormPageInput): SafeHtml {
  const { reg, mode } = input;
  const title = mode === 'create' ? `New ${reg.one}` : `Edit ${reg.one}`;
  const firstError = input.fields.find((f) => input.errors.fields.has(f.name))?.name;
  const controls = input.fields.map((f) => fieldHtml(f, { value: input.values[f.name], error: input.errors.fields.get(f.name), focus: f.name === firstError }));
  const readOnly = input.csrfToken === null;
  const stale = input.stale
    ? html`<p class="error" role="alert" tabindex="-1"${firstError ? null : html` autofocus`}>Not saved: someone changed this ${reg.one} after you opened the form. The form now shows the current values; make your change again and save.</p>`
    : null;
  const fixed = input.fixed?.length ? html`<dl class="facts">${input.fixed.map(([label, value]) => html`<dt>${label}</dt><dd>${value}</dd>`)}</dl>` : null;
  const hidden = [
    input.csrfToken ? csrfField(input.csrfToken) : null,
    input.id !== undefined ? html`<input type="hidden" name="id" value="${input.id}">` : null,
    input.etag !== undefined ? html`<input type="hidden" name="version" value="${input.etag}">` : null,
  ];
  const submit = readOnly ? null : html`<button type="submit">${mode === 'create' ? reg.create.submit : 'Save changes'}</button> `;
  return page(
    frame,
    reg.listPath,
    title,
    html`${stale}${summary(input)}${fixed}
${readOnly ? html`<p class="muted">You can see this form but not send it.</p>` : null}
<form method="post" action="${actionOf(input)}" class="registration" novalidate>${hidden}
<fieldset class="plain"${readOnly ? html` disabled` : null}><legend class="visually-hidden">${title}</legend>
${controls}
</fieldset>
<div class="actions">${submit}<a href="${reg.listPath}">${readOnly ? 'Back' : 'Cancel'}</a></div>
</form>`,
  );
}

/** After a create that made a secret: the one time it is shown (sendPage answers no-store). */
export function createdPage(frame: ConsoleFrame, reg: Registration, idLabel: string, id: string, secret: string): SafeHtml {
  return page(
    frame,
    reg.listPath,
    `New ${reg.one} registered`,
    html`<p class="notice" role="status">Copy the secret now: it is shown this once and only its ${reg.kind === 'clients' ? 'hash' : 'sealed form'} is kept.</p>
<dl class="facts"><dt>${idLabel}</dt><dd><code>${id}</code></dd><dt>Secret</dt><dd><code class="secret">${secret}</code></dd></dl>
<p><a href="${reg.listPath}">Back to the ${reg.one}s</a></p>`,
  );
}
