import { html, type HtmlValue, type SafeHtml } from '../../pages/templates';
import { controlId, optionName, type FieldValue, type FormField } from './model';

// One form field as HTML: label, hint, the error next to the control (linked by aria-describedby,
// the control marked aria-invalid), and autofocus on the first field in error, which is how the
// focus gets there without a script (the pages' CSP allows none inline).

export interface FieldState {
  value: FieldValue | undefined;
  error: string | undefined;
  /** The first field in error: it takes the focus when the page opens. */
  focus: boolean;
}

const text = (v: FieldValue | undefined) => (typeof v === 'string' ? v : Array.isArray(v) ? v.join('\n') : '');
const ticked = (v: FieldValue | undefined, option: string) => Array.isArray(v) && v.includes(option);

function notes(field: FormField, state: FieldState): { hint: HtmlValue; error: HtmlValue; describedBy: string | null } {
  const id = controlId(field.name);
  const ids = [field.hint ? `${id}-hint` : null, state.error ? `${id}-error` : null].filter((x): x is string => x !== null);
  return {
    hint: field.hint ? html`<p class="field-hint" id="${id}-hint">${field.hint}</p>` : null,
    error: state.error ? html`<p class="field-error" id="${id}-error">${state.error}</p>` : null,
    describedBy: ids.length > 0 ? ids.join(' ') : null,
  };
}

function attributes(state: FieldState, describedBy: string | null): HtmlValue {
  return [
    describedBy ? html` aria-describedby="${describedBy}"` : null,
    state.error ? html` aria-invalid="true"` : null,
    state.focus ? html` autofocus` : null,
  ];
}

export function fieldHtml(field: FormField, state: FieldState): SafeHtml {
  const id = controlId(field.name);
  const { hint, error, describedBy } = notes(field, state);
  const attrs = attributes(state, describedBy);
  switch (field.kind) {
    case 'checkbox':
      return html`<div class="field check${state.error ? ' invalid' : ''}"><input type="checkbox" id="${id}" name="${field.name}" value="yes"${state.value === true ? html` checked` : null}${attrs}><label for="${id}">${field.label}</label>${hint}${error}</div>`;
    case 'checkboxes': {
      const options = (field.options ?? []).map((option, i) => {
        const optionId = controlId(field.name, option);
        const first = i === 0 ? attrs : describedBy ? html` aria-describedby="${describedBy}"` : null;
        return html`<div class="check"><input type="checkbox" id="${optionId}" name="${optionName(field.name, option)}" value="yes"${ticked(state.value, option) ? html` checked` : null}${first}><label for="${optionId}">${option}</label></div>`;
      });
      return html`<fieldset class="field${state.error ? ' invalid' : ''}" id="${id}"><legend>${field.label}</legend>${hint}${error}${options}</fieldset>`;
    }
    case 'choice': {
      const current = text(state.value);
      const empty = field.emptyOption !== undefined ? html`<option value=""${current === '' ? html` selected` : null}>${field.emptyOption}</option>` : null;
      const options = (field.options ?? []).map((o) => html`<option value="${o}"${o === current ? html` selected` : null}>${o}</option>`);
      return html`<div class="field${state.error ? ' invalid' : ''}"><label for="${id}">${field.label}</label>${hint}${error}<select id="${id}" name="${field.name}"${attrs}>${empty}${options}</select></div>`;
    }
    case 'list':
    case 'multiline':
      return html`<div class="field${state.error ? ' invalid' : ''}"><label for="${id}">${field.label}</label>${hint}${error}<textarea id="${id}" name="${field.name}" rows="${field.kind === 'list' ? 3 : 6}" spellcheck="false" autocapitalize="none"${attrs}>${text(state.value)}</textarea></div>`;
    default: {
      const type = field.kind === 'password' ? 'password' : 'text';
      const value = field.kind === 'password' ? '' : text(state.value);
      const numeric = field.kind === 'number' ? html` inputmode="numeric"` : null;
      return html`<div class="field${state.error ? ' invalid' : ''}"><label for="${id}">${field.label}</label>${hint}${error}<input type="${type}" id="${id}" name="${field.name}" value="${value}" autocomplete="${field.autocomplete ?? 'off'}" autocapitalize="none" spellcheck="false"${numeric}${attrs}></div>`;
    }
  }
}
