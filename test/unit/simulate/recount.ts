// Recounts, from statements.ndjson alone, what the simulator's summary claims. The rules are the
// documented ones (docs/simulator.md), written again here rather than imported, so that a test
// compares the generator's bookkeeping with an independent reading of its output.
import { validateStatement, type Statement } from '@cairn/xapi';
import {
  KNOWN_VERB_IDS,
  LATE_MS,
  MESS_KINDS,
  resolveSkills,
  VERBS,
  type Framework,
  type MessKind,
} from '@cairn/simulate';

export interface Recount {
  readonly mess: Record<MessKind, number>;
  readonly byVerb: Record<string, number>;
  readonly byPlatform: Record<string, number>;
  readonly lines: number;
  /** Statements that passed validation (first deliveries only). */
  readonly valid: Statement[];
  /** Lines the validator rejected. */
  readonly rejected: unknown[];
}

type Json = Record<string, unknown>;

const asObject = (value: unknown): Json | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Json)
    : undefined;

const increment = (counts: Record<string, number>, key: string): void => {
  counts[key] = (counts[key] ?? 0) + 1;
};

export function recount(lines: readonly string[], framework: Framework): Recount {
  const mess = Object.fromEntries(MESS_KINDS.map((k) => [k, 0])) as Record<MessKind, number>;
  const byVerb: Record<string, number> = {};
  const byPlatform: Record<string, number> = {};
  const ids = new Map<string, number>();
  const idless = new Set<string>();
  const voiders: { index: number; target: string }[] = [];
  const valid: Statement[] = [];
  const rejected: unknown[] = [];
  let latest = -Infinity;
  lines.forEach((text, index) => {
    const statement = JSON.parse(text) as Json;
    const verbId = asObject(statement['verb'])?.['id'];
    const platform = asObject(statement['context'])?.['platform'];
    increment(byVerb, typeof verbId === 'string' ? verbId : '(none)');
    increment(byPlatform, typeof platform === 'string' ? platform : '(none)');
    const id = statement['id'];
    if (typeof id === 'string') {
      if (ids.has(id)) return void mess.duplicates++;
      ids.set(id, index);
    } else {
      if (idless.has(text)) return void mess.retries++;
      idless.add(text);
    }
    const time =
      typeof statement['timestamp'] === 'string' ? Date.parse(statement['timestamp']) : NaN;
    if (!Number.isNaN(time)) {
      if (time < latest - LATE_MS) mess['late-arrivals']++;
      else if (time < latest) mess['out-of-order']++;
      latest = Math.max(latest, time);
    }
    if (typeof verbId === 'string' && !KNOWN_VERB_IDS.has(verbId)) mess['unknown-verbs']++;
    const result = validateStatement(statement, '1.0.3');
    if (!result.ok) {
      mess.invalid++;
      rejected.push(statement);
      return;
    }
    valid.push(result.value);
    const object = result.value.object;
    if (verbId === VERBS.voided.id && object.objectType === 'StatementRef') {
      voiders.push({ index, target: object.id });
    } else if (resolveSkills(result.value, framework).length === 0) {
      mess['unaligned-activities']++;
    }
  });
  for (const { index, target } of voiders) {
    const targetIndex = ids.get(target) ?? Infinity;
    if (targetIndex > index) mess['voiding-before-target']++;
    else mess.voiding++;
  }
  return { mess, byVerb, byPlatform, lines: lines.length, valid, rejected };
}
