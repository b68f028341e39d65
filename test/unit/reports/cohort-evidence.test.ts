// The cohort pass of every cohort report (which cohort and skill cell each bucket counts in, and
// who is behind any cell for disclosure control) gives exactly what its straightforward form
// gives, whatever the directory, buckets, attribute, membership mode and source filter: caching
// its per-bucket work changed its speed, not its answers.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import t from 'tap';
import { cohortMeasures, personSkillSummary, sourcedDaySums } from '@cairn/analytics';
import {
  collectCohortEvidence,
  directoryIndex,
  judgedCells,
  ORGANISATION,
  skillColumns,
} from '@cairn/reports';
import type { MembershipRecord, SkillDay } from '@cairn/store';
import { referenceCollect } from './cohort-evidence-reference.js';

const frameworks = [
  {
    id: 'acme',
    name: 'Acme',
    skills: [
      { iri: 'data', name: 'Data' },
      { iri: 'sql', name: 'SQL', parent: 'data' },
      { iri: 'etl', name: 'ETL', parent: 'data' },
      { iri: 'ops', name: 'Ops' },
    ],
  },
];
const SKILLS = ['data', 'sql', 'etl', 'ops', 'unknown'];
const PEOPLE = ['p0', 'p1', 'p2', 'p3', 'p4', 'p5'];
const DAYS = ['2026-01-01', '2026-01-02', '2026-01-05', '2026-02-01', '2026-03-01'];
const TEAMS = ['red', 'blue', 'green'];

const period = fc.record({
  team: fc.constantFrom(...TEAMS),
  department: fc.constantFrom('eng', 'ops'),
  from: fc.constantFrom('2026-01-01', '2026-01-03'),
  to: fc.option(fc.constantFrom('2026-01-04', '2026-02-15'), { nil: undefined }),
  location: fc.option(fc.constantFrom('Oslo', 'Lima'), { nil: undefined }),
});

const record = (person: number) =>
  fc
    .record({
      manager: fc.option(fc.constantFrom('m1', 'm2'), { nil: undefined }),
      periods: fc.array(period, { minLength: 0, maxLength: 2 }),
    })
    .map(({ manager, periods }): MembershipRecord => ({
      directoryId: `d${person}`,
      name: `Person ${person}`,
      ...(manager === undefined ? {} : { manager }),
      identifiers: [`k${person}`],
      identifierPeriods: [],
      periods: periods.map(({ location, to, ...p }) => ({
        ...p,
        ...(to === undefined ? {} : { to }),
        ...(location === undefined ? {} : { attributes: [{ name: 'location', value: location }] }),
      })),
    }));

const bucket = fc
  .record({
    subject: fc.constantFrom('k0', 'k1', 'k2', 'k3', 'k4', 'k5', 'k6', 'stranger'),
    skill: fc.constantFrom(...SKILLS),
    day: fc.constantFrom(...DAYS),
    source: fc.constantFrom('formal' as const, 'social' as const),
    kind: fc.constantFrom('outcome' as const, 'practice' as const, 'recognition' as const),
    w: fc.integer({ min: 0, max: 50_000 }),
    y: fc.integer({ min: 0, max: 1000 }),
    statements: fc.integer({ min: 1, max: 4 }),
  })
  .map((b): SkillDay => ({
    key: { subject: b.subject, skill: b.skill, day: b.day, source: b.source, kind: b.kind },
    totals: {
      statements: BigInt(b.statements),
      events: BigInt(b.statements),
      w: BigInt(b.w),
      wy: BigInt(b.w * b.y),
      wy2: BigInt(b.w * b.y * b.y),
      wout: b.kind === 'outcome' ? BigInt(b.w) : 0n,
    },
  }));

async function* stream(buckets: readonly SkillDay[]): AsyncGenerator<SkillDay> {
  yield* buckets;
}

