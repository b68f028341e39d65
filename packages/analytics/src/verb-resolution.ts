import { contextActivityList, isActivity, type Statement } from '@cairn/xapi';
import type { VerbConcept, VerbTable } from './verb-concepts.js';

/** What a statement's verb means, or that the table does not know it. */
export type VerbResolution =
  | {
      readonly status: 'known';
      readonly iri: string;
      /** The concept name, after refinement by context. */
      readonly concept: string;
      readonly meaning: VerbConcept;
      /** The alias's own concept when context refined it (e.g. `answered` -> `peer-answered`). */
      readonly refinedFrom?: string;
    }
  | { readonly status: 'unknown'; readonly iri: string };

function objectType(statement: Statement): string | undefined {
  return isActivity(statement.object) ? statement.object.definition?.type : undefined;
}

/**
 * The concept a verb takes in context. The same IRI means different things on different
 * content: `answered` on a test item is an outcome, on a forum thread it is social practice,
 * and on a forum thread with success true it is an accepted answer (section 2's table); the video
 * profile reuses ADL `completed`, which on a video is exposure.
 */
function refine(concept: string, statement: Statement, table: VerbTable): string {
  const type = objectType(statement);
  if (concept === 'answered') {
    const parents = contextActivityList(statement.context?.contextActivities?.parent);
    const onQa = [type, ...parents.map((p) => p.definition?.type)].some(
      (t) => t !== undefined && table.qaActivityTypes.includes(t),
    );
    if (onQa) return statement.result?.success === true ? 'accepted-answer' : 'peer-answered';
  }
  if (concept === 'completed' && type !== undefined && table.videoActivityTypes.includes(type)) {
    return 'video-completed';
  }
  return concept;
}

/**
 * The concept of a statement's verb. An IRI missing from the aliases, or aliased to a concept the
 * table lacks, is `unknown`: the caller counts it; it is never dropped silently.
 */
export function resolveVerb(statement: Statement, table: VerbTable): VerbResolution {
  const iri = statement.verb.id;
  // Own keys only, so that no name inherited from Object.prototype is taken for an entry.
  const alias = Object.hasOwn(table.aliases, iri) ? table.aliases[iri] : undefined;
  if (alias === undefined) return { status: 'unknown', iri };
  const refined = refine(alias, statement, table);
  // A store may have removed a refined concept: fall back to the alias's own.
  const name = Object.hasOwn(table.concepts, refined) ? refined : alias;
  const meaning = Object.hasOwn(table.concepts, name) ? table.concepts[name] : undefined;
  if (meaning === undefined) return { status: 'unknown', iri };
  return {
    status: 'known',
    iri,
    concept: name,
    meaning,
    ...(name === alias ? {} : { refinedFrom: alias }),
  };
}
