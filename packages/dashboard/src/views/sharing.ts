import { report, skillNames, type Row } from '../api.js';
import { drawChart } from '../charts.js';
import { h, stateBlock } from '../dom.js';
import { chartCard, filterParams, table, type ViewContext } from './view-kit.js';

/**
 * Knowledge sharing: who helps whom for a skill, as a network. Cohort-to-cohort flows for
 * everyone; people (by id, never by name) where the credential holds reports:person.
 */
export async function sharingView(ctx: ViewContext): Promise<void> {
  const { state, main, me } = ctx;
  const personLevel = me.scopes.includes('reports:person') || me.scopes.includes('admin');
  const level = personLevel && state.level === 'person' ? 'person' : 'cohort';
  const base = filterParams(state);
  const names = await skillNames();
  if (personLevel)
    main.append(
      h(
        'fieldset',
        {},
        h('legend', {}, 'Show'),
        (['cohort', 'person'] as const).map((l) =>
          h(
            'label',
            {},
            h('input', {
              type: 'radio',
              name: 'level',
              value: l,
              checked: l === level,
              onchange: () => ctx.navigate({ level: l }),
            }),
            l === 'cohort' ? 'Cohort to cohort' : 'Person to person',
          ),
        ),
      ),
    );
  const params = { ...base, level };
  const res = await report('/knowledge-sharing', params);
  const skills = [...new Set(res.rows.map((r) => String(r['skill'])))];
  const skill = state.filters.skill ?? skills[0];
  if (skill === undefined) {
    main.append(
      stateBlock(
        'empty',
        'Nobody helped anybody for these filters: social evidence of helping (replies, likes, accepted answers) has not arrived yet.',
      ),
    );
    return;
  }
  const skillName = names.get(skill) ?? skill;
  const rows = res.rows.filter((r) => r['skill'] === skill);
  // The organisation's flow to itself is the total, not an arrow between cohorts: the table has it.
  const shown =
    level === 'cohort'
      ? rows.filter((r) => r['withheld'] === null && r['helperCohort'] !== 'organisation')
      : rows;
  const from = (r: Row) => String(level === 'cohort' ? r['helperCohort'] : r['helper']);
  const to = (r: Row) => String(level === 'cohort' ? r['helpedCohort'] : r['helped']);
  const label = (id: string) => (level === 'person' ? id.slice(0, 8) : id);
  const nodes = [...new Set(shown.flatMap((r) => [from(r), to(r)]))];
  const withheldCount = rows.filter((r) => r['withheld'] !== null).length;
  const weight = new Map<string, number>();
  for (const r of shown)
    weight.set(from(r), (weight.get(from(r)) ?? 0) + Number(r['statements'] ?? 0));
  const max = Math.max(1, ...shown.map((r) => Number(r['statements'] ?? 0)));
  const { card, chart } = await chartCard({
    title: `Who helps whom: ${skillName} (${level === 'cohort' ? 'cohorts' : 'people'})`,
    description: `Arrows point from the ${level === 'cohort' ? 'cohort whose people' : 'person who'} helped to the ${level === 'cohort' ? 'cohort' : 'person'} helped; each arrow is labelled with its helping acts, and bigger circles helped more.${level === 'cohort' ? ` ${withheldCount} flow(s) withheld (too few helpers or helped).` : ' People are shown by the start of their id.'}${state.filters.skill === undefined ? ' The first skill with helping; pick another above.' : ''}`,
    path: '/knowledge-sharing',
    params,
    tall: true,
    testId: 'sharing',
  });
  main.append(card);
  if (shown.length === 0)
    card.append(stateBlock('empty', 'No flow between cohorts of this skill can be shown.'));
  else
    drawChart(
      chart,
      `Network of knowledge sharing for ${skillName}; the table below lists every arrow.`,
      {
        tooltip: {},
        series: [
          {
            type: 'graph',
            layout: nodes.length > 30 ? 'force' : 'circular',
            force: { repulsion: 120, edgeLength: 80 },
            roam: true,
            label: { show: true, position: 'right', color: '#1b1f24' },
            edgeSymbol: ['none', 'arrow'],
            edgeSymbolSize: 8,
            data: nodes.map((n) => ({
              name: n,
              value: weight.get(n) ?? 0,
              symbolSize: 12 + Math.sqrt(weight.get(n) ?? 0) * 3,
              label: { formatter: label(n) },
            })),
            links: shown.map((r) => ({
              source: from(r),
              target: to(r),
              value: Number(r['statements'] ?? 0),
              lineStyle: {
                width: 1 + (4 * Number(r['statements'] ?? 0)) / max,
                curveness: 0.2,
                opacity: 0.7,
              },
              label: { show: shown.length <= 40, formatter: String(r['statements'] ?? '') },
            })),
          },
        ],
      },
    );
  main.append(
    table(
      `Every ${level === 'cohort' ? 'flow' : 'edge'} of ${skillName}`,
      level === 'cohort'
        ? [
            { key: 'helperCohort', title: 'Helpers in' },
            { key: 'helpedCohort', title: 'Helped in' },
            { key: 'helpers', title: 'Helpers', num: true },
            { key: 'helped', title: 'Helped', num: true },
            { key: 'statements', title: 'Acts', num: true },
            { key: 'withheldText', title: 'Withheld' },
          ]
        : [
            { key: 'helper', title: 'Helper' },
            { key: 'helped', title: 'Helped' },
            { key: 'statements', title: 'Acts', num: true },
            { key: 'helperReach', title: 'Helper reach', num: true },
          ],
      rows.map((r) => ({ ...r, withheldText: r['withheld'] ?? '' })),
    ),
  );
}
