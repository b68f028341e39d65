import { report, type ReportResponse, type Row } from '../api.js';
import { drawChart } from '../charts.js';
import { h, stateBlock } from '../dom.js';
import { chartCard, filterParams, metaText, type ViewContext } from './view-kit.js';

/** Weeks between `from` and `asOf` (the growth report counts weeks back from asOf). */
function weeksOf(from: string | undefined, asOf: string | undefined): string {
  if (from === undefined) return '13';
  const end = asOf === undefined ? Date.now() : Date.parse(`${asOf}T00:00:00Z`);
  const days = Math.round((end - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;
  return String(Math.min(99, Math.max(1, Math.ceil(days / 7))));
}

/** A skill over time: weekly mastery with its 80% band and practice volume, org and cohorts. */
export async function skillView(ctx: ViewContext): Promise<void> {
  const { state, main } = ctx;
  const base = filterParams(state);
  // The cohorts to offer: those the heatmap shows for this skill (withheld ones included).
  const cells = await report('/heatmap', base);
  const skills = [...new Map(cells.rows.map((r) => [String(r['skill']), String(r['skillName'])]))];
  const skill = state.filters.skill ?? skills[0]?.[0];
  if (skill === undefined) {
    main.append(
      stateBlock(
        'empty',
        'No skill has evidence for these filters: pick another framework or time range, or import a framework first.',
      ),
    );
    return;
  }
  const skillName = skills.find(([iri]) => iri === skill)?.[1] ?? skill;
  const offered = [
    ...new Set(
      cells.rows
        .filter((r) => r['skill'] === skill && r['attribute'] !== 'organisation')
        .map((r) => String(r['cohort'])),
    ),
  ];
  main.append(
    h(
      'fieldset',
      {},
      h(
        'legend',
        {},
        `Cohorts beside the organisation (${metaText(cells.meta['cohort'], 'team')})`,
      ),
      offered.map((c) =>
        h(
          'label',
          {},
          h('input', {
            type: 'checkbox',
            value: c,
            checked: state.cohorts.includes(c),
            onchange: (e: Event) => {
              const on = (e.target as HTMLInputElement).checked;
              ctx.navigate({
                cohorts: on ? [...state.cohorts, c] : state.cohorts.filter((x) => x !== c),
              });
            },
          }),
          c,
        ),
      ),
    ),
  );
  const params = { ...base, skill, weeks: weeksOf(base['from'], base['asOf']) };
  const series: { name: string; res: ReportResponse; value: string | undefined }[] = [
    { name: 'Organisation', res: await report('/growth', params), value: undefined },
  ];
  for (const c of state.cohorts) {
    series.push({ name: c, res: await report('/growth', { ...params, cohortValue: c }), value: c });
  }
  const rowsOf = (res: ReportResponse): Row[] =>
    res.rows
      .filter((r) => r['skill'] === skill)
      .sort((a, b) => Number(a['week']) - Number(b['week']));
  const org = rowsOf(series[0]!.res);
  if (org.length === 0) {
    main.append(stateBlock('empty', `No weekly figures for ${skillName} in this range.`));
    return;
  }
  const weeks = org.map((r) => String(r['weekEnd']));
  if (state.filters.skill === undefined)
    main.append(
      h('p', { class: 'lead' }, `Showing ${skillName}, the first skill; pick another above.`),
    );
  const { card, chart } = await chartCard({
    title: `${skillName}: weekly mastery (80% band) and practice volume`,
    description:
      'Lines: mastery as of each week end (the organisation pools everyone: one learner); dashed lines for cohorts. The shaded band is the organisation’s 80% credible interval. Bars: evidence rows of the week (practice volume). Withheld cohorts are not drawn.',
    path: '/growth',
    params,
    testId: 'growth',
  });
  main.append(card);
  const withheld = series.filter(
    (s) =>
      s.value !== undefined &&
      (s.res.meta['withheldSkills'] as string[] | undefined)?.includes(skill),
  );
  if (withheld.length > 0)
    main.append(
      stateBlock(
        'empty',
        `Withheld (too few people to show): ${withheld.map((s) => s.name).join(', ')}.`,
      ),
    );
  // Mastery and its band only where the evidence suffices: the prior alone is no figure.
  const byWeek = (rows: Row[], key: string) =>
    weeks.map((w) => {
      const r = rows.find((x) => x['weekEnd'] === w);
      const v = r?.[key];
      if (key !== 'statements' && r?.['sufficient'] !== true) return null;
      return typeof v === 'number' ? Number(v.toFixed(3)) : null;
    });
  const low = byWeek(org, 'low80');
  const high = byWeek(org, 'high80');
  // The difficulty model's weekly cohort means come without an interval: then no band at all (a
  // stack of nothing but gaps is no figure, and the chart library does not expect one).
  const banded = low.some((v, i) => v !== null && high[i] !== null);
  const dashes = ['dashed', 'dotted', 'dashed', 'dotted'] as const;
  const symbols = ['circle', 'triangle', 'diamond', 'rect', 'pin'];
  drawChart(chart, `Weekly mastery and practice volume of ${skillName}`, {
    tooltip: { trigger: 'axis' },
    legend: {
      top: 0,
      type: 'scroll',
      data: [
        'Organisation volume',
        ...(banded ? ['80% band'] : []),
        ...series.map((s) => `${s.name} mastery`),
      ],
    },
    grid: { left: 8, right: 8, top: 36, bottom: 8, containLabel: true },
    xAxis: { type: 'category', data: weeks, axisLabel: { rotate: 30 } },
    yAxis: [
      { type: 'value', name: 'mastery', min: 0, max: 1 },
      { type: 'value', name: 'evidence rows', splitLine: { show: false } },
    ],
    series: [
      {
        name: 'Organisation volume',
        type: 'bar',
        yAxisIndex: 1,
        data: byWeek(org, 'statements'),
        itemStyle: { color: '#b8c4d0' },
      },
      // The band: the low edge (invisible), then the width stacked on it.
      ...(banded
        ? [
            {
              name: '80% band low',
              type: 'line',
              data: low,
              stack: 'band',
              lineStyle: { opacity: 0 },
              symbol: 'none',
              tooltip: { show: false },
            },
            {
              name: '80% band',
              type: 'line',
              data: high.map((v, i) =>
                v === null || low[i] == null ? null : Number((v - low[i]).toFixed(3)),
              ),
              stack: 'band',
              lineStyle: { opacity: 0 },
              symbol: 'none',
              areaStyle: { color: 'rgba(0,114,178,0.2)' },
            },
          ]
        : []),
      ...series.map((s, i) => ({
        name: `${s.name} mastery`,
        type: 'line',
        data: byWeek(rowsOf(s.res), 'mastery'),
        symbol: symbols[i % symbols.length],
        symbolSize: 7,
        lineStyle: { width: 2, type: i === 0 ? 'solid' : dashes[(i - 1) % dashes.length] },
      })),
    ],
  });
  for (const s of series.slice(1)) {
    const { card: c2 } = await chartCard({
      title: `${s.name}: the figures behind its line`,
      description: 'The growth report of this cohort, as the chart above draws it.',
      path: '/growth',
      params: { ...params, cohortValue: s.value },
      testId: 'growth-cohort',
    });
    c2.querySelector('.chart')?.remove();
    main.append(c2);
  }
}
