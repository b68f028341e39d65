/** Attributes of {@link h}: strings become attributes, functions event listeners (`on...`). */
type Attrs = Record<
  string,
  string | number | boolean | null | undefined | ((event: Event) => void)
>;
type Child = Node | string | number | null | undefined | false;

/**
 * Creates an element. Text always goes in as text nodes, never as HTML, so that names from the
 * data (teams, skills) can never become markup.
 */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: (Child | Child[])[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (typeof value === 'function') el.addEventListener(name.slice(2), value);
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
  return el;
}

/** A status block: loading, empty (what to do next) or error (what went wrong). */
export function stateBlock(kind: 'loading' | 'empty' | 'error', ...children: Child[]): HTMLElement {
  return h(
    'div',
    { class: `state ${kind}`, role: kind === 'error' ? 'alert' : 'status' },
    ...children,
  );
}

/** A number for people to read: fixed decimals, or an en dash when absent. */
export function fmt(value: unknown, digits = 2): string {
  return typeof value === 'number' && Number.isFinite(value) ? value.toFixed(digits) : '–';
}
