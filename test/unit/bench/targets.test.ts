import t from 'tap';
import type { LoadResult } from '../../../bench/lib/load-protocol.js';
import type { Measurement } from '../../../bench/lib/probes.js';
import { mergeRuns, scenario, type Figures } from '../../../bench/lib/scenario.js';
import { checkTargets } from '../../../bench/lib/targets.js';

function run(over: Partial<LoadResult> = {}): LoadResult {
  return {
    id: 1,
    kind: 'load',
    sent: 10,
    unsent: 0,
    responses: 10,
    ok: 10,
    non2xx: 0,
    errors: 0,
    timeouts: 0,
    statusCodes: { '200': 10 },
    durationSec: 2,
    latenciesMs: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
    bytes: 100,
    nextIndex: 10,
    loadCpuUs: 1000,
    firstError: null,
    moreLinks: [],
    ...over,
  };
}

const cost: Measurement = {
  wallSec: 2,
  apiCpuUs: 2_000_000,
  mongo: {
    commands: 31,
    timeMs: 100,
    byName: {
      'find statements': { count: 20, timeMs: 60 },
      'insert statements': { count: 10, timeMs: 39 },
      'find credentials': { count: 1, timeMs: 1 },
    },
  },
  redis: { sent: 10, sentByName: { evalsha: 10 }, executed: 100, executedByName: {} },
  redisCpuSec: 0.01,
  mongoServerCpuSec: 1,
  rssMiB: 100,
};

t.test('runs of a step add up, latencies pooled', async (t) => {
  const { totals, latenciesMs } = mergeRuns([
    run(),
    run({ sent: 5, ok: 4, non2xx: 1, statusCodes: { '200': 4, '500': 1 }, latenciesMs: [20] }),
  ]);
  t.equal(totals.runs, 2);
  t.equal(totals.sent, 15);
  t.equal(totals.ok, 14);
  t.same(totals.statusCodes, { '200': 14, '500': 1 });
  t.equal(latenciesMs.length, 11);
});

t.test('figures divide by the requests the server handled', async (t) => {
  const s = scenario('x', { batch: 10, connections: 2, mode: 'load' }, [run()], cost);
  t.equal(s.figures.requestsPerSec, 5);
  t.equal(s.figures.statementsPerSec, 50);
  t.equal(s.figures.apiCpuUsPerStatement, 20_000);
  t.equal(s.figures.mongoCommandsPerRequest, 3.1);
  t.equal(s.figures.mongoCredentialCommandsPerRequest, 0.1);
  t.equal(s.figures.mongoRequestCommandsPerRequest, 3);
  t.equal(s.figures.redisCommandsPerRequest, 1);
  t.equal(s.figures.redisExecutedPerRequest, 10);
  t.equal(s.figures.mongoServerCpuUsPerStatement, 10_000);
  t.equal(s.figures.cores.api, 1);
  t.equal(s.figures.latencyMs.p99, 10);
  t.equal(s.figures.apiCpuUsPerStatementNet, s.figures.apiCpuUsPerStatement, 'nothing to subtract');
  const net = scenario('x', { batch: 10, connections: 2, mode: 'load' }, [run()], cost, {
    scryptCpuUs: 1_000_000,
    idleCpuUsPerSec: 100_000,
  });
  // 2 s of API CPU, less one scrypt (1 s) and 2 s of idle (0.2 s), over 100 statements.
  t.equal(net.figures.apiCpuUsPerStatementNet, 8000);
});

t.test('targets: met, missed, and a rate that was not sustained', async (t) => {
  const base = scenario('x', { batch: 1, connections: 1, mode: 'load' }, [run()], cost).figures;
  const f = (over: Partial<Figures>): Figures => ({ ...base, ...over });
  const good = checkTargets({
    postByBatch: new Map([
      [1, f({})],
      [100, f({ apiCpuUsPerStatement: 30 })],
    ]),
    atRate: [
      {
        label: 'empty',
        rate: 200,
        figures: f({ requestsPerSec: 199, latencyMs: { ...base.latencyMs, p99: 20 } }),
      },
    ],
  });
  t.same(
    good.map((c) => c.met),
    [true, true, true, true],
  );
  const bad = checkTargets({
    postByBatch: new Map([
      [1, f({})],
      [
        100,
        f({
          mongoRequestCommandsPerRequest: 5,
          redisCommandsPerRequest: 3,
          apiCpuUsPerStatement: 41,
        }),
      ],
    ]),
    atRate: [
      {
        label: 'empty',
        rate: 200,
        figures: f({ requestsPerSec: 50, latencyMs: { ...base.latencyMs, p99: 20 } }),
      },
    ],
  });
  t.same(
    bad.map((c) => c.met),
    [false, false, false, false],
  );
  t.match(bad[0]?.measured ?? '', /batch 1: 3, batch 100: 5/);
});

t.test('the stubbed steps are checked apart from the real server', async (t) => {
  const base = scenario('x', { batch: 1, connections: 1, mode: 'load' }, [run()], cost).figures;
  const f = (over: Partial<Figures>): Figures => ({ ...base, ...over });
  const checks = checkTargets({
    postByBatch: new Map([[100, f({ apiCpuUsPerStatement: 220 })]]),
    atRate: [],
    stubbed: {
      postByBatch: new Map([[100, f({ apiCpuUsPerStatement: 35 })]]),
      atRate: [
        {
          rate: 200,
          figures: f({ requestsPerSec: 200, latencyMs: { ...base.latencyMs, p99: 9 } }),
        },
      ],
    },
  });
  const byTarget = new Map(checks.map((c) => [c.target, c.met]));
  t.equal(byTarget.get('API CPU per statement at batch 100 <= 40 µs'), false);
  t.equal(byTarget.get('API CPU per statement at batch 100 <= 40 µs, statements stubbed'), true);
  t.equal(
    byTarget.get('single-statement POST p99 < 25 ms at 200 req/s (statements stubbed)'),
    true,
  );
});
