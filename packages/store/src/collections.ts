/** Every collection Cairn uses, by name, so that no other code spells one. */
export const COLLECTIONS = {
  stores: 'stores',
  credentials: 'credentials',
  statements: 'statements',
  attachments: 'attachments',
  documents: 'documents',
  activities: 'activities',
  people: 'people',
  evidence: 'evidence',
  skillDays: 'skill_days',
  tombstones: 'tombstones',
  unknownVerbs: 'unknown_verbs',
} as const;
