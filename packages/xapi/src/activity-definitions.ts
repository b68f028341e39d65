import { canonicalJson } from './canonical-json.js';
import type {
  Activity,
  ActivityDefinition,
  Context,
  LanguageMap,
  Statement,
  SubStatement,
} from './statement-types.js';
import { CONTEXT_ACTIVITY_TYPES, contextActivityList, isActivity } from './statement-types.js';

/** An Activity definition as a statement carried it. */
export interface CarriedDefinition {
  readonly activityId: string;
  readonly definition: ActivityDefinition;
}

/**
 * A definition of one activity with the order stamps of the earliest and the latest statement
 * that carried it. A stamp is any string that sorts like the statements' storage order (Cairn
 * uses `stored` as an ISO string, `|`, and the statement id).
 */
export interface DefinitionSighting {
  readonly definition: ActivityDefinition;
  readonly first: string;
  readonly last: string;
}

/** The interaction properties (xAPI-Data 2.4.4.1, Interaction Activities): the rest. */
type InteractionPart = Omit<
  ActivityDefinition,
  'name' | 'description' | 'type' | 'moreInfo' | 'extensions'
>;

function activityOf(part: Statement | SubStatement): Activity[] {
  return isActivity(part.object) ? [part.object] : [];
}

function contextActivities(context: Context | undefined): Activity[] {
  const ca = context?.contextActivities;
  if (ca === undefined) return [];
  return CONTEXT_ACTIVITY_TYPES.flatMap((type) => contextActivityList(ca[type]));
}

/**
 * Every Activity of a statement that carries a non-empty definition, in statement order: the
 * object, the context activities, and the same in a SubStatement. An activity may appear more
 * than once (as the object and as a parent, say), each time with the definition it carried there.
 */
export function definitionsIn(statement: Statement): CarriedDefinition[] {
  const parts: (Statement | SubStatement)[] = [statement];
  if (statement.object.objectType === 'SubStatement') parts.push(statement.object);
  return parts
    .flatMap((p) => [...activityOf(p), ...contextActivities(p.context)])
    .filter((a) => a.definition !== undefined && Object.keys(a.definition).length > 0)
    .map((a) => ({ activityId: a.id, definition: a.definition ?? {} }));
}

/** A value with the stamp that orders it against the other candidates for the same slot. */
interface Candidate<T> {
  readonly value: T;
  readonly stamp: string;
  /** Breaks ties between equal stamps, so that the winner never depends on input order. */
  readonly tie: string;
}

function candidate<T>(value: T, stamp: string): Candidate<T> {
  return { value, stamp, tie: canonicalJson(value) };
}

function before(a: Candidate<unknown>, b: Candidate<unknown>): boolean {
  return a.stamp < b.stamp || (a.stamp === b.stamp && a.tie < b.tie);
}

/** Keeps, per slot, the latest candidate (or the earliest, with `earliest`). */
class Slots<T> {
  private readonly best = new Map<string, Candidate<T>>();
  constructor(private readonly earliest = false) {}

  offer(slot: string, c: Candidate<T>): void {
    const current = this.best.get(slot);
    const wins = current === undefined || (this.earliest ? before(c, current) : before(current, c));
    if (wins) this.best.set(slot, c);
  }

  get(slot: string): T | undefined {
    return this.best.get(slot)?.value;
  }

  /** [slot, value] pairs sorted by slot. */
  entries(): [string, T][] {
    return [...this.best.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([slot, c]) => [slot, c.value]);
  }
}

/** Language map entries keyed by lower-cased tag: RFC 5646 tags are case-insensitive. */
function offerLanguageMap(
  slots: Slots<[string, string]>,
  map: LanguageMap | undefined,
  stamp: string,
): void {
  for (const [tag, text] of Object.entries(map ?? {})) {
    slots.offer(tag.toLowerCase(), candidate([tag, text], stamp));
  }
}

function languageMap(slots: Slots<[string, string]>): LanguageMap | undefined {
  const entries = slots.entries().map(([, entry]) => entry);
  return entries.length === 0 ? undefined : Object.fromEntries(entries);
}

function interactionPart(d: ActivityDefinition): InteractionPart | undefined {
  const { name, description, type, moreInfo, extensions, ...part } = d;
  return Object.keys(part).length === 0 ? undefined : part;
}

/**
 * The canonical definition of an activity, from the definitions that statements allowed to define
 * it carried (xAPI-Data 2.4.4.1.s4, Activity Definition LRS requirements; xAPI-Communication 4.2,
 * the `define` scope). Each property is decided on its own:
 *
 * - `name` and `description` are merged language by language (tags compared case-insensitively):
 *   for each language, the text of the latest definition that has one. A later statement thus
 *   corrects a spelling or adds a translation without erasing the other languages (b3, b4).
 * - `type`, `moreInfo`, and each extension key: the value of the latest definition that has it.
 * - The interaction properties (`interactionType`, `correctResponsesPattern` and the component
 *   lists) are taken together from the earliest definition that has any of them and never
 *   changed afterwards: they are the "significant changes, e.g. to correct responses" that an LRS
 *   SHOULD NOT make (b5), and mixing two definitions' components would describe neither.
 *
 * "Latest" and "earliest" follow the sightings' stamps, with ties broken by content, so the
 * result depends only on the set of sightings: not on their order, and not on how often one is
 * repeated (a batch processed twice changes nothing). Undefined when nothing is defined.
 */
export function mergeDefinitions(
  sightings: readonly DefinitionSighting[],
): ActivityDefinition | undefined {
  const name = new Slots<[string, string]>();
  const description = new Slots<[string, string]>();
  const scalars = new Slots<string>();
  const extensions = new Slots<unknown>();
  const interaction = new Slots<InteractionPart>(true);
  for (const { definition: d, first, last } of sightings) {
    offerLanguageMap(name, d.name, last);
    offerLanguageMap(description, d.description, last);
    if (d.type !== undefined) scalars.offer('type', candidate(d.type, last));
    if (d.moreInfo !== undefined) scalars.offer('moreInfo', candidate(d.moreInfo, last));
    for (const [key, value] of Object.entries(d.extensions ?? {})) {
      extensions.offer(key, candidate(value, last));
    }
    const part = interactionPart(d);
    if (part !== undefined) interaction.offer('interaction', candidate(part, first));
  }

  const out: ActivityDefinition = {};
  const names = languageMap(name);
  if (names !== undefined) out.name = names;
  const descriptions = languageMap(description);
  if (descriptions !== undefined) out.description = descriptions;
  const type = scalars.get('type');
  if (type !== undefined) out.type = type;
  const moreInfo = scalars.get('moreInfo');
  if (moreInfo !== undefined) out.moreInfo = moreInfo;
  Object.assign(out, interaction.get('interaction'));
  const ext = extensions.entries();
  if (ext.length > 0) out.extensions = Object.fromEntries(ext);
  return Object.keys(out).length === 0 ? undefined : out;
}
