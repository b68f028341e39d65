import { reportUrl, type Me, type Params } from '../api.js';
import { h } from '../dom.js';
import type { ViewState } from '../state.js';

/** What a view is given to draw itself. */
export interface ViewContext {
  readonly state: ViewState;
  readonly me: Me;
  /** Goes to another state: the URL changes (a history entry) and the view is drawn again. */
  readonly navigate: (next: Partial<ViewState>) => void;
  readonly main: HTMLElement;
}

/** Report parameters from the URL's filters (each report keeps those it takes: api.ts). */
export function filterParams(state: ViewState): Params {
  return { ...state.filters };
}

/**
 * A card holding one chart: its title, what it shows, and the CSV of exactly what it shows (the
 * same report and parameters as the chart, as format=csv).
 */
export async function chartCard(options: {
  readonly title: string;
  readonly description: string;
  readonly path: string;
  readonly params: Params;
  readonly tall?: boolean;
  readonly testId: string;
}): Promise<{ card: HTMLElement; chart: HTMLElement }> {
  const chart = h('div', { class: options.tall === true ? 'chart tall' : 'chart' });
  const csv = await reportUrl(options.path, options.params, 'csv');
  const card = h(
    'section',
    { class: 'chart-card', 'data-testid': options.testId, 'aria-label': options.title },
    h(
      'div',
      { class: 'chart-head' },
      h('h3', {}, options.title),
      h('a', { class: 'csv', href: csv, download: '', 'data-testid': 'csv' }, 'Download CSV'),
    ),
    h('p', { class: 'note' }, options.description),
    chart,
  );
  return { card, chart };
}

/** A plain table of rows (for screen readers, and for figures a chart cannot label). */
export function table(
  caption: string,
  columns: readonly { key: string; title: string; num?: boolean }[],
  rows: readonly Record<string, unknown>[],
  onRow?: (row: Record<string, unknown>) => void,
): HTMLElement {
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      {},
      h('caption', { class: 'note' }, caption),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          columns.map((c) => h('th', { scope: 'col' }, c.title)),
        ),
      ),
      h(
        'tbody',
        {},
        rows.map((r) =>
          h(
            'tr',
            onRow === undefined
              ? {}
              : {
                  tabindex: 0,
                  onclick: () => onRow(r),
                  onkeydown: (e: Event) => {
                    if ((e as KeyboardEvent).key === 'Enter') onRow(r);
                  },
                },
            columns.map((c) => h('td', c.num === true ? { class: 'num' } : {}, display(r[c.key]))),
          ),
        ),
      ),
    ),
  );
}

function display(v: unknown): string {
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : v.toFixed(2);
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (typeof v === 'string') return v;
  return '–';
}

/** A report's meta value as text (meta values are strings or numbers), or `fallback`. */
export function metaText(v: unknown, fallback: string): string {
  return typeof v === 'string' || typeof v === 'number' ? String(v) : fallback;
}
