import type { SendTally } from './send.js';
import type { Summary } from './summary.js';

const WIDTH = 30;
const number = (n: number): string => n.toLocaleString('en-US');

/** One line of the sending progress bar. */
export function progressLine(tally: SendTally, total: number, elapsedMs: number): string {
  const { statements, requests } = tally;
  const done = statements.accepted + statements.rejected + statements.failed;
  const share = total > 0 ? Math.min(1, done / total) : 1;
  const filled = Math.round(share * WIDTH);
  const perSecond = elapsedMs > 0 ? Math.round((done * 1000) / elapsedMs) : 0;
  return (
    `[${'#'.repeat(filled)}${'.'.repeat(WIDTH - filled)}] ${Math.floor(share * 100)}% ` +
    `${number(done)}/${number(total)} statements, ${number(perSecond)}/s; requests: ` +
    `${number(requests.accepted)} accepted, ${number(requests.rejected)} rejected, ` +
    `${number(requests.failed)} failed, ${number(requests.retried)} retried`
  );
}

/** The final tally of a send, for people. */
export function sendReport(tally: SendTally): string {
  const { statements, requests } = tally;
  return [
    `requests:   ${number(requests.accepted)} accepted, ${number(requests.rejected)} rejected, ${number(requests.failed)} failed (${number(requests.retried)} retries)`,
    `statements: ${number(statements.accepted)} accepted, ${number(statements.rejected)} rejected, ${number(statements.failed)} failed`,
  ].join('\n');
}

/** What a run generated, for people. */
export function summaryReport(summary: Summary, directory: string): string {
  const width = Math.max(...Object.keys(summary.mess).map((k) => k.length));
  const top = (counts: Readonly<Record<string, number>>): string[] =>
    Object.entries(counts)
      .sort(([, a], [, b]) => b - a)
      .map(([key, n]) => `  ${number(n).padStart(9)}  ${key}`);
  return [
    `${number(summary.lines)} statement lines for ${summary.people} people in ${summary.teams} teams over ${summary.days} days from ${summary.start} (seed ${summary.seed}) in ${directory}`,
    `${summary.skills} skills, ${summary.activities} catalogued activities, ${summary.growingPeople} people growing`,
    'by platform:',
    ...top(summary.byPlatform),
    'mess:',
    ...Object.entries(summary.mess).map(([k, n]) => `  ${k.padEnd(width)}  ${number(n)}`),
  ].join('\n');
}
