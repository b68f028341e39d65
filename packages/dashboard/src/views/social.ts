import { report, skillNames, type Row } from '../api.js';
import { drawChart } from '../charts.js';
import { h, stateBlock } from '../dom.js';
import { chartCard, filterParams, table, type ViewContext } from './view-kit.js';

const isOrg = (r: Row) => r['attribute'] === 'organisation';

/**
 * Social and formal: evidence by source per week, mastery with and without social evidence, and
 * practice by platform and verb. Associations, never causes: the report says so and so do we.
 */
export async function socialView(ctx: ViewContext): Promise<void> {
  const { state, main } = ctx;
  const base = filterParams(state);
  const names = await skillNames();
  const sources = await report('/social-formal', { ...base, view: 'sources' });
  const orgRows = sources.rows.filter(isOrg);
  const skill = state.filters.skill ?? (orgRows[0]?.['skill'] as string | undefined);
  if (skill === undefined) {
    main.append(
      stateBlock(
        'empty',
        'No evidence for these filters: widen the time range, or import a framework and send statements first.',
      ),
    );
    return;
  }
  const skillName = names.get(skill) ?? skill;
  main.append(
    h(
      'p',
      { class: 'lead' },
      `${skillName}${state.filters.skill === undefined ? ' (the first skill; pick another above)' : ''}. These figures show association, not cause: people who learn socially may differ in other ways.`,
    ),
  );

  // 1. Evidence by source per week, for the organisation.
  const params = { ...base, skill, view: 'sources' };
  const weekly = orgRows
    .filter((r) => r['skill'] === skill)
    .sort((a, b) => Number(a['week']) - Number(b['week']));
  const first = await chartCard({
    title: 'Evidence by source per week (organisation)',
    description:
      'Stacked bars: formal evidence rows (solid) and social ones (lighter, on top) per week. The CSV holds every cohort’s rows of the same report.',
    path: '/social-formal',
    params,
    testId: 'sources',
  });
  main.append(first.card);
  drawChart(first.chart, `Formal and social evidence per week for ${skillName}`, {
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 8, right: 8, top: 36, bottom: 8, containLabel: true },
    xAxis: {
      type: 'category',
      data: weekly.map((r) => String(r['weekEnd'])),
      axisLabel: { rotate: 30 },
    },
    yAxis: { type: 'value', name: 'evidence rows' },
    series: [
      {
        name: 'Formal',
        type: 'bar',
        stack: 's',
        data: weekly.map((r) => r['formalStatements']),
        itemStyle: { color: '#0072B2' },
      },
      {
        name: 'Social',
        type: 'bar',
        stack: 's',
        data: weekly.map((r) => r['socialStatements']),
        itemStyle: { color: '#E69F00' },
      },
    ],
  });

  // 2. Practice by platform and source.
  const platformParams = { ...base, skill, view: 'platforms' };
  const platforms = await report('/social-formal', platformParams);
  const shown = platforms.rows.filter(
    (r) =>
      isOrg(r) &&
      r['withheld'] === null &&
      (state.filters.platform === undefined ||
        (r['platform'] ?? '(none)') === state.filters.platform),
  );
  const platformNames = [...new Set(shown.map((r) => String(r['platform'] ?? '(none)')))];
  const sum = (platform: string, source: string) =>
    shown
      .filter((r) => String(r['platform'] ?? '(none)') === platform && r['source'] === source)
      .reduce((n, r) => n + Number(r['statements'] ?? 0), 0);
  const second = await chartCard({
    title: 'Practice by platform (organisation)',
    description: `Evidence rows in the time range per platform, formal and social.${state.filters.platform === undefined ? '' : ` Only platform ${state.filters.platform} (the CSV holds every platform: the report has no platform parameter).`} The table below breaks it down by verb.`,
    path: '/social-formal',
    params: platformParams,
    testId: 'platforms',
  });
  main.append(second.card);
  if (platformNames.length === 0)
    second.card.append(stateBlock('empty', 'No platform activity shown for these filters.'));
  else
    drawChart(second.chart, `Evidence rows per platform for ${skillName}`, {
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 8, right: 24, top: 36, bottom: 8, containLabel: true },
      xAxis: { type: 'value' },
      yAxis: {
        type: 'category',
        data: platformNames,
        inverse: true,
        axisLabel: { width: 140, overflow: 'truncate' },
      },
      series: ['formal', 'social'].map((source) => ({
        name: source === 'formal' ? 'Formal' : 'Social',
        type: 'bar',
        stack: 'p',
        data: platformNames.map((p) => sum(p, source)),
        itemStyle: { color: source === 'formal' ? '#0072B2' : '#E69F00' },
        label: {
          show: true,
          formatter: (p: { value: number }) => (p.value > 0 ? String(p.value) : ''),
          position: 'inside',
          color: source === 'formal' ? '#ffffff' : '#1b1f24',
        },
      })),
    });
  second.card.append(
    h(
      'details',
      {},
      h('summary', {}, 'By platform and verb'),
      table(
        'Evidence rows per platform, verb concept and source (organisation)',
        [
          { key: 'platformName', title: 'Platform' },
          { key: 'concept', title: 'Verb' },
          { key: 'source', title: 'Source' },
          { key: 'people', title: 'People', num: true },
          { key: 'statements', title: 'Rows', num: true },
        ],
        shown.map((r) => ({ ...r, platformName: r['platform'] ?? '(none)' })),
      ),
    ),
  );

  // 3. Mastery of the people with and without social evidence.
  const wwParams = { ...base, skill, view: 'with-without' };
  const ww = await report('/social-formal', wwParams);
  const third = await chartCard({
    title: 'Mastery with and without social evidence',
    description:
      'Mean mastery (80% interval) of the people with social evidence and of those without, per cohort. Withheld groups say why.',
    path: '/social-formal',
    params: wwParams,
    testId: 'with-without',
  });
  third.card.querySelector('.chart')?.remove();
  third.card.append(
    table(
      'Mean mastery by group',
      [
        { key: 'cohortName', title: 'Cohort' },
        { key: 'group', title: 'Group' },
        { key: 'people', title: 'People', num: true },
        { key: 'meanMastery', title: 'Mean mastery', num: true },
        { key: 'interval', title: '80% interval' },
        { key: 'shareGrowing', title: 'Share growing', num: true },
        { key: 'withheldText', title: 'Withheld' },
      ],
      ww.rows
        .filter((r) => r['skill'] === skill)
        .map((r) => ({
          ...r,
          cohortName: isOrg(r) ? 'Organisation' : r['cohort'],
          interval:
            typeof r['meanLow80'] === 'number' && typeof r['meanHigh80'] === 'number'
              ? `${r['meanLow80'].toFixed(2)}–${r['meanHigh80'].toFixed(2)}`
              : '–',
          withheldText: r['withheld'] ?? '',
        })),
    ),
  );
  main.append(third.card);
}
