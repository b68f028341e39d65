import { ApiError, frameworks, frameworkSkills, session, signIn, signOut, type Me } from './api.js';
import { disposeCharts } from './charts.js';
import { h, stateBlock } from './dom.js';
import {
  FILTERS,
  readState,
  VIEWS,
  writeState,
  type Filter,
  type ViewId,
  type ViewState,
} from './state.js';
import { healthView } from './views/health.js';
import { overviewView } from './views/overview.js';
import { notServed } from './views/pending.js';
import { personView } from './views/person.js';
import { sharingView } from './views/sharing.js';
import { skillView } from './views/skill.js';
import { socialView } from './views/social.js';
import type { ViewContext } from './views/view-kit.js';

const main = document.getElementById('main') as HTMLElement;
const nav = document.getElementById('nav') as HTMLElement;
const whoEl = document.getElementById('who') as HTMLElement;

const DRAW: Record<ViewId, (ctx: ViewContext) => Promise<void>> = {
  overview: overviewView,
  skill: skillView,
  social: socialView,
  sharing: sharingView,
  person: personView,
  health: healthView,
};

/** What the credential may see: admin implies both report scopes, neither implies the other. */
const holds = (me: Me, scope: string) => me.scopes.includes(scope) || me.scopes.includes('admin');

function viewsFor(me: Me) {
  return VIEWS.filter((v) =>
    v.person ? holds(me, 'reports:person') : holds(me, 'reports:cohort'),
  );
}

let me: Me | null = null;

function navigate(next: Partial<ViewState>): void {
  const state = { ...readState(location.search), ...next };
  history.pushState(null, '', writeState(state));
  void render();
}

window.addEventListener('popstate', () => void render());

const LABELS: Record<Filter, string> = {
  from: 'From',
  asOf: 'As of',
  framework: 'Framework',
  skill: 'Skill',
  cohort: 'Cohorts by',
  source: 'Source',
  platform: 'Platform',
};

/** Which filters each view uses (a filter a view ignores is not offered there). */
const USES: Record<ViewId, readonly Filter[]> = {
  overview: ['from', 'asOf', 'framework', 'skill', 'cohort', 'source'],
  skill: ['from', 'asOf', 'framework', 'skill', 'cohort', 'source'],
  social: ['from', 'asOf', 'framework', 'skill', 'cohort', 'source', 'platform'],
  sharing: ['from', 'asOf', 'framework', 'skill', 'cohort'],
  person: ['asOf', 'framework', 'skill'],
  health: [],
};

async function filterForm(state: ViewState): Promise<HTMLElement | null> {
  const uses = USES[state.view];
  if (uses.length === 0) return null;
  const fws = await frameworks().catch(() => null);
  const fw = state.filters.framework ?? (fws?.length === 1 ? fws[0]?.id : undefined);
  const skills = fw === undefined ? null : await frameworkSkills(fw).catch(() => null);
  const field = (f: Filter): HTMLElement => {
    const value = state.filters[f] ?? '';
    let control: HTMLElement;
    if (f === 'from' || f === 'asOf') {
      control = h('input', { type: 'date', name: f, value });
    } else if (f === 'source') {
      control = h(
        'select',
        { name: f },
        [
          ['', 'All sources'],
          ['formal', 'Formal'],
          ['social', 'Social'],
        ].map(([v, t]) => h('option', { value: v, selected: v === value }, t)),
      );
    } else if (f === 'framework' && fws !== null) {
      control = h(
        'select',
        { name: f },
        h('option', { value: '' }, 'All frameworks'),
        fws.map((x) => h('option', { value: x.id, selected: x.id === value }, x.name)),
      );
    } else if (f === 'skill' && skills !== null) {
      control = h(
        'select',
        { name: f },
        h('option', { value: '' }, 'All skills'),
        skills.map((s) => h('option', { value: s.iri, selected: s.iri === value }, s.name)),
      );
    } else if (f === 'cohort') {
      control = h('input', { name: f, value, list: 'cohort-attributes', placeholder: 'team' });
    } else {
      control = h('input', { name: f, value });
    }
    return h('label', {}, LABELS[f], control);
  };
  const form = h(
    'form',
    {
      class: 'filters',
      'aria-label': 'Filters',
      onchange: (e: Event) => {
        const data = new FormData(e.currentTarget as HTMLFormElement);
        const filters: Partial<Record<Filter, string>> = {};
        for (const f of FILTERS) {
          const v = data.get(f);
          if (typeof v === 'string' && v !== '') filters[f] = v;
        }
        // A new framework makes the old skill meaningless.
        if (filters.framework !== state.filters.framework) delete filters.skill;
        navigate({ filters });
      },
      onsubmit: (e: Event) => e.preventDefault(),
    },
    uses.map(field),
    h(
      'datalist',
      { id: 'cohort-attributes' },
      ['team', 'department', 'manager', 'location', 'role'].map((v) => h('option', { value: v })),
    ),
  );
  return form;
}

