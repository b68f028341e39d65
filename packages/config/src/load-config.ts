import { Ajv2019, type ErrorObject, type SchemaObject } from 'ajv/dist/2019.js';
import { ConfigError } from './config-error.js';

/** What an app declares about its configuration. Property names are environment variable names. */
export interface ConfigSpec {
  /** The app's name, used in error messages. */
  readonly app: string;
  /** A JSON Schema (draft 2019-09, for `dependentRequired`) of an object whose properties are environment variable names. */
  readonly schema: SchemaObject & { properties: Record<string, SchemaObject> };
  /** Keys whose values must never be printed. */
  readonly secrets: readonly string[];
}

export type Env = Readonly<Record<string, string | undefined>>;

// Environment variables are strings, so this instance (and only this one: never the xAPI
// validator) coerces types and fills defaults.
const ajv = new Ajv2019({
  allErrors: true,
  coerceTypes: true,
  useDefaults: true,
  strict: true,
  verbose: true,
});

/**
 * Reads the keys the schema declares from `env`, coerces and validates them, fills defaults, and
 * returns a frozen object. Empty strings count as unset. Throws {@link ConfigError} naming every
 * bad key.
 */
export function loadConfig<T>(spec: ConfigSpec, env: Env): Readonly<T> {
  const raw: Record<string, unknown> = {};
  for (const key of Object.keys(spec.schema.properties)) {
    const value = env[key];
    if (value !== undefined && value !== '') raw[key] = value;
  }
  const validate = ajv.compile<T>(spec.schema);
  if (!validate(raw)) {
    throw new ConfigError(
      spec.app,
      (validate.errors ?? []).map((e) => describe(e, spec)),
    );
  }
  return Object.freeze(raw as T);
}

/** A copy of `config` safe to log: secret values replaced by "[redacted]". */
export function redactConfig(spec: ConfigSpec, config: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) {
    out[key] = spec.secrets.includes(key) ? '[redacted]' : value;
  }
  return out;
}

function describe(error: ErrorObject, spec: ConfigSpec): string {
  if (error.keyword === 'required') {
    const key = String((error.params as { missingProperty?: unknown }).missingProperty);
    return `${key} is required${hint(spec, key)}`;
  }
  if (error.keyword === 'dependentRequired') {
    const params = error.params as { property?: unknown; missingProperty?: unknown };
    return `${String(params.missingProperty)} is required when ${String(params.property)} is set`;
  }
  const key = error.instancePath.replace(/^\//, '');
  const shown = spec.secrets.includes(key) ? '' : ` (got ${JSON.stringify(error.data)})`;
  const allowed =
    error.keyword === 'enum'
      ? `: one of ${(error.params as { allowedValues: unknown[] }).allowedValues.join(', ')}`
      : '';
  return `${key} ${error.message ?? 'is invalid'}${allowed}${shown}${hint(spec, key)}`;
}

function hint(spec: ConfigSpec, key: string): string {
  const description: unknown = spec.schema.properties[key]?.['description'];
  return typeof description === 'string' ? ` -- ${description}` : '';
}
