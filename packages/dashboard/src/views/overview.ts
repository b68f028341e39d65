import { frameworks, report, type Row } from '../api.js';
import { drawChart } from '../charts.js';
import { h, stateBlock } from '../dom.js';
import { chartCard, filterParams, metaText, table, type ViewContext } from './view-kit.js';

const ORGANISATION = 'organisation';

/** A cell shown but on thin evidence: few of its people have enough, or a wide interval. */
export function isThin(row: Row): boolean {
  const people = Number(row['people'] ?? 0);
  const sufficient = Number(row['sufficient'] ?? 0);
  const low = row['meanLow80'];
  const high = row['meanHigh80'];
  const wide = typeof low === 'number' && typeof high === 'number' && high - low > 0.25;
  return sufficient * 2 < people || wide;
}

/** Why a cell's coloured figure is not shown, or null when it is. */
function withheldReason(row: Row, colour: 'mastery' | 'growing'): string | null {
  if (typeof row['withheld'] === 'string') return row['withheld'];
  const figure = colour === 'mastery' ? row['meanMastery'] : row['shareGrowing'];
  if (figure === null && typeof row['masteryWithheld'] === 'string') return row['masteryWithheld'];
  return null;
}

/** The organisation overview: the skills x cohorts heatmap. */
export async function overviewView(ctx: ViewContext): Promise<void> {
  const { state, main } = ctx;
  const params = filterParams(state);
  const res = await report('/heatmap', params);
  if (res.rows.length === 0) {
    const fw = await frameworks().catch(() => null);
    main.append(
      fw !== null && fw.length === 0
        ? stateBlock(
            'empty',
            'No framework yet: import one (POST /api/v1/frameworks/import, see ',
            h('a', { href: '/api/v1/docs' }, 'the API'),
            ' and docs/skills-and-rules.md), then the heatmap fills as evidence arrives.',
          )
        : stateBlock(
            'empty',
            'No cohort has evidence for these filters. Widen the time range, pick another framework or skill, or check ',
            h('a', { href: '?view=health' }, 'data health'),
            '.',
          ),
    );
    return;
  }
  const colour = state.colour;
  const figure = colour === 'mastery' ? 'meanMastery' : 'shareGrowing';
  const skills: { iri: string; name: string }[] = [];
  for (const r of res.rows) {
    const iri = String(r['skill']);
    if (!skills.some((s) => s.iri === iri)) skills.push({ iri, name: String(r['skillName']) });
  }
  // The organisation first: the row every cohort is compared with.
  const cohorts: string[] = res.rows.some((r) => r['attribute'] === ORGANISATION)
    ? ['Organisation']
    : [];
  for (const r of res.rows) {
    const name = r['attribute'] === ORGANISATION ? 'Organisation' : String(r['cohort']);
    if (!cohorts.includes(name)) cohorts.push(name);
  }
  const y = (r: Row): number =>
    cohorts.indexOf(r['attribute'] === ORGANISATION ? 'Organisation' : String(r['cohort']));
  const x = (r: Row): number => skills.findIndex((s) => s.iri === r['skill']);

  const shown = res.rows.filter((r) => withheldReason(r, colour) === null && r[figure] !== null);
  const withheld = res.rows.filter((r) => withheldReason(r, colour) !== null);
  const withheldCount = withheld.length;

  main.append(
    h(
      'fieldset',
      { class: 'colour' },
      h('legend', {}, 'Colour by'),
      (['mastery', 'growing'] as const).map((c) =>
        h(
          'label',
          {},
          h('input', {
            type: 'radio',
            name: 'colour',
            value: c,
            checked: c === colour,
            onchange: () => ctx.navigate({ colour: c }),
          }),
          c === 'mastery' ? 'Mean mastery' : 'Share growing',
        ),
      ),
    ),
  );

  const { card, chart } = await chartCard({
    title: `Skills x ${metaText(res.meta['cohort'], 'team')}: ${colour === 'mastery' ? 'mean mastery' : 'share growing'}`,
    description: `As of ${metaText(res.meta['asOf'], '')}. Each cell shows its figure; * marks thin evidence (fewer than half the people with sufficient evidence, or an 80% interval wider than 0.25); "withheld" cells have too few people to show (k = ${metaText(res.meta['k'], '5')}). ${withheldCount} cell(s) withheld.`,
    path: '/heatmap',
    params,
    tall: true,
    testId: 'heatmap',
  });
  main.append(card);
  const cell = (r: Row) => {
    const v = r[figure] as number;
    return {
      value: [x(r), y(r), Number(v.toFixed(2))],
      label: { color: v > 0.55 ? '#ffffff' : '#1b1f24' },
      thin: isThin(r),
    };
  };
  drawChart(
    chart,
    `Heatmap of ${colour === 'mastery' ? 'mean mastery' : 'share growing'} by skill and cohort; the table below has every figure.`,
    {
      tooltip: {
        formatter: (p: { data: { value: number[] }; seriesIndex: number }) => {
          const [sx, sy, v] = p.data.value as [number, number, number | string];
          const s = skills[sx]?.name ?? '';
          const c = cohorts[sy] ?? '';
          return p.seriesIndex === 1 ? `${c}, ${s}: withheld` : `${c}, ${s}: ${String(v)}`;
        },
      },
      grid: { left: 8, right: 8, top: 8, bottom: 70, containLabel: true },
      xAxis: {
        type: 'category',
        data: skills.map((s) => s.name),
        axisLabel: { rotate: 35, interval: 0, width: 110, overflow: 'truncate' },
      },
      yAxis: {
        type: 'category',
        data: cohorts,
        inverse: true,
        axisLabel: { width: 120, overflow: 'truncate' },
      },
      visualMap: {
        min: 0,
        max: 1,
        calculable: false,
        orient: 'horizontal',
        left: 'center',
        bottom: 0,
        seriesIndex: 0,
        text: ['1', '0'],
        // Light to dark (cividis-like): readable by most colour-blind people and in greyscale.
        inRange: { color: ['#fde9a9', '#9fc49a', '#4f8f8a', '#2f5d87', '#1d2f5e'] },
      },
      series: [
        {
          type: 'heatmap',
          data: shown.map(cell),
          label: {
            show: true,
            formatter: (p: { data: { value: number[]; thin: boolean } }) =>
              `${String(p.data.value[2])}${p.data.thin ? '*' : ''}`,
          },
          itemStyle: { borderColor: '#ffffff', borderWidth: 1 },
        },
        {
          type: 'heatmap',
          name: 'withheld',
          data: withheld.map((r) => ({ value: [x(r), y(r), 0] })),
          label: { show: true, formatter: 'withheld', color: '#1b1f24', fontSize: 10 },
          itemStyle: { color: '#e6e8eb', borderColor: '#ffffff', borderWidth: 1 },
        },
      ],
    },
  );
  main.append(
    h(
      'details',
      {},
      h('summary', {}, 'Table of the figures'),
      table(
        'Every cell of the heatmap, with its people, interval and why it is withheld',
        [
          { key: 'cohortName', title: 'Cohort' },
          { key: 'skillName', title: 'Skill' },
          { key: 'people', title: 'People', num: true },
          { key: 'sufficient', title: 'Sufficient', num: true },
          { key: 'meanMastery', title: 'Mean mastery', num: true },
          { key: 'interval', title: '80% interval' },
          { key: 'shareGrowing', title: 'Share growing', num: true },
          { key: 'evidenceNote', title: 'Evidence' },
          { key: 'withheldNote', title: 'Withheld' },
        ],
        res.rows.map((r) => ({
          ...r,
          cohortName: r['attribute'] === ORGANISATION ? 'Organisation' : r['cohort'],
          interval:
            typeof r['meanLow80'] === 'number' && typeof r['meanHigh80'] === 'number'
              ? `${r['meanLow80'].toFixed(2)}–${r['meanHigh80'].toFixed(2)}`
              : '–',
          evidenceNote: withheldReason(r, colour) === null && isThin(r) ? 'thin' : '',
          withheldNote: r['withheld'] ?? r['masteryWithheld'] ?? '',
        })),
      ),
    ),
  );
}