function renderNav(state: ViewState, user: Me): void {
  nav.replaceChildren(
    ...viewsFor(user).map((v) =>
      h(
        'a',
        {
          href: writeState({ ...state, view: v.id }),
          'aria-current': v.id === state.view ? 'page' : null,
          onclick: (e: Event) => {
            e.preventDefault();
            navigate({ view: v.id });
          },
        },
        v.title,
      ),
    ),
  );
}

function renderWho(user: Me): void {
  whoEl.replaceChildren(
    h('span', {}, `Signed in as ${user.label || user.key}`),
    ...user.scopes.map((s) => h('span', { class: 'pill' }, s)),
    h(
      'button',
      {
        type: 'button',
        onclick: () =>
          void signOut().then(() => {
            me = null;
            renderSignIn('Signed out.');
          }),
      },
      'Sign out',
    ),
  );
}

function renderSignIn(message?: string, error?: string): void {
  disposeCharts();
  nav.replaceChildren();
  whoEl.replaceChildren();
  const form = h(
    'form',
    {
      class: 'signin',
      onsubmit: (e: Event) => {
        e.preventDefault();
        const data = new FormData(e.target as HTMLFormElement);
        const text = (name: string): string => {
          const v = data.get(name);
          return typeof v === 'string' ? v : '';
        };
        const key = text('key');
        const secret = text('secret');
        void signIn(key, secret).then(
          (user) => {
            me = user;
            void render();
          },
          (err: unknown) => renderSignIn(undefined, `Sign-in failed: ${(err as Error).message}`),
        );
      },
    },
    h('h2', {}, 'Sign in'),
    h(
      'p',
      { class: 'lead' },
      'Use a Cairn credential of your store (its key and secret) with the scope reports:cohort, reports:person or admin. The secret is sent once; the browser keeps only a session cookie.',
    ),
    message === undefined ? null : stateBlock('loading', message),
    error === undefined ? null : stateBlock('error', error),
    h('label', {}, 'Key', h('input', { name: 'key', required: true, autocomplete: 'username' })),
    h(
      'label',
      {},
      'Secret',
      h('input', {
        name: 'secret',
        type: 'password',
        required: true,
        autocomplete: 'current-password',
      }),
    ),
    h('button', { class: 'primary', type: 'submit' }, 'Sign in'),
  );
  main.replaceChildren(form);
}

async function render(): Promise<void> {
  if (me === null) {
    renderSignIn();
    return;
  }
  const user = me;
  let state = readState(location.search);
  const allowed = viewsFor(user);
  if (allowed.length === 0) {
    main.replaceChildren(
      stateBlock(
        'error',
        `This credential has none of the scopes the dashboard needs (reports:cohort, reports:person, admin); it has: ${user.scopes.join(', ') || '(none)'}.`,
      ),
    );
    renderWho(user);
    return;
  }
  if (!allowed.some((v) => v.id === state.view)) state = { ...state, view: allowed[0]!.id };
  disposeCharts();
  renderNav(state, user);
  renderWho(user);
  const title = VIEWS.find((v) => v.id === state.view)!.title;
  document.title = `${title} · Cairn dashboard`;
  main.removeAttribute('data-ready');
  const loading = stateBlock('loading', `Loading ${title.toLowerCase()}…`);
  main.replaceChildren(h('h2', {}, title), loading);
  // Charts measure their container: the view draws into a body already in the page.
  const body = h('div', { 'data-view': state.view });
  try {
    const form = await filterForm(state);
    main.replaceChildren(h('h2', {}, title), ...(form === null ? [] : [form]), loading, body);
    await DRAW[state.view]({ state, me: user, navigate, main: body });
    loading.remove();
    main.setAttribute('data-ready', state.view);
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      me = null;
      renderSignIn(undefined, `Your session ended (${error.message}). Sign in again.`);
      return;
    }
    const pending = notServed(error, title.toLowerCase());
    main.replaceChildren(
      h('h2', {}, title),
      pending ??
        stateBlock(
          'error',
          error instanceof ApiError
            ? `The report could not be loaded: ${error.message} (${error.code}, HTTP ${error.status}).`
            : `The view could not be drawn: ${(error as Error).message}`,
        ),
    );
    main.setAttribute('data-ready', state.view);
  }
}

async function start(): Promise<void> {
  try {
    const who = await session();
    if ('signedOut' in who) {
      if (who.signedOut !== 'not signed in') {
        renderSignIn(undefined, `Your session ended: ${who.signedOut}. Sign in again.`);
        return;
      }
    } else me = who;
  } catch (error) {
    main.replaceChildren(
      stateBlock(
        'error',
        `The dashboard cannot reach the reports service: ${(error as Error).message}`,
      ),
    );
    return;
  }
  await render();
}

void start();
