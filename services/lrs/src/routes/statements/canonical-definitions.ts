import {
  definitionRecordsOf,
  type ActivityDefinitionRecord,
  type ActivityRepository,
  type StoredStatement,
} from '@cairn/store';
import {
  mergeDefinitions,
  statementIndexFields,
  type ActivityDefinition,
  type Statement,
} from '@cairn/xapi';

/**
 * For `format=canonical` (xAPI Communication 2.1.3: "return Activity Objects ... populated with
 * the canonical definition of the Activity Objects ... as determined by the LRS"): the canonical
 * definition of every activity in these statements (object, context activities, SubStatement),
 * merged as GET /activities merges them, from the definitions the pipeline recorded and those the
 * statements themselves carry (newer than the pipeline's work, perhaps). One read for the page.
 */
export async function canonicalDefinitionsFor(
  activities: ActivityRepository,
  statements: readonly StoredStatement[],
  /** The same statements, already parsed by the caller (which renders them next). */
  parsed: readonly Statement[],
): Promise<Map<string, ActivityDefinition>> {
  const ids = new Set<string>();
  for (const s of parsed) {
    for (const id of statementIndexFields(s).relatedActivityIds) ids.add(id);
  }
  if (ids.size === 0) return new Map();
  const recorded = await activities.definitionsOfMany([...ids]);
  const byActivity = new Map<string, ActivityDefinitionRecord[]>();
  for (const record of [...recorded, ...definitionRecordsOf(statements)]) {
    const list = byActivity.get(record.activityId);
    if (list === undefined) byActivity.set(record.activityId, [record]);
    else list.push(record);
  }
  const definitions = new Map<string, ActivityDefinition>();
  for (const [activityId, records] of byActivity) {
    const definition = mergeDefinitions(records);
    if (definition !== undefined) definitions.set(activityId, definition);
  }
  return definitions;
}
