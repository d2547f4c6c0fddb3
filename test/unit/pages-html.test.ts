import { escapeHtml, html, raw, SafeHtml } from '../../src/pages/templates/html';

describe('html tagged template', () => {
  test('escapes a script tag in element content', () => {
    const out = html`<p>${'<script>alert(1)</script>'}</p>`.value;
    expect(out).toBe('<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>');
  });

  test('escapes double quotes so a value cannot leave its attribute', () => {
    const out = html`<input value="${'" autofocus onfocus="alert(1)'}">`.value;
    expect(out).toBe('<input value="&quot; autofocus onfocus=&quot;alert(1)">');
  });

  test('escapes single quotes and backticks too', () => {
    expect(escapeHtml(`'\``)).toBe('&#39;&#96;');
  });

  test('escapes the ampersand so an entity in input stays text', () => {
    expect(html`${'&lt;'}`.value).toBe('&amp;lt;');
  });

  test('keeps unicode text unchanged', () => {
    const text = 'Zoë · 日本語 · emoji 🙂 · RTL שלום';
    expect(html`<p>${text}</p>`.value).toBe(`<p>${text}</p>`);
  });

  test('inserts SafeHtml from raw() without escaping', () => {
    expect(html`<p>${raw('<b>bold</b>')}</p>`.value).toBe('<p><b>bold</b></p>');
  });

  test('inserts nested html output without escaping it twice', () => {
    const inner = html`<em>${'a < b'}</em>`;
    expect(html`<p>${inner}</p>`.value).toBe('<p><em>a &lt; b</em></p>');
  });

  test('escapes every element of an array and joins them', () => {
    expect(html`<ul>${['<a>', html`<li>x</li>`]}</ul>`.value).toBe('<ul>&lt;a&gt;<li>x</li></ul>');
  });

  test('renders nothing for null, undefined and false', () => {
    expect(html`[${null}${undefined}${false}]`.value).toBe('[]');
  });

  test('renders numbers and true as text', () => {
    expect(html`${42} ${true}`.value).toBe('42 true');
  });

  test('does not treat a string that looks like markup as SafeHtml', () => {
    const lookalike = { value: '<b>' } as unknown as string;
    expect(html`${lookalike}`.value).toBe('[object Object]');
    expect(html`${raw('<b>')}`).toBeInstanceOf(SafeHtml);
  });
});
