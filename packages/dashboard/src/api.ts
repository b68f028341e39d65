/** One row of a report table (docs/reports.md): flat cells. */
export type Row = Record<string, string | number | boolean | null>;

export interface ReportResponse {
  readonly report: string;
  readonly meta: Record<string, unknown>;
  readonly columns: readonly { name: string; type: string; description: string }[];
  readonly rows: Row[];
}

export interface Me {
  readonly key: string;
  readonly label: string;
  readonly storeId: string;
  readonly scopes: readonly string[];
}

/** An answer of the API that is not a success, with its stable code and message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Parameters of a request; undefined and empty values are left out. */
export type Params = Record<string, string | undefined>;

export function query(params: Params): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, v);
  const text = q.toString();
  return text === '' ? '' : `?${text}`;
}

// State-changing requests carry this header: the service refuses them without it (CSRF).
const DASHBOARD_HEADER = { 'x-cairn-dashboard': '1' };

async function fail(response: Response): Promise<never> {
  let code = `HTTP_${response.status}`;
  let message = response.statusText || 'request failed';
  try {
    const body = (await response.json()) as { code?: string; message?: string };
    if (typeof body.code === 'string') code = body.code;
    if (typeof body.message === 'string') message = body.message;
  } catch {
    // Not JSON: the status says what there is to say.
  }
  throw new ApiError(response.status, code, message);
}

async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url, {
    headers: { accept: 'application/json', ...DASHBOARD_HEADER },
    credentials: 'same-origin',
  });
  if (!response.ok) return fail(response);
  return (await response.json()) as T;
}

/** The reports' accepted query parameters, by path, from the OpenAPI document. */
let accepted: Promise<Map<string, Set<string>> | null> | undefined;

function acceptedParams(): Promise<Map<string, Set<string>> | null> {
  accepted ??= getJson<{
    paths: Record<string, { get?: { parameters?: { name: string; in: string }[] } }>;
  }>('/api/v1/openapi.json').then(
    (doc) => {
      const map = new Map<string, Set<string>>();
      for (const [path, item] of Object.entries(doc.paths)) {
        const names = (item.get?.parameters ?? []).filter((p) => p.in === 'query');
        map.set(path, new Set(names.map((p) => p.name)));
      }
      return map;
    },
    () => null,
  );
  return accepted;
}

/**
 * The URL of a report with those of `params` that it takes (the reports refuse unknown query
 * parameters; the OpenAPI document says which each takes). `path` is under /api/v1/reports.
 */
export async function reportUrl(path: string, params: Params, format?: 'csv'): Promise<string> {
  const map = await acceptedParams();
  const openApiPath = `/api/v1/reports${path.replace(/\/people\/[0-9a-f]{64}\//, '/people/{id}/')}`;
  const takes = map?.get(openApiPath);
  const kept: Params = {};
  for (const [k, v] of Object.entries(params)) if (takes === undefined || takes.has(k)) kept[k] = v;
  if (format !== undefined) kept['format'] = format;
  return `/api/v1/reports${path}${query(kept)}`;
}

export async function report(path: string, params: Params): Promise<ReportResponse> {
  return getJson<ReportResponse>(await reportUrl(path, params));
}

export async function frameworks(): Promise<{ id: string; name: string }[]> {
  return (await getJson<{ frameworks: { id: string; name: string }[] }>('/api/v1/frameworks'))
    .frameworks;
}

export interface FrameworkSkill {
  readonly iri: string;
  readonly name: string;
  readonly parent?: string;
}

export async function frameworkSkills(id: string): Promise<FrameworkSkill[]> {
  const body = await getJson<{ framework: { skills: FrameworkSkill[] } }>(
    `/api/v1/frameworks/${encodeURIComponent(id)}`,
  );
  return body.framework.skills;
}

/** Who is signed in; otherwise why not (the service's message: "not signed in", "credential revoked"). */
export async function session(): Promise<Me | { signedOut: string }> {
  const response = await fetch('/dashboard/session', {
    credentials: 'same-origin',
    headers: DASHBOARD_HEADER,
  });
  if (response.status === 401) {
    const body = (await response.json().catch(() => ({}))) as { message?: string };
    return { signedOut: body.message ?? 'not signed in' };
  }
  if (!response.ok) return fail(response);
  return (await response.json()) as Me;
}

export async function signIn(key: string, secret: string): Promise<Me> {
  const response = await fetch('/dashboard/session', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json', ...DASHBOARD_HEADER },
    body: JSON.stringify({ key, secret }),
  });
  if (!response.ok) return fail(response);
  return (await response.json()) as Me;
}

export async function signOut(): Promise<void> {
  const response = await fetch('/dashboard/session', {
    method: 'DELETE',
    credentials: 'same-origin',
    headers: DASHBOARD_HEADER,
  });
  if (!response.ok && response.status !== 204) await fail(response);
}

/** Every skill name of the store's frameworks, by IRI (reports name skills by IRI only). */
export async function skillNames(): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  const list = await frameworks().catch(() => []);
  for (const f of list)
    for (const s of await frameworkSkills(f.id).catch(() => [])) names.set(s.iri, s.name);
  return names;
}
