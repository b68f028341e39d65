// `node --import tsx bench/scan-probe.ts [N]`: what a query shape costs on the local server, per
// command and per stored document, on N (default 100,000) statement-like documents. The local
// server builds no secondary index and serves a filter from `_id` only when `_id` is all it
// names, so the figures tell a query served from `_id` from one that scans, and what a scan
// costs by shape: the explanation behind the bench's DB server columns (bench/README.md).
import { parseArgs } from 'node:util';
import { MongoClient, type Collection } from 'mongodb';
import { startLocalStack } from './lib/local-stack.js';

interface ProbeDoc {
  _id: string;
  storeId: string;
  json: string;
  verbId: string;
  agentKeys: string[];
  isStatementRef: boolean;
  voided: boolean;
  stored: Date;
  order: string;
  pipeline: { state: string };
}

const { positionals } = parseArgs({ allowPositionals: true });
const N = Number(positionals[0] ?? 100_000);
const log = (m: string) => process.stderr.write(`[scan-probe] ${m}\n`);

async function fill(col: Collection<ProbeDoc>): Promise<void> {
  const json = 'x'.repeat(900); // about the size of a stored statement's JSON
  for (let i = 0; i < N; i += 1000) {
    await col.insertMany(
      Array.from({ length: Math.min(1000, N - i) }, (_, k): ProbeDoc => {
        const n = i + k;
        return {
          _id: `s:${n}`,
          storeId: 's',
          json,
          verbId: `v${n % 12}`,
          agentKeys: [`a${n % 400}`],
          isStatementRef: false,
          voided: false,
          stored: new Date(Date.UTC(2026, 0, 1) + n * 1000),
          order: `${String(n).padStart(9, '0')}`,
          pipeline: { state: 'pending' },
        };
      }),
    );
  }
}

async function main(): Promise<void> {
  const services = await startLocalStack(log);
  const client = new MongoClient(services.mongoUri);
  try {
    await client.connect();
    const col = client.db('scan_probe').collection<ProbeDoc>('statements');
    await fill(col);
    const ids = (n: number, offset: number) =>
      Array.from({ length: n }, (_, k) => `s:${(offset + k * 997) % N}`);
    const until = new Date(Date.UTC(2030, 0, 1));
    const shapes: [string, (r: number) => Promise<unknown>][] = [
      ['find {_id:$in} (100 ids)', (r) => col.find({ _id: { $in: ids(100, r) } }).toArray()],
      [
        'updateMany {_id:$in} (100 ids)',
        (r) => col.updateMany({ _id: { $in: ids(100, r) } }, { $set: { voided: false } }),
      ],
      [
        'updateMany {_id:$in,pipeline.state} (100 ids; markProcessed)',
        (r) =>
          col.updateMany(
            { _id: { $in: ids(100, r + 50) }, 'pipeline.state': 'pending' },
            { $set: { pipeline: { state: 'done' } } },
          ),
      ],
      [
        'updateMany {_id:$in,pipeline.state} (10 ids)',
        (r) =>
          col.updateMany(
            { _id: { $in: ids(10, r + 500) }, 'pipeline.state': 'pending' },
            { $set: { pipeline: { state: 'done' } } },
          ),
      ],
      [
        "find {storeId,voided,stored:$lte,$or[agentKeys | isStatementRef]} sort order (Cairn's GET agent)",
        (r) =>
          col
            .find({
              storeId: 's',
              voided: false,
              stored: { $lte: until },
              $or: [{ agentKeys: `a${r}` }, { isStatementRef: true }],
            })
            .sort({ order: -1 })
            .limit(100)
            .toArray(),
      ],
      [
        'find {agentKeys} sort order (one equality)',
        (r) =>
          col
            .find({ agentKeys: `a${r}` })
            .sort({ order: -1 })
            .limit(100)
            .toArray(),
      ],
      [
        'find {verbId} sort order (one equality, 1 in 12 match)',
        (r) =>
          col
            .find({ verbId: `v${r % 12}` })
            .sort({ order: -1 })
            .limit(100)
            .toArray(),
      ],
    ];
    process.stdout.write(`${N.toLocaleString('en-US')} documents\n`);
    for (const [name, run] of shapes) {
      await run(0);
      const reps = 5;
      const started = performance.now();
      for (let r = 1; r <= reps; r++) await run(r);
      const ms = (performance.now() - started) / reps;
      process.stdout.write(
        `${name}: ${ms.toFixed(1)} ms per command, ${((ms * 1000) / N).toFixed(2)} µs per stored document\n`,
      );
    }
  } finally {
    await client.close();
    await services.stop();
  }
}

main().catch((error: unknown) => {
  log(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exitCode = 1;
});
