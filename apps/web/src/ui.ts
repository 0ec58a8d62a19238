/** Tiny DOM helpers for the panels (no framework). */

type Attrs = Record<string, string | number | boolean | undefined>;

/** Creates an element with attributes (`text` sets textContent) and children. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  children: ReadonlyArray<Node | string> = [],
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    if (key === 'text') node.textContent = String(value);
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children) node.append(child);
  return node;
}

/** A labelled control. */
export function field(label: string, control: HTMLElement): HTMLLabelElement {
  return el('label', { class: 'field' }, [el('span', { text: label }), control]);
}

/** A `<select>` with the given options. */
export function select(testid: string, options: readonly string[], value: string): HTMLSelectElement {
  const s = el('select', { 'data-testid': testid });
  for (const o of options) s.append(el('option', { value: o, text: o }));
  s.value = value;
  return s;
}

/** A range slider with its value shown next to it. */
export function slider(
  testid: string,
  range: { min: number; max: number; step: number; value: number },
): { input: HTMLInputElement; node: HTMLElement } {
  const input = el('input', { type: 'range', 'data-testid': testid, ...range });
  const shown = el('output', { text: String(range.value) });
  input.addEventListener('input', () => (shown.textContent = input.value));
  return { input, node: el('span', { class: 'slider' }, [input, shown]) };
}

/** A number formatted for the page: exponent form for small/large values. */
export function fmt(x: number, digits = 2): string {
  if (!Number.isFinite(x)) return String(x);
  if (x !== 0 && (Math.abs(x) < 1e-3 || Math.abs(x) >= 1e4)) return x.toExponential(digits);
  return x.toFixed(Math.max(digits, 3));
}

/** Lets the browser paint (and the page stay responsive) between chunks of work. */
export function nextFrame(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
