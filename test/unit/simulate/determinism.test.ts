import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { buildWorld, OUTPUT_FILES, simulationOptions, writeSimulation } from '@cairn/simulate';
import { run } from './generate-run.js';

async function filesOf(directory: string): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  for (const name of (await readdir(directory)).sort()) {
    files.set(name, await readFile(join(directory, name)));
  }
  return files;
}

t.test('the same options and seed give byte-identical files', async (t) => {
  const root = await mkdtemp(join(tmpdir(), 'cairn-simulate-'));
  t.teardown(() => rm(root, { recursive: true, force: true }));
  const options = simulationOptions({ people: 15, days: 10, seed: 42 });
  await writeSimulation(buildWorld(options), join(root, 'a'));
  await writeSimulation(buildWorld(options), join(root, 'b'));
  await writeSimulation(buildWorld({ ...options, seed: 43 }), join(root, 'c'));
  const [a, b, c] = await Promise.all(['a', 'b', 'c'].map((d) => filesOf(join(root, d))));
  t.same([...(a?.keys() ?? [])], Object.values(OUTPUT_FILES).sort());
  for (const [name, bytes] of a ?? []) {
    t.ok(bytes.equals(b?.get(name) ?? Buffer.alloc(0)), `${name} is identical`);
  }
  const statements = OUTPUT_FILES.statements;
  t.notOk(
    a?.get(statements)?.equals(c?.get(statements) ?? Buffer.alloc(0)),
    'another seed differs',
  );
});

t.test('generation in memory is deterministic too, and seeds matter', async (t) => {
  const first = run({ people: 10, days: 8, seed: 7 });
  const again = run({ people: 10, days: 8, seed: 7 });
  const other = run({ people: 10, days: 8, seed: 8 });
  t.same(again.lines, first.lines);
  t.same(again.summary, first.summary);
  t.notSame(other.lines, first.lines);
  t.notSame(other.world.truth, first.world.truth);
});
