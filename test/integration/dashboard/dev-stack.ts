// Not a test: `node --import tsx test/integration/dashboard/dev-stack.ts` keeps a seeded stack up
// for working on the dashboard by hand (MONGODB_URI and REDIS_URL must be set).
import { reportStack } from '../reports/report-fixture.js';

const teardowns: (() => unknown)[] = [];
const stack = await reportStack({ teardown: (fn) => teardowns.push(fn) });
const address = await stack.reports.listen({
  host: '127.0.0.1',
  port: Number(process.env['PORT'] ?? 8099),
});
for (const scopes of [
  ['admin'],
  ['reports:cohort'],
  ['reports:cohort', 'reports:person'],
] as const) {
  const header = await stack.auth(scopes);
  const [key, secret] = Buffer.from(header.slice(6), 'base64').toString().split(':');
  console.log(`${scopes.join('+')} key=${key} secret=${secret}`);
}
console.log(`dashboard at ${address}/dashboard/`);
