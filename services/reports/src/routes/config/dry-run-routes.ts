import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsync } from 'fastify';
import { hasScope } from '@cairn/auth';
import { derivationOf, evidenceKey, statementEvidence, type Derivation } from '@cairn/analytics';
import type { Store } from '@cairn/store';
import { formatProblems, validateStatement, type Statement } from '@cairn/xapi';
import { ApiErrors } from './api-errors.js';
import { dryRunSchema } from './api-schemas.js';
import { requireReader, storeOf } from './api-scopes.js';

export interface DryRunRoutesOptions {
  readonly store: Store;
  readonly now: () => Date;
}

type DryRunBody = { readonly statement: unknown } | { readonly statementId: string };

/** The statement to derive, its `stored` time, and how it came. */
interface Subject {
  readonly statement: Statement;
  readonly stored: string;
  /** A stored statement's voided flag; false for a statement sent to the dry run. */
  readonly voided: boolean;
  /** True when the dry run gave the statement an id (rows are keyed by statement id). */
  readonly idAssigned: boolean;
}

/**
 * The statement of a dry run. A stored one is read with its stored time. A sent one is checked
 * as xAPI 2.0 would check it, given an id if it has none, and derived as if stored now: what it
 * would produce if it were sent now (a future timestamp is capped at now, as on arrival).
 */
async function subjectOf(
  store: Store,
  storeId: string,
  body: DryRunBody,
  now: Date,
): Promise<Subject> {
  if ('statementId' in body) {
    const stored = await store.statementsOf(storeId).get(body.statementId);
    if (stored === null) throw new ApiErrors.statementNotFound(body.statementId);
    return {
      statement: JSON.parse(stored.json) as Statement,
      stored: stored.stored.toISOString(),
      voided: stored.voided,
      idAssigned: false,
    };
  }
  const checked = validateStatement(body.statement, '2.0.0');
  if (!checked.ok) throw new ApiErrors.badStatement(formatProblems(checked.problems));
  const statement = checked.value;
  return {
    statement: statement.id === undefined ? { ...statement, id: randomUUID() } : statement,
    stored: now.toISOString(),
    voided: false,
    idAssigned: statement.id === undefined,
  };
}

/**
 * POST /dry-run: the evidence rows a statement (sent, or stored and named by id) produces under
 * the store's current settings, and why: verb resolution, each skill's alignment reasons (ways
 * A-E), the people credited, the day, and notes on every row that is missing. Nothing is written.
 */
export const dryRunRoutes: FastifyPluginAsync<DryRunRoutesOptions> = async (app, options) => {
  const { store, now } = options;

  app.post<{ Body: DryRunBody }>(
    '/dry-run',
    { onRequest: requireReader, schema: { body: dryRunSchema } },
    async (request) => {
      const storeId = storeOf(request);
      const principal = request.principal;
      // A stored statement names its people: cohort reports alone may not see it
      // (docs/analytics-core.md, section 6). A statement sent in the body is the caller's own.
      if (
        'statementId' in request.body &&
        principal !== null &&
        !hasScope(principal, 'admin') &&
        !hasScope(principal, 'statements/read', 'read')
      ) {
        throw new ApiErrors.statementForbidden(principal.scopes.join(', '));
      }
      const subject = await subjectOf(store, storeId, request.body, now());
      const derivation: Derivation = derivationOf(
        await store.skillSettingsOf(storeId).derivationSettings(),
      );
      const result = statementEvidence({
        store: storeId,
        statement: subject.statement,
        stored: subject.stored,
        verbs: derivation.verbs,
        rules: derivation.rules,
      });
      const common = {
        generation: derivation.generation,
        statementId: subject.statement.id,
        idAssigned: subject.idAssigned,
        stored: subject.stored,
        voided: subject.voided,
      };
      if (result.type === 'void') {
        return {
          ...common,
          type: 'void',
          tombstone: result.tombstone,
          rows: [],
          explanation: result.explanation,
        };
      }
      return {
        ...common,
        type: 'evidence',
        unknownVerb: result.unknownVerb ?? null,
        rows: result.rows.map((row) => ({ key: evidenceKey(row), ...row })),
        explanation: result.explanation,
      };
    },
  );
};
