import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { connectMongo } from '@cairn/store';
import type { Teardown } from '../helpers/env.js';
import { pollUntil } from '../helpers/poll.js';
import { freePort, runNode, startNode, type Running } from '../helpers/processes.js';

// `npm start` end to end: its own local MongoDB-compatible server and Redis (MONGODB_URI and REDIS_URL unset), the three
// processes, the generated credential, a clean stop, and data that survives a restart.

const dataDir = mkdtempSync(join(tmpdir(), 'cairn-start-'));
t.teardown(() => rmSync(dataDir, { recursive: true, force: true }));

async function startCairn(t: Teardown, lrsPort: number, reportsPort: number): Promise<Running> {
  const running = startNode(['scripts/start.mjs'], {
    MONGODB_URI: undefined,
    REDIS_URL: undefined,
    CAIRN_BOOTSTRAP_KEY: undefined,
    CAIRN_BOOTSTRAP_SECRET: undefined,
    CAIRN_DATA_DIR: dataDir,
    CAIRN_LRS_PORT: String(lrsPort),
    CAIRN_REPORTS_PORT: String(reportsPort),
    CAIRN_LOG_LEVEL: 'warn',
  });
  t.teardown(() => running.child.kill('SIGKILL'));
  await pollUntil(
    'npm start to report that Cairn is running',
    async () => (running.output().includes('Cairn is running') ? true : undefined),
    90_000,
  );
  return running;
}

/** SIGTERM, then what a user would check: the exit code, how long it took, whether ports are free. */
async function stopCairn(running: Running, ports: number[]) {
  const asked = Date.now();
  running.child.kill('SIGTERM');
  const { code } = await running.finished;
  const ms = Date.now() - asked;
  const stillAnswering = [];
  for (const port of ports) {
    const answered = await fetch(`http://127.0.0.1:${port}/health`).then(
      () => true,
      () => false,
    );
    if (answered) stillAnswering.push(port);
  }
  return { code, withinGrace: ms < 15_000, stillAnswering };
}

const mongoUriIn = (output: string): string => {
  const match = /mongo-java-server\) at (mongodb:\/\/\S+)/.exec(output);
  if (!match?.[1]) throw new Error(`no local server address in:\n${output}`);
  return match[1];
};

t.test('npm start runs Cairn with its own servers, and a restart finds its data', async (t) => {
  const [lrsPort, reportsPort] = [await freePort(), await freePort()];

  const first = await startCairn(t, lrsPort, reportsPort);
  for (const port of [lrsPort, reportsPort]) {
    const ready = await fetch(`http://127.0.0.1:${port}/ready`);
    t.equal(ready.status, 200, `/ready on ${port}`);
  }
  const about = await fetch(`http://127.0.0.1:${lrsPort}/xapi/about`);
  t.equal(about.status, 200);
  t.match(first.output(), /generated just now/);
  const credential = JSON.parse(
    readFileSync(join(dataDir, 'bootstrap-credential.json'), 'utf8'),
  ) as {
    key: string;
    secret: string;
  };
  t.match(
    first.output(),
    `key ${credential.key} secret ${credential.secret}`,
    'prints the credential',
  );
  t.match(
    first.output(),
    `curl -u '${credential.key}:${credential.secret}'`,
    'with a curl example',
  );
  // While it runs, `npm run cairn` finds its database without MONGODB_URI.
  const listed = await runNode(['scripts/cairn.mjs', 'stores', 'list', '--json'], {
    MONGODB_URI: undefined,
    CAIRN_DATA_DIR: dataDir,
  });
  t.equal(listed.code, 0, listed.stderr);
  t.match(JSON.parse(listed.stdout), { stores: [{ id: 'default' }] });
  t.same(await stopCairn(first, [lrsPort, reportsPort]), {
    code: 0,
    withinGrace: true,
    stillAnswering: [],
  });
  t.notOk(existsSync(join(dataDir, 'local-services.json')), 'removed on stop');

  const second = await startCairn(t, lrsPort, reportsPort);
  t.notMatch(second.output(), /generated just now/, 'the credential is reused');
  const mongo = await connectMongo({ uri: mongoUriIn(second.output()), database: 'cairn' });
  const stored = await mongo.db.collection('credentials').findOne({ _id: credential.key as never });
  await mongo.close();
  t.ok(stored, 'the credential made by the first run is still in the database');
  t.same(await stopCairn(second, [lrsPort, reportsPort]), {
    code: 0,
    withinGrace: true,
    stillAnswering: [],
  });
});
