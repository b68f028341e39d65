import {
  agentLookupKeysOf,
  redactAgents,
  VOIDED_VERB_ID,
  type Actor,
  type Statement,
} from '@cairn/xapi';
import type { ErasurePlan } from '@cairn/store';

/** Whether some of an Agent's lookup keys are the erased person's. */
export type ErasedKeys = (lookupKeys: readonly string[]) => boolean;

/**
 * Whether the statement is the person's own: its actor is the person, or a Group that is the
 * person (its IFI) or an anonymous Group whose every member is the person. A Group with other
 * members, or an identified Group, is not: the statement is theirs too, and is redacted.
 */
export function isOwnStatement(statement: Statement, erased: ErasedKeys): boolean {
  const actor: Actor = statement.actor;
  const own = agentLookupKeysOf(actor);
  if (own.length > 0) return erased(own);
  if (actor.objectType !== 'Group') return false;
  const members = actor.member ?? [];
  return members.length > 0 && members.every((m) => erased(agentLookupKeysOf(m)));
}

/** What an erasure does with one statement: see {@link planErasure}. */
export type ErasureAction = 'delete' | 'redact' | 'keep';

/**
 * Decides, statement by statement, and then settles voids (docs/identity.md, "Erasure"):
 *
 * - the person's own statements are deleted (their evidence, and what others got from them, is
 *   retracted);
 * - statements of others that name the person anywhere (object, Group member, instructor, team,
 *   context agents, authority, an author extension, a SubStatement) are redacted: the person is
 *   replaced by the erased Agent, which identifies nobody, so only the person's own rows go;
 * - a void of the person's that targets a statement that stays is redacted, not deleted: the
 *   void stays in force (deleting it would bring its target's evidence back).
 *
 * Pure; `add` takes statements in any order and `plan` answers once all were seen.
 */
export function erasurePlanner(erased: ErasedKeys): {
  add(statementId: string, statement: Statement): ErasureAction;
  plan(): ErasurePlan;
} {
  const deleted = new Set<string>();
  const redacted = new Set<string>();
  /** Own voids, by id, with their target. */
  const ownVoids = new Map<string, string>();
  return {
    add(statementId, statement) {
      if (redactAgents(statement, erased).replaced === 0) return 'keep';
      if (!isOwnStatement(statement, erased)) {
        redacted.add(statementId);
        return 'redact';
      }
      const object = statement.object;
      if (statement.verb.id === VOIDED_VERB_ID && object.objectType === 'StatementRef')
        ownVoids.set(statementId, object.id);
      deleted.add(statementId);
      return 'delete';
    },
    plan() {
      for (const [voidId, target] of ownVoids) {
        if (deleted.has(target)) continue;
        deleted.delete(voidId);
        redacted.add(voidId);
      }
      return { deleted: [...deleted].sort(), redacted: [...redacted].sort() };
    },
  };
}
