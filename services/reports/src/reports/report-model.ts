import { DEFAULT_MASTERY_MODEL, MASTERY_MODELS, type MasteryModelName } from '@cairn/analytics';

/** The `model` query parameter of every report with mastery figures. */
export const MODEL_QUERY = {
  model: {
    type: 'string',
    enum: Object.keys(MASTERY_MODELS),
    description: `Mastery model: difficulty (a Rasch model with activity difficulties fitted from the whole store) or beta (decayed evidence, difficulty ignored); default ${DEFAULT_MASTERY_MODEL}.`,
  },
} as const;

/** The model a query asks for (the route schema admits only the models' names). */
export function modelOf(value: string | undefined): MasteryModelName {
  return value === 'beta' || value === 'difficulty' ? value : DEFAULT_MASTERY_MODEL;
}

/** How a report's mastery and growth figures were computed, for its `meta`. */
export function modelMeta(model: MasteryModelName): Record<string, unknown> {
  return {
    model,
    defaultModel: DEFAULT_MASTERY_MODEL,
    growthTest: 'beta',
    modelNote:
      model === 'difficulty'
        ? 'Mastery: the difficulty (Rasch) model, difficulties fitted from the whole store as of asOf. Growth ("growing", delta, z) and pooled figures: the Beta model\'s disjoint-window test, whose recall is higher at the same precision.'
        : 'Mastery and growth: the decayed Beta model; activity difficulty is ignored.',
  };
}
