// docs/configuration.md against the config schemas and the start/test scripts, so that "every
// variable documented in one table" stays true. Reads files only; needs no database.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import type { ConfigSpec } from '@cairn/config';
import { aggregatorConfigSpec } from '@cairn/aggregator';
import { lrsConfigSpec } from '@cairn/lrs';
import { reportsConfigSpec } from '@cairn/reports';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DOC = 'docs/configuration.md';

/** Each process, the heading of its section in the doc, and its schema. */
const APPS = [
  { app: 'lrs', heading: 'services/lrs', spec: lrsConfigSpec },
  { app: 'reports', heading: 'services/reports', spec: reportsConfigSpec },
  { app: 'aggregator', heading: 'workers/aggregator', spec: aggregatorConfigSpec },
] as const satisfies readonly { app: string; heading: string; spec: ConfigSpec }[];

const SCRIPTS_HEADING = 'npm start and npm test';

/** Variables that only scripts/start.mjs and scripts/test.mjs read, never a Cairn process. */
const SCRIPT_ONLY = [
  'CAIRN_DATA_DIR',
  'CAIRN_LOCAL_MONGO_HEAP_MB',
  'CAIRN_LOCAL_MONGO_CACHE_MB',
  'CAIRN_CHROMIUM',
];

const VARIABLE = /\b(?:CAIRN|MONGODB|REDIS)_[A-Z0-9_]+\b/g;
const IS_VARIABLE = /^(?:CAIRN|MONGODB|REDIS)_[A-Z0-9_]+$/;

interface Row {
  readonly name: string;
  readonly defaultCell: string;
  readonly readBy: string;
}

/** The doc's sections ("## heading") with the table rows whose first cell is one `VARIABLE`. */
function sections(markdown: string): Map<string, Row[]> {
  const found = new Map<string, Row[]>();
  let rows: Row[] | undefined;
  let inFence = false;
  for (const line of markdown.split(/\r?\n/)) {
    if (line.startsWith('```')) inFence = !inFence;
    if (inFence) continue;
    if (line.startsWith('## ')) {
      rows = [];
      found.set(line.slice(3).trim(), rows);
      continue;
    }
    const cells = line.trim().startsWith('|') ? line.trim().slice(1, -1).split('|') : [];
    const name = /^`([A-Z][A-Z0-9_]*)`$/.exec(cells[0]?.trim() ?? '')?.[1];
    if (name !== undefined && rows !== undefined) {
      rows.push({ name, defaultCell: cells[1]?.trim() ?? '', readBy: cells.at(-1)?.trim() ?? '' });
    }
  }
  return found;
}

const doc = sections(readFileSync(join(ROOT, DOC), 'utf8'));

function rowsUnder(heading: string): Row[] {
  const rows = doc.get(heading);
  if (rows === undefined) throw new Error(`${DOC} has no "## ${heading}" section`);
  return rows;
}

const allSchemaProperties = new Set(
  APPS.flatMap(({ spec }) => Object.keys(spec.schema.properties)),
);

function requiredOf(spec: ConfigSpec): readonly string[] {
  const required: unknown = spec.schema['required'];
  return Array.isArray(required) ? required.filter((r): r is string => typeof r === 'string') : [];
}

/** Every .mjs file under scripts/, as a path relative to the root. */
function scriptFiles(dir = join(ROOT, 'scripts')): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return scriptFiles(path);
    return entry.name.endsWith('.mjs') ? [relative(ROOT, path)] : [];
  });
}

for (const { app, heading, spec } of APPS) {
  void t.test(`the ${heading} table documents every variable that ${app} reads`, (t) => {
    const documented = rowsUnder(heading).map((row) => row.name);
    t.strictSame(
      Object.keys(spec.schema.properties).filter((name) => !documented.includes(name)),
      [],
      `in ${app}'s schema but not in the "## ${heading}" table`,
    );
    t.end();
  });

  void t.test(`the ${heading} table lists no variable that ${app} does not read`, (t) => {
    t.strictSame(
      rowsUnder(heading)
        .map((row) => row.name)
        .filter((name) => !(name in spec.schema.properties)),
      [],
    );
    t.end();
  });

  void t.test(
    `the ${heading} table gives each variable's default from the schema, or says it is required`,
    (t) => {
      const required = requiredOf(spec);
      for (const row of rowsUnder(heading)) {
        const property = spec.schema.properties[row.name];
        const fallback: unknown = property?.['default'];
        if (required.includes(row.name)) {
          t.equal(row.defaultCell, 'required', row.name);
        } else if (typeof fallback === 'string' || typeof fallback === 'number') {
          t.equal(row.defaultCell, `\`${fallback}\``, row.name);
        } else {
          t.notMatch(row.defaultCell, /required/, `${row.name} is optional`);
        }
      }
      t.end();
    },
  );

  void t.test(`the ${heading} table says which processes read each variable`, (t) => {
    for (const row of rowsUnder(heading)) {
      for (const other of APPS) {
        const reads = row.name in other.spec.schema.properties;
        const says = new RegExp(`\\b${other.app}\\b`).test(row.readBy);
        t.equal(says, reads, `${row.name}: ${other.app} ${reads ? 'reads' : 'does not read'} it`);
      }
    }
    t.end();
  });
}

void t.test(
  'every CAIRN_, MONGODB_ and REDIS_ variable in a table is read by a process or a script',
  (t) => {
    const named = [...doc.values()].flat().map((row) => row.name);
    t.ok(named.length > 0, 'the doc has tables');
    t.strictSame(
      [...new Set(named)].filter(
        (name) =>
          IS_VARIABLE.test(name) && !allSchemaProperties.has(name) && !SCRIPT_ONLY.includes(name),
      ),
      [],
    );
    t.end();
  },
);

void t.test(
  'the npm start and npm test table documents exactly the variables the scripts mention',
  (t) => {
    const documented = rowsUnder(SCRIPTS_HEADING).map((row) => row.name);
    const files = scriptFiles();
    t.ok(
      files.includes('scripts/start.mjs') && files.includes('scripts/test.mjs'),
      'found the scripts',
    );
    const mentioned = new Set(
      files.flatMap((file) => readFileSync(join(ROOT, file), 'utf8').match(VARIABLE) ?? []),
    );
    t.strictSame(
      [...mentioned].filter((name) => !documented.includes(name)).sort(),
      [],
      'mentioned in scripts/ but not documented',
    );
    t.strictSame(
      documented.filter((name) => !mentioned.has(name)),
      [],
      'documented but no script mentions it',
    );
    t.end();
  },
);
