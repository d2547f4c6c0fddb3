// The console's create and edit forms as data. A form is a list of fields named exactly as the
// admin API operation's JSON body names them, so the form's values become that body (to-body.ts)
// and the operation's own zod schema validates it: the console has no validation rules of its own.

export type FieldKind =
  /** One line of text. */
  | 'text'
  /** Never filled in from anything (a new user's password). */
  | 'password'
  /** A whole number, typed as text so the server, not the browser, says what is wrong with it. */
  | 'number'
  /** true when ticked. */
  | 'checkbox'
  /** A textarea, one value per line: an array. */
  | 'list'
  /** A textarea sent as one text (a PEM key). */
  | 'multiline'
  /** A select among options. */
  | 'choice'
  /** One checkbox per option (named `<field>.<option>`, as the page forms refuse a repeated name): an array. */
  | 'checkboxes';

export interface FormField {
  /** The operation body's property. */
  name: string;
  label: string;
  kind: FieldKind;
  hint?: string;
  options?: readonly string[];
  /** For a choice: what the empty option reads ("none"); without it there is no empty option. */
  emptyOption?: string;
  /**
   * What an empty value sends: 'absent' leaves the property out (the operation's default), 'null'
   * sends null (an edit clearing a setting), 'empty' an empty array (lists only). Default 'absent'
   * ('empty' for lists and checkboxes).
   */
  whenEmpty?: 'absent' | 'null' | 'empty';
  autocomplete?: string;
}

/** What a form shows in its fields: text, a tick, or the ticked options. */
export type FieldValue = string | boolean | readonly string[];
export type FormValues = Readonly<Record<string, FieldValue>>;

/** The problems of one submission: per field (shown next to it), and for the whole form. */
export interface FormErrors {
  fields: ReadonlyMap<string, string>;
  form: readonly string[];
}

export const noErrors: FormErrors = { fields: new Map(), form: [] };

export const hasErrors = (errors: FormErrors) => errors.fields.size > 0 || errors.form.length > 0;

/** The id of a field's control (or of an option's checkbox); from the field's fixed name, never from input. */
export function controlId(field: string, option?: string): string {
  return `f-${field}${option === undefined ? '' : `-${option}`}`.replace(/[^A-Za-z0-9_-]/g, '_');
}

/** The form field name of one option of a 'checkboxes' field. */
export const optionName = (field: string, option: string) => `${field}.${option}`;