/** The cells as plain data: id, cohort, skill, each person's buckets in order. */
function cellsOf(
  cells: ReadonlyMap<
    string,
    {
      attribute: string;
      cohort: string;
      column: { skill: string };
      people: Map<string, Map<string, unknown>>;
    }
  >,
) {
  return [...cells].map(([id, c]) => [
    id,
    c.attribute,
    c.cohort,
    c.column.skill,
    [...c.people].map(([person, buckets]) => [person, [...buckets]]),
  ]);
}

t.test('the cohort pass answers as its straightforward form does', async (t) => {
  await fc.assert(
    fc.asyncProperty(
      fc.tuple(...PEOPLE.map((_, i) => fc.option(record(i), { nil: undefined }))),
      fc.array(bucket, { maxLength: 40 }),
      fc.constantFrom('team', 'department', 'manager', 'location', ORGANISATION),
      fc.constantFrom('event' as const, 'current' as const),
      fc.constantFrom(undefined, 'formal' as const, 'social' as const),
      fc.constantFrom('2026-01-05', '2026-03-01'),
      async (records, buckets, attribute, membership, source, asOf) => {
        const directory = directoryIndex(
          PEOPLE.map((p, i) => ({ personId: p, identifiers: [`k${i}`], ifis: [], names: [] })),
          records.filter((r): r is MembershipRecord => r !== undefined),
        );
        const columns = skillColumns(frameworks, {});
        const options = { directory, columns, attribute, membership, asOf, source, nMin: 1 };
        const got = await collectCohortEvidence({ ...options, buckets: stream(buckets) });
        const want = await referenceCollect({ ...options, buckets: stream(buckets) });
        assert.deepStrictEqual(cellsOf(got.cells), cellsOf(want.cells));
        assert.deepStrictEqual([...got.cohorts], [...want.cohorts]);
        const attributes = [...got.people.attributes];
        assert.deepStrictEqual(attributes, want.people.attributes);
        const sourceSets = [new Set(['formal', 'social'] as const), new Set(['social'] as const)];
        const specs = [
          ...[...got.cells.values()].map((c) => ({ attribute: c.attribute, cohort: c.cohort })),
          ...attributes.flatMap((a) => TEAMS.map((cohort) => ({ attribute: a, cohort }))),
        ].flatMap((c) =>
          columns.columns.flatMap((column) =>
            sourceSets.map((sources) => ({ ...c, covers: column.covers, sources })),
          ),
        );
        // With k = 1 nothing is withheld: every cell's figures are its members' summaries pooled,
        // each member summarised from their own buckets in that cell.
        const scope = {
          asOf,
          from: '2026-01-01',
          framework: undefined,
          skill: undefined,
          source,
          cohort: attribute,
          membership,
          periodDays: 28,
          model: 'beta' as const,
        };
        const judged = judgedCells({ scope, columns, allColumns: columns, evidence: got, k: 1 });
        const measureOptions = { asOf, from: scope.from, periodDays: scope.periodDays };
        for (const { cell, volume } of judged) {
          const members = [...cell.people.values()].map((b) =>
            personSkillSummary(sourcedDaySums(b.values()), measureOptions),
          );
          assert.deepStrictEqual(volume, cohortMeasures(members, measureOptions));
        }
        const plain = (p: {
          contributors: ReadonlySet<string>;
          sufficient: ReadonlySet<string>;
        }) => [[...p.contributors], [...p.sufficient]];
        for (const spec of specs) {
          assert.deepStrictEqual(plain(got.people.people(spec)), plain(want.people.people(spec)));
          assert.deepStrictEqual(got.people.widerCohorts(spec), want.people.widerCohorts(spec));
          const wider = { ...spec, attribute: ORGANISATION, cohort: ORGANISATION };
          const a = got.people.relaxation(spec, wider);
          const b = want.people.relaxation(spec, wider);
          assert.deepStrictEqual(plain(a), plain(b));
          assert.deepStrictEqual(
            a.changed === undefined ? null : plain(a.changed),
            b.changed === undefined ? null : plain(b.changed),
          );
        }
      },
    ),
    { numRuns: 150 },
  );
  t.pass('150 random directories and bucket sets answered alike');
});
