import { agentsIn, definitionsIn, type Statement } from '@cairn/xapi';
import type { ActivityDefinitionRecord } from './activities.js';
import type { IdentifierSighting } from './people.js';
import { orderStamp, type StoredStatement } from './statements.js';

/*
 * What stored statements contribute to the activities and people of their store. The pipeline
 * records it (workers/aggregator), and the Activities and Agents resources also read it from a
 * few latest statements, so that a statement's definitions show at once, before the pipeline has
 * recorded them: both go through these functions, so they cannot disagree.
 */

function parsed(s: StoredStatement): Statement {
  return JSON.parse(s.json) as Statement;
}

/**
 * The activity definitions the statements carry, each stamped with its statement's storage order.
 * Only statements whose credential held `define` count: without it, "the LRS SHOULD NOT update
 * its canonical representation of any Actors or Activities" (xAPI Communication 4.2).
 */
export function definitionRecordsOf(
  statements: readonly StoredStatement[],
): ActivityDefinitionRecord[] {
  return statements
    .filter((s) => s.mayDefine)
    .flatMap((s) => {
      const stamp = orderStamp(s);
      return definitionsIn(parsed(s)).map((d) => ({ ...d, first: stamp, last: stamp }));
    });
}

/**
 * The agent identifiers the statements mention, with the names given to them. Identifiers are
 * recorded from every statement; names only from those whose credential held `define`, for the
 * reason above.
 */
export function identifierSightingsOf(
  statements: readonly StoredStatement[],
): IdentifierSighting[] {
  return statements.flatMap((s) =>
    agentsIn(parsed(s)).map((a) => ({
      key: a.key,
      lookupKeys: a.lookupKeys,
      ifi: a.ifi,
      names: s.mayDefine && a.name !== undefined ? [a.name] : [],
    })),
  );
}
