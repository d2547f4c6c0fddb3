/**
 * LDAP search filters with untrusted values in them (RFC 4515). A username such as `*)(uid=*`
 * pasted into `(uid={username})` unescaped would widen the search to every user; escaped, it is
 * a literal name that matches nobody.
 */

// RFC 4515 section 3: in an assertion value, NUL, '(', ')', '*' and '\' must be written as a
// backslash and two hex digits. Other bytes (UTF-8 included) may stay as they are.
const special = /[\0()*\\]/g;

/** A value as it may sit inside a filter's assertion: special characters as \XX. */
export function escapeFilterValue(value: string): string {
  return value.replace(special, (c) => '\\' + c.charCodeAt(0).toString(16).padStart(2, '0'));
}

/**
 * The configured filter with each `{name}` replaced by its value, escaped. Placeholders not in
 * `values` stay as written (the config check makes sure the ones needed are there). Replaced by
 * a function, so a `$` in a value is taken literally.
 */
export function fillFilter(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(/\{([a-z]+)\}/g, (whole, name: string) =>
    Object.prototype.hasOwnProperty.call(values, name) ? escapeFilterValue(values[name]!) : whole,
  );
}
