import {
  MAX_DRILL_SKILLS,
  MAX_DRILL_SUBJECTS,
  type EvidencePosition,
  type Store,
  type StoredEvidence,
} from '@cairn/store';
import type { ReportColumn, ReportRow, ReportTable } from '../export/report-table.js';
import { ReportErrors } from './report-errors.js';
import type { Pseudonymiser } from './pseudonyms.js';
import type { SkillColumn } from './skill-columns.js';

const W_UNITS = 10_000;
const Y_UNITS = 1_000;
/**
 * Rows per read of a streamed export: large, since a server without the evidence index (the local
 * one) scans the collection once per read, and small enough that a page is a few MiB at most.
 */
const PAGE_READ = 5000;

export const DRILL_DOWN_COLUMNS: readonly ReportColumn[] = [
  { name: 'day', type: 'string', description: 'UTC day the evidence counts on' },
  { name: 'statementId', type: 'string', description: 'The statement behind the row' },
  { name: 'skill', type: 'string', description: 'Skill IRI the row is evidence of' },
  { name: 'role', type: 'string', description: 'actor, author (credited content) or subject' },
  { name: 'source', type: 'string', description: 'formal or social' },
  {
    name: 'kind',
    type: 'string',
    description: 'outcome, practice, recognition, exposure, assertion',
  },
  { name: 'concept', type: 'string', description: 'The verb concept' },
  { name: 'verb', type: 'string', description: 'The verb IRI as sent' },
  { name: 'platform', type: 'string', description: 'context.platform, if any' },
  { name: 'activityId', type: 'string', description: 'The object activity' },
  { name: 'outcome', type: 'number', description: 'Outcome y in [0, 1]; null without one' },
  { name: 'weight', type: 'number', description: 'Weight w of the row' },
  { name: 'events', type: 'integer', description: 'Event count n' },
  {
    name: 'state',
    type: 'string',
    description: 'counted; retracted (its statement was voided); pending (being counted)',
  },
];

/** A page position as an opaque token for `after`. */
export function encodePosition(p: EvidencePosition): string {
  return Buffer.from(JSON.stringify([p.day, p.key])).toString('base64url');
}

export function decodePosition(token: string): EvidencePosition {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (Array.isArray(parsed) && typeof parsed[0] === 'string' && typeof parsed[1] === 'string')
      return { day: parsed[0], key: parsed[1] };
  } catch {
    // fall through: any malformed token gets the same answer
  }
  throw new ReportErrors.invalid('after is not a page token of this report');
}

function rowOf(e: StoredEvidence, alias: Pseudonymiser): ReportRow {
  return {
    day: e.day,
    statementId: alias(e.statementId),
    skill: e.skill,
    role: e.role,
    source: e.source,
    kind: e.kind,
    concept: e.concept,
    verb: e.verb,
    platform: e.platform,
    activityId: e.activityId,
    outcome: e.yUnits === null ? null : e.yUnits / Y_UNITS,
    weight: e.wUnits / W_UNITS,
    events: e.n,
    state: e.state,
  };
}

export interface DrillDownRequest {
  /** Pseudonymises the person and statement ids of the answer. */
  readonly alias: Pseudonymiser;
  readonly storeId: string;
  readonly person: string;
  readonly column: SkillColumn;
  readonly to: string;
  readonly after: EvidencePosition | undefined;
  /** Rows wanted; undefined: all of them (an export), read page by page. */
  readonly limit: number | undefined;
}

/**
 * The evidence rows behind one person x skill figure, latest first. The first page is read before
 * the answer starts, so that an unknown person is a 404 and `next` can be told; the rest streams.
 */
export async function drillDown(store: Store, request: DrillDownRequest): Promise<ReportTable> {
  const person = await store.peopleOf(request.storeId).get(request.person);
  if (person === null) throw new ReportErrors.notFound(`no person ${request.person}`);
  const skills = [...request.column.covers];
  if (skills.length > MAX_DRILL_SKILLS)
    throw new ReportErrors.invalid(
      `${request.column.skill} covers ${skills.length} skills; drill down into one of its narrower skills (at most ${MAX_DRILL_SKILLS})`,
    );
  const subjects = person.identifiers.slice(0, MAX_DRILL_SUBJECTS);
  const evidence = store.evidenceOf(request.storeId);
  const read = (after: EvidencePosition | undefined, limit: number): Promise<StoredEvidence[]> =>
    evidence.ofSubjectSkill(subjects, skills, {
      limit,
      ...(after === undefined ? { to: request.to } : { after }),
    });
  const wanted = request.limit;
  const first = await read(request.after, wanted === undefined ? PAGE_READ : wanted + 1);
  const shown = wanted === undefined ? first : first.slice(0, wanted);
  const last = shown[shown.length - 1];
  const next =
    wanted !== undefined && first.length > wanted && last !== undefined
      ? encodePosition({ day: last.day, key: last.key })
      : null;
  async function* rows(): AsyncGenerator<ReportRow> {
    for (const e of shown) yield rowOf(e, request.alias);
    if (wanted !== undefined || first.length < PAGE_READ) return;
    let position = last === undefined ? undefined : { day: last.day, key: last.key };
    for (;;) {
      const page = await read(position, PAGE_READ);
      for (const e of page) yield rowOf(e, request.alias);
      const end = page[page.length - 1];
      if (page.length < PAGE_READ || end === undefined) return;
      position = { day: end.day, key: end.key };
    }
  }
  return {
    report: 'evidence',
    meta: {
      person: request.alias(request.person),
      skill: request.column.skill,
      skills,
      to: request.to,
      next,
      truncatedIdentifiers: person.identifiers.length > MAX_DRILL_SUBJECTS,
    },
    columns: DRILL_DOWN_COLUMNS,
    rows: rows(),
  };
}
