import { report } from '../api.js';
import { drawChart } from '../charts.js';
import { h, stateBlock } from '../dom.js';
import { chartCard, type ViewContext } from './view-kit.js';

/** Where each kind of fix is made: the API's documentation of those routes. */
function fixLink(fix: string): HTMLElement | null {
  const m = /(GET|PUT|POST|DELETE) (\/api\/v1\/[A-Za-z/{}-]+)/.exec(fix);
  if (m === null) return null;
  const tag = m[2]!.split('/')[3] ?? '';
  return h('a', { href: `/api/v1/docs#/${tag}` }, `Open ${m[1]!} ${m[2]!} in the API docs`);
}

/** Data health: what keeps the reports from being complete, and where to fix it. */
export async function healthView(ctx: ViewContext): Promise<void> {
  const { main } = ctx;
  const res = await report('/data-health', {});
  if (res.rows.length === 0) {
    main.append(stateBlock('empty', 'Nothing to report: every check passes.'));
    return;
  }
  const { card, chart } = await chartCard({
    title: 'Data health checks',
    description: 'How many things fail each check (a missing bar: not known).',
    path: '/data-health',
    params: {},
    testId: 'data-health',
  });
  main.append(card);
  drawChart(chart, 'Bar chart of failing items per data-health check; the list below has each.', {
    tooltip: {},
    grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
    xAxis: { type: 'value' },
    yAxis: {
      type: 'category',
      inverse: true,
      data: res.rows.map((r) => String(r['check'])),
      axisLabel: { width: 140, overflow: 'truncate' },
    },
    series: [
      {
        type: 'bar',
        data: res.rows.map((r) => r['count']),
        label: { show: true, position: 'right' },
      },
    ],
  });
  main.append(
    h(
      'ul',
      { class: 'health' },
      res.rows.map((r) =>
        h(
          'li',
          {},
          h('strong', {}, String(r['check'])),
          `: ${r['count'] === null ? 'not known' : String(r['count'])}. `,
          r['example'] === null || r['example'] === ''
            ? null
            : h('span', { class: 'note' }, `e.g. ${String(r['example'])}. `),
          h('br'),
          `Fix: ${String(r['fix'])} `,
          fixLink(String(r['fix'])),
        ),
      ),
    ),
    h(
      'p',
      { class: 'note' },
      'Frameworks, alignment rules and verbs are set through the analysts’ API: ',
      h('a', { href: '/api/v1/docs' }, 'the API documentation'),
      '.',
    ),
  );
}
