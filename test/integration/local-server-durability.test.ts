/**
 * "Acknowledged means durable" for the local server's file backend (tools/mongo-local): four
 * concurrent writers record every write the server acknowledges, the server is killed with SIGKILL
 * while they write, and after a restart on the same file every acknowledged insert is there and
 * every counter holds exactly its acknowledged increments (plus, at most, the one that was in
 * flight when the server died).
 *
 * The launcher is started here, not by `npm test` (whose server keeps its data in memory), so this
 * file needs nothing from the environment. Rounds: CAIRN_DURABILITY_ROUNDS (default 4);
 * `npm run soak:local-server` runs many more.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { MongoClient, type Collection } from 'mongodb';
import {
  buildLocalServer,
  startLocalServer,
  type LocalServer,
} from '../../bench/lib/local-server.js';

const ROUNDS = Number(process.env['CAIRN_DURABILITY_ROUNDS'] ?? '4');
/** Counters per $inc writer; each writer owns its own, so at most one of them is in flight. */
const COUNTERS = 5;

interface InsertedDoc {
  _id: string;
  round: number;
  writer: string;
  seq: number;
  /** Makes documents statement-sized, so pages split and chunks fill as in real use. */
  pad: string;
}

interface CounterDoc {
  _id: string;
  n: number;
}

/** What one round's writers saw the server acknowledge, and what they left unanswered. */
interface Ledger {
  readonly insertedIds: string[];
  /** Acknowledged increments per counter id in this round. */
  readonly incAcks: Map<string, number>;
  /** Increments sent and never answered (0 or 1 per counter): they may or may not have happened. */
  readonly incUnanswered: Map<string, number>;
  acks: number;
}

const PAD = 'x'.repeat(900);
const dir = mkdtempSync(join(tmpdir(), 'cairn-durability-'));
const file = join(dir, 'cairn.mv.db');
t.teardown(() => rmSync(dir, { recursive: true, force: true }));

const jar = await buildLocalServer((line) => t.comment(line));

/** Counter values as the previous round left them (all absent at first). */
const counterBase = new Map<string, number>();

async function connect(server: LocalServer): Promise<MongoClient> {
  // A short server selection, so that writers fail fast once the server is gone.
  const client = new MongoClient(server.uri, { serverSelectionTimeoutMS: 2_000, maxPoolSize: 8 });
  await client.connect();
  return client;
}

/**
 * Runs four writers until the server dies; kills it (SIGKILL) once `killAfter` writes have been
 * acknowledged, from inside the writer that saw the last one, so the others are mid-request.
 */
async function writeUntilKilled(
  server: LocalServer,
  round: number,
  killAfter: number,
): Promise<Ledger> {
  const client = await connect(server);
  const db = client.db('durability');
  const docs: Collection<InsertedDoc> = db.collection('docs');
  const counters: Collection<CounterDoc> = db.collection('counters');
  const ledger: Ledger = { insertedIds: [], incAcks: new Map(), incUnanswered: new Map(), acks: 0 };
  let killed = false;
  const acknowledged = (n: number) => {
    ledger.acks += n;
    if (!killed && ledger.acks >= killAfter) {
      killed = true;
      server.child.kill('SIGKILL');
    }
  };
  const doc = (writer: string, seq: number): InsertedDoc => ({
    _id: `r${round}-${writer}-${seq}`,
    round,
    writer,
    seq,
    pad: PAD,
  });

  /** Calls `step` with 0, 1, 2... until the server is killed; an error before that is a failure. */
  const loop = async (step: (seq: number) => Promise<void>) => {
    for (let seq = 0; !killed; seq++) {
      try {
        await step(seq);
      } catch (error) {
        if (!killed) throw error;
      }
    }
  };

  const writers = [
    loop(async (seq) => {
      const one = doc('one', seq);
      await docs.insertOne(one);
      ledger.insertedIds.push(one._id);
      acknowledged(1);
    }),
    loop(async (seq) => {
      const batch = Array.from({ length: 100 }, (_, k) => doc('many', seq * 100 + k));
      await docs.insertMany(batch);
      ledger.insertedIds.push(...batch.map((d) => d._id));
      acknowledged(1);
    }),
    ...['a', 'b'].map((writer) =>
      loop(async (seq) => {
        const id = `counter-${writer}-${seq % COUNTERS}`;
        ledger.incUnanswered.set(id, (ledger.incUnanswered.get(id) ?? 0) + 1);
        await counters.updateOne({ _id: id }, { $inc: { n: 1 } }, { upsert: true });
        ledger.incUnanswered.set(id, (ledger.incUnanswered.get(id) ?? 0) - 1);
        ledger.incAcks.set(id, (ledger.incAcks.get(id) ?? 0) + 1);
        acknowledged(1);
      }),
    ),
  ];
  try {
    await Promise.all(writers);
  } finally {
    await client.close(true);
    await server.kill();
  }
  return ledger;
}

