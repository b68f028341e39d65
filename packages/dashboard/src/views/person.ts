import { report, type Row } from '../api.js';
import { drawChart } from '../charts.js';
import { h, stateBlock } from '../dom.js';
import { chartCard, table, type ViewContext } from './view-kit.js';

const PERSON_ID = /^[0-9a-f]{64}$/;

/** A person's profile (reports:person): mastery with intervals, trend, and the evidence behind. */
export async function personView(ctx: ViewContext): Promise<void> {
  const { state, main } = ctx;
  const form = h(
    'form',
    {
      class: 'filters',
      onsubmit: (e: Event) => {
        e.preventDefault();
        const id = new FormData(e.target as HTMLFormElement).get('person');
        ctx.navigate({ person: typeof id === 'string' ? id.trim() : undefined });
      },
    },
    h(
      'label',
      {},
      'Person id (64 hex characters, from the people API or a knowledge-sharing edge)',
      h('input', {
        name: 'person',
        value: state.person ?? '',
        autocomplete: 'off',
        spellcheck: 'false',
      }),
    ),
    h('button', { class: 'primary', type: 'submit' }, 'Show profile'),
  );
  main.append(form);
  const person = state.person;
  if (person === undefined) {
    main.append(stateBlock('empty', 'Enter a person id to see their skills.'));
    return;
  }
  if (!PERSON_ID.test(person)) {
    main.append(stateBlock('error', 'A person id is 64 lowercase hexadecimal characters.'));
    return;
  }
  const params = {
    asOf: state.filters.asOf,
    framework: state.filters.framework,
    skill: state.filters.skill,
  };
  const path = `/people/${person}/profile`;
  const res = await report(path, params);
  const rows = res.rows.filter((r) => typeof r['mastery'] === 'number');
  if (rows.length === 0) {
    main.append(stateBlock('empty', 'This person has no evidence for these skills yet.'));
    return;
  }
  const { card, chart } = await chartCard({
    title: 'Mastery per skill, with its 80% interval',
    description:
      'Dots: mastery as of the day; bars: the 80% credible interval. Hollow dots: insufficient evidence (fewer than 3). Select a row of the table for the evidence behind it.',
    path,
    params,
    testId: 'profile',
  });
  main.append(card);
  const names = rows.map((r) => String(r['skillName']));
  const num = (r: Row, k: string) => (typeof r[k] === 'number' ? Number(r[k].toFixed(3)) : 0);
  drawChart(chart, "Each skill's mastery with its 80% interval; the table below has the figures.", {
    tooltip: { trigger: 'axis' },
    grid: { left: 8, right: 16, top: 8, bottom: 8, containLabel: true },
    xAxis: { type: 'value', min: 0, max: 1 },
    yAxis: {
      type: 'category',
      data: names,
      inverse: true,
      axisLabel: { width: 140, overflow: 'truncate' },
    },
    series: [
      {
        name: 'interval low',
        type: 'bar',
        stack: 'i',
        data: rows.map((r) => num(r, 'low80')),
        itemStyle: { color: 'transparent' },
        tooltip: { show: false },
      },
      {
        name: '80% interval',
        type: 'bar',
        stack: 'i',
        barWidth: 8,
        data: rows.map((r) => Number((num(r, 'high80') - num(r, 'low80')).toFixed(3))),
        itemStyle: { color: '#8fb3d9' },
      },
      {
        name: 'mastery',
        type: 'scatter',
        symbolSize: 12,
        data: rows.map((r) => ({
          value: num(r, 'mastery'),
          itemStyle:
            r['sufficient'] === true
              ? { color: '#0b57a4' }
              : { color: '#ffffff', borderColor: '#0b57a4', borderWidth: 2 },
        })),
      },
    ],
  });
  const evidence = h('div', { 'data-testid': 'evidence' });
  main.append(
    table(
      'Per skill: mastery, interval, evidence, growth test and weekly trend. Select a row for its evidence.',
      [
        { key: 'skillName', title: 'Skill' },
        { key: 'mastery', title: 'Mastery', num: true },
        { key: 'interval', title: '80% interval' },
        { key: 'evidence', title: 'Evidence', num: true },
        { key: 'sufficientText', title: 'Sufficient' },
        { key: 'growingText', title: 'Growing' },
        { key: 'trend', title: 'Weekly trend' },
        { key: 'lastEvidenceDay', title: 'Last evidence' },
      ],
      res.rows.map((r) => ({
        ...r,
        interval:
          typeof r['low80'] === 'number'
            ? `${num(r, 'low80').toFixed(2)}–${num(r, 'high80').toFixed(2)}`
            : '–',
        sufficientText: r['sufficient'] === true ? 'yes' : 'no (thin)',
        growingText:
          r['growing'] === true ? 'growing' : r['growing'] === false ? 'not growing' : '–',
      })),
      (r) =>
        void showEvidence(
          evidence,
          person,
          String(r['skill']),
          String(r['skillName']),
          params.asOf,
        ),
    ),
    evidence,
  );
}

async function showEvidence(
  into: HTMLElement,
  person: string,
  skill: string,
  skillName: string,
  asOf: string | undefined,
): Promise<void> {
  into.replaceChildren(stateBlock('loading', `Loading the evidence for ${skillName}…`));
  const path = `/people/${person}/evidence`;
  const params = { skill, asOf, limit: '100' };
  try {
    const res = await report(path, params);
    const { card } = await chartCard({
      title: `Evidence behind ${skillName} (latest 100)`,
      description: 'Each row is one statement’s evidence for this skill, latest first.',
      path,
      params,
      testId: 'evidence-card',
    });
    card.querySelector('.chart')?.remove();
    card.append(
      res.rows.length === 0
        ? stateBlock('empty', 'No evidence rows.')
        : table(
            `Evidence rows for ${skillName}`,
            [
              { key: 'day', title: 'Day' },
              { key: 'source', title: 'Source' },
              { key: 'kind', title: 'Kind' },
              { key: 'concept', title: 'Verb' },
              { key: 'platform', title: 'Platform' },
              { key: 'activityId', title: 'Activity' },
              { key: 'outcome', title: 'Outcome', num: true },
              { key: 'weight', title: 'Weight', num: true },
            ],
            res.rows,
          ),
    );
    into.replaceChildren(card);
    into.scrollIntoView({ block: 'start' });
  } catch (error) {
    into.replaceChildren(
      stateBlock('error', `The evidence could not be loaded: ${(error as Error).message}`),
    );
  }
}
