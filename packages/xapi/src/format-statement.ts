import type {
  Activity,
  ActivityDefinition,
  Actor,
  Agent,
  Context,
  ContextActivities,
  Group,
  InverseFunctionalIdentifiers,
  LanguageMap,
  Statement,
  StatementObject,
  SubStatement,
  Verb,
} from './statement-types.js';
import { CONTEXT_ACTIVITY_TYPES, isActivity } from './statement-types.js';

/** The `format` parameter of GET /statements (xAPI-Communication 2.1.3). */
export type StatementFormat = 'exact' | 'ids' | 'canonical';

interface Transforms {
  readonly agent: (agent: Agent) => Agent;
  readonly group: (group: Group) => Group;
  readonly activity: (activity: Activity) => Activity;
  readonly verb: (verb: Verb) => Verb;
}

function actor(a: Actor, t: Transforms): Actor {
  return a.objectType === 'Group' ? t.group(a) : t.agent(a);
}

function activities(
  list: Activity | Activity[] | undefined,
  t: Transforms,
): Activity | Activity[] | undefined {
  if (list === undefined) return undefined;
  return Array.isArray(list) ? list.map(t.activity) : t.activity(list);
}

function context(c: Context, t: Transforms): Context {
  const out: Context = { ...c };
  if (c.instructor !== undefined) out.instructor = actor(c.instructor, t);
  if (c.team !== undefined) out.team = t.group(c.team);
  if (c.contextActivities !== undefined) {
    const ca: ContextActivities = {};
    for (const type of CONTEXT_ACTIVITY_TYPES) {
      const value = activities(c.contextActivities[type], t);
      if (value !== undefined) ca[type] = value;
    }
    out.contextActivities = ca;
  }
  if (c.contextAgents !== undefined) {
    out.contextAgents = c.contextAgents.map((x) => ({ ...x, agent: t.agent(x.agent) }));
  }
  if (c.contextGroups !== undefined) {
    out.contextGroups = c.contextGroups.map((x) => ({ ...x, group: t.group(x.group) }));
  }
  return out;
}

function object(o: StatementObject, t: Transforms): StatementObject {
  if (isActivity(o)) return t.activity(o);
  if (o.objectType === 'StatementRef') return o;
  if (o.objectType === 'SubStatement') return part(o, t);
  return actor(o, t);
}

function part<S extends Statement | SubStatement>(s: S, t: Transforms): S {
  const out: S = { ...s, actor: actor(s.actor, t), verb: t.verb(s.verb) };
  out.object = object(s.object, t);
  if (s.context !== undefined) out.context = context(s.context, t);
  return out;
}

function transform(s: Statement, t: Transforms): Statement {
  const out = part(s, t);
  if (s.authority !== undefined) out.authority = actor(s.authority, t);
  return out;
}

/** Only the IFI of an Agent or Identified Group. */
function ifiOnly(agent: InverseFunctionalIdentifiers): InverseFunctionalIdentifiers {
  if (agent.mbox !== undefined) return { mbox: agent.mbox };
  if (agent.mbox_sha1sum !== undefined) return { mbox_sha1sum: agent.mbox_sha1sum };
  if (agent.openid !== undefined) return { openid: agent.openid };
  if (agent.account !== undefined) return { account: agent.account };
  return {};
}

function agentIds(agent: Agent): Agent {
  return agent.objectType === undefined
    ? ifiOnly(agent)
    : { objectType: agent.objectType, ...ifiOnly(agent) };
}

function groupIds(group: Group): Group {
  const ifi = ifiOnly(group);
  const identified = Object.keys(ifi).length > 0;
  // "For Anonymous Groups this means including the minimum information needed to identify each
  // member" (xAPI-Communication 2.1.3, format).
  if (identified) return { objectType: 'Group', ...ifi };
  return { objectType: 'Group', member: (group.member ?? []).map(agentIds) };
}

const ID_TRANSFORMS: Transforms = {
  agent: agentIds,
  group: groupIds,
  // The id alone identifies an Activity, and an Activity's objectType is optional: the ADL suite
  // (XAPI-00171) expects exactly one property.
  activity: (a) => ({ id: a.id }),
  verb: (v) => ({ id: v.id }),
};

/**
 * The entry of a language map to keep for the ranges of an Accept-Language list, in preference
 * order (RFC 2616 14.4 matching, per language map: a range matches a tag equal to it or starting
 * with it followed by `-`; `*` matches any). Falls back to the map's first entry.
 */
export function pickLanguage(map: LanguageMap, languages: readonly string[]): LanguageMap {
  const keys = Object.keys(map);
  for (const range of languages) {
    const r = range.trim().toLowerCase();
    const key =
      r === '*'
        ? keys[0]
        : (keys.find((k) => k.toLowerCase() === r) ??
          keys.find((k) => k.toLowerCase().startsWith(`${r}-`)));
    if (key !== undefined) return { [key]: map[key] ?? '' };
  }
  const first = keys[0];
  return first === undefined ? {} : { [first]: map[first] ?? '' };
}

function canonicalDefinition(
  d: ActivityDefinition,
  languages: readonly string[],
): ActivityDefinition {
  const out: ActivityDefinition = { ...d };
  if (d.name !== undefined) out.name = pickLanguage(d.name, languages);
  if (d.description !== undefined) out.description = pickLanguage(d.description, languages);
  for (const list of ['choices', 'scale', 'source', 'target', 'steps'] as const) {
    const components = d[list];
    if (components === undefined) continue;
    out[list] = components.map((c) =>
      c.description === undefined
        ? c
        : { ...c, description: pickLanguage(c.description, languages) },
    );
  }
  return out;
}

function canonicalTransforms(
  languages: readonly string[],
  definitions: ReadonlyMap<string, ActivityDefinition>,
): Transforms {
  return {
    agent: (a) => a,
    group: (g) => g,
    activity: (a) => {
      const definition = definitions.get(a.id) ?? a.definition;
      return definition === undefined
        ? a
        : { ...a, definition: canonicalDefinition(definition, languages) };
    },
    verb: (v) =>
      v.display === undefined ? v : { ...v, display: pickLanguage(v.display, languages) },
  };
}

/**
 * A stored statement in the `format` of a GET (xAPI-Communication 2.1.3): `exact` as stored; `ids`
 * with Agents and Identified Groups reduced to objectType and IFI (Anonymous Groups to their
 * members' IFIs), Activities and Verbs to their id; `canonical` with one language per
 * language map of Activity definitions and Verb displays, chosen by `languages` (the parsed
 * Accept-Language list, most preferred first), Agents and Groups as in `exact`. For `canonical`,
 * `definitions` holds the LRS's canonical definition of each activity it knows, which replaces
 * the one the statement carried ("Activity Objects ... populated with the canonical definition
 * ... as determined by the LRS"); an activity it does not know keeps its own. The input is not
 * modified.
 */
export function formatStatement(
  s: Statement,
  format: StatementFormat,
  languages: readonly string[] = [],
  definitions: ReadonlyMap<string, ActivityDefinition> = new Map(),
): Statement {
  switch (format) {
    case 'exact':
      return s;
    case 'ids':
      return transform(s, ID_TRANSFORMS);
    case 'canonical':
      return transform(s, canonicalTransforms(languages, definitions));
  }
}