interface Finding {
  acknowledgedInserts: number;
  lostInserts: string[];
  acknowledgedIncrements: number;
  /** Counters outside [base + acks, base + acks + unanswered]. */
  wrongCounters: string[];
}

/** Restarts on the same file and compares what is stored with what was acknowledged. */
async function check(server: LocalServer, round: number, ledger: Ledger): Promise<Finding> {
  const client = await connect(server);
  try {
    const db = client.db('durability');
    const stored = new Set<string>();
    const cursor = db
      .collection<InsertedDoc>('docs')
      .find({ round }, { projection: { _id: 1, pad: 1 } });
    for await (const d of cursor) if (d.pad === PAD) stored.add(d._id);
    const lostInserts = ledger.insertedIds.filter((id) => !stored.has(id));

    const wrongCounters: string[] = [];
    let acknowledgedIncrements = 0;
    const found = await db.collection<CounterDoc>('counters').find().toArray();
    const value = new Map(found.map((c) => [c._id, c.n]));
    for (const id of new Set([...ledger.incAcks.keys(), ...ledger.incUnanswered.keys()])) {
      const base = counterBase.get(id) ?? 0;
      const acks = ledger.incAcks.get(id) ?? 0;
      const unanswered = ledger.incUnanswered.get(id) ?? 0;
      acknowledgedIncrements += acks;
      const n = value.get(id) ?? 0;
      if (n < base + acks || n > base + acks + unanswered) {
        wrongCounters.push(`${id}: ${n}, expected ${base + acks} to ${base + acks + unanswered}`);
      }
      counterBase.set(id, n);
    }
    return {
      acknowledgedInserts: ledger.insertedIds.length,
      lostInserts,
      acknowledgedIncrements,
      wrongCounters,
    };
  } finally {
    await client.close();
  }
}

t.test(`acknowledged writes survive SIGKILL (${ROUNDS} rounds)`, async (t) => {
  for (let round = 1; round <= ROUNDS; round++) {
    // Somewhere between 150 and 750 acknowledgements into the round: a few seconds of writing.
    const killAfter = 150 + Math.floor(Math.random() * 600);
    const writing = await startLocalServer(jar, { file });
    t.teardown(() => writing.kill());
    const ledger = await writeUntilKilled(writing, round, killAfter);
    t.equal((await writing.exited).signal, 'SIGKILL', `round ${round}: killed mid-flight`);

    const reading = await startLocalServer(jar, { file });
    t.teardown(() => reading.kill());
    const finding = await check(reading, round, ledger);
    await reading.kill();

    t.comment(
      `round ${round}: killed after ${ledger.acks} acknowledgements; ` +
        `${finding.acknowledgedInserts} acknowledged inserts, ${finding.lostInserts.length} lost; ` +
        `${finding.acknowledgedIncrements} acknowledged $inc, ${finding.wrongCounters.length} counters wrong`,
    );
    t.ok(finding.acknowledgedInserts > 0, `round ${round}: some inserts were acknowledged`);
    t.same(finding.lostInserts.slice(0, 10), [], `round ${round}: no acknowledged insert lost`);
    t.same(finding.wrongCounters, [], `round ${round}: every counter holds its acknowledged $inc`);
  }
});
