import { createDataset, type Dataset } from './statement-generator.js';

/**
 * Documents shaped like the statements collection's (packages/store/src/statements.ts): the
 * statement as a `json` string plus the dozen fields Cairn's indexes name, about 1.1 KB of BSON
 * each. For loading the local server directly, without the API, in the local-server benchmark.
 */
export interface StatementLikeDoc {
  _id: string;
  storeId: string;
  statementId: string;
  json: string;
  stored: Date;
  order: string;
  voided: boolean;
  verbId: string;
  agentKeys: string[];
  relatedAgentKeys: string[];
  objectActivityId: string | null;
  relatedActivityIds: string[];
  registration: string | null;
  voidsStatementId: string | null;
  refStatementId: string | null;
  isStatementRef: boolean;
  authorityKey: string;
  attachmentHashes: string[];
  mayDefine: boolean;
  pipeline: { state: 'pending' | 'done'; since: Date };
}

export const BENCH_STORE_ID = 'bench-store';
const EPOCH = Date.UTC(2026, 0, 1);

export interface StatementDocs {
  readonly dataset: Dataset;
  /** Document `i`; the same `i` gives the same document, `version` changes its `json`. */
  doc(i: number, version?: number): StatementLikeDoc;
}

export function statementDocs(seed = 1): StatementDocs {
  const dataset = createDataset({ seed });
  return {
    dataset,
    doc(i, version = 0) {
      const statement = dataset.statement(i);
      const id = dataset.statementId(i);
      const stored = new Date(EPOCH + i * 1_000);
      const actor = statement.actor;
      const agentKey =
        'mbox' in actor && actor.mbox !== undefined
          ? `mbox:${actor.mbox}`
          : `account:${JSON.stringify(actor)}`;
      const object = statement.object;
      const activityId = 'id' in object && object.objectType !== 'StatementRef' ? object.id : null;
      const related = [
        statement.context?.contextActivities?.parent ?? [],
        statement.context?.contextActivities?.grouping ?? [],
      ].flat();
      return {
        _id: `${BENCH_STORE_ID}|${id}`,
        storeId: BENCH_STORE_ID,
        statementId: id,
        json: version === 0 ? JSON.stringify(statement) : JSON.stringify({ ...statement, version }),
        stored,
        order: `${stored.toISOString()}|${id}`,
        voided: false,
        verbId: statement.verb.id,
        agentKeys: [agentKey],
        relatedAgentKeys: [agentKey],
        objectActivityId: activityId ?? null,
        relatedActivityIds: [...(activityId ? [activityId] : []), ...related.map((a) => a.id)],
        registration: statement.context?.registration ?? null,
        voidsStatementId: null,
        refStatementId: null,
        isStatementRef: false,
        authorityKey: 'mbox:mailto:bench@example.org',
        attachmentHashes: [],
        mayDefine: true,
        pipeline: { state: 'done', since: stored },
      };
    },
  };
}
