/** The views, in the order of the navigation. */
export const VIEWS = [
  { id: 'overview', title: 'Overview', person: false },
  { id: 'skill', title: 'Skill over time', person: false },
  { id: 'social', title: 'Social and formal', person: false },
  { id: 'sharing', title: 'Knowledge sharing', person: false },
  { id: 'person', title: 'Person', person: true },
  { id: 'health', title: 'Data health', person: false },
] as const;

export type ViewId = (typeof VIEWS)[number]['id'];

/** The filters, all in the URL's query string so that a view can be shared and reloaded. */
export const FILTERS = [
  'from',
  'asOf',
  'framework',
  'skill',
  'cohort',
  'source',
  'platform',
] as const;
export type Filter = (typeof FILTERS)[number];

/** What a view shows: the view, the filters and the view's own choices. */
export interface ViewState {
  readonly view: ViewId;
  readonly filters: Readonly<Partial<Record<Filter, string>>>;
  /** Overview: colour by mean mastery or by share growing. */
  readonly colour: 'mastery' | 'growing';
  /** Skill over time: the cohorts drawn beside the organisation. */
  readonly cohorts: readonly string[];
  /** Person view: the person's id. */
  readonly person: string | undefined;
  /** Knowledge sharing: cohort flows, or people (reports:person). */
  readonly level: 'cohort' | 'person';
}

const isView = (v: string | null): v is ViewId => VIEWS.some((x) => x.id === v);

export function readState(search: string): ViewState {
  const q = new URLSearchParams(search);
  const filters: Partial<Record<Filter, string>> = {};
  for (const f of FILTERS) {
    const v = q.get(f);
    if (v !== null && v !== '') filters[f] = v;
  }
  const view = q.get('view');
  const cohorts = q.get('cohorts');
  return {
    view: isView(view) ? view : 'overview',
    filters,
    colour: q.get('colour') === 'growing' ? 'growing' : 'mastery',
    cohorts: cohorts === null || cohorts === '' ? [] : cohorts.split('|'),
    person: q.get('person') ?? undefined,
    level: q.get('level') === 'person' ? 'person' : 'cohort',
  };
}

export function writeState(state: ViewState): string {
  const q = new URLSearchParams();
  q.set('view', state.view);
  for (const f of FILTERS) {
    const v = state.filters[f];
    if (v !== undefined && v !== '') q.set(f, v);
  }
  if (state.colour !== 'mastery') q.set('colour', state.colour);
  if (state.cohorts.length > 0) q.set('cohorts', state.cohorts.join('|'));
  if (state.person !== undefined && state.person !== '') q.set('person', state.person);
  if (state.level !== 'cohort') q.set('level', state.level);
  return `?${q.toString()}`;
}
