// What "nothing of A" means, as assertions: B's answer about A's thing is exactly its answer
// about a thing that never existed anywhere (status, headers, body, once the names are swapped),
// and A reads the same as before.
import { randomBytes, randomUUID } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import type { Test } from 'tap';
import { parseMultipart } from '@cairn/lrs';
import { partsOf, type Caller, type Req, type World } from './fixture.js';

/** Fresh names of things that never existed anywhere, for the control requests. */
export const nowhere = {
  statementId: (): string => randomUUID(),
  activity: (): string => `https://nowhere.example.org/${randomBytes(6).toString('hex')}`,
  origin: (): string => `https://${randomBytes(6).toString('hex')}.nowhere.example.org`,
  mbox: (): string => `mailto:nobody-${randomBytes(4).toString('hex')}@nowhere.example.org`,
  storeId: (): string => `st_${randomBytes(8).toString('hex')}`,
  key: (): string => `ck_${randomBytes(12).toString('hex')}`,
  sha2: (): string => randomBytes(32).toString('hex'),
};

/** Pairs [name of A's thing, name of the control's thing] that may differ between two answers. */
export type Names = readonly (readonly [string, string])[];

function modulo(text: string, names: Names): string {
  return names.reduce((s, [ofA, ofNothing]) => s.replaceAll(ofNothing, ofA), text);
}

function comparableHeaders(res: LightMyRequestResponse, names: Names): Record<string, string> {
  // Lengths change with the names; Consistent-Through and Date with time.
  const ignored = new Set(['content-length', 'date', 'x-experience-api-consistent-through']);
  const boundary = /boundary=("?)[^";]+\1/;
  return Object.fromEntries(
    Object.entries(res.headers)
      .filter(([name]) => !ignored.has(name))
      .map(([name, value]) => [name, modulo(String(value), names).replace(boundary, 'boundary=…')]),
  );
}

/** The body, or for multipart/mixed its statements part and attachment parts (not the boundary). */
function comparableBody(res: LightMyRequestResponse): string {
  const type = String(res.headers['content-type'] ?? '');
  const text = type.startsWith('multipart/mixed')
    ? JSON.stringify({
        statements: parseMultipart(type, res.rawPayload).statementsJson,
        parts: partsOf(res),
      })
    : res.body;
  // Times the LRS assigns when it stores a statement differ between two requests anyway.
  return text.replace(/"(stored|timestamp)":"[^"]*"/g, '"$1":"…"');
}

/** A 404 or other error body as the error handler sends it. */
export function errorBody(statusCode: number, code: string, message: string) {
  const error: Record<number, string> = {
    400: 'Bad Request',
    403: 'Forbidden',
    404: 'Not Found',
    405: 'Method Not Allowed',
    409: 'Conflict',
    412: 'Precondition Failed',
  };
  return { statusCode, error: error[statusCode], code, message };
}

/**
 * The heart of these tests: `call` asking about A's thing gets exactly the answer it gets about a
 * thing that never existed anywhere (status, headers and body, once the names are swapped), and
 * that answer is `expected` (status, and the whole body when given).
 */
export async function expectNothingOfA(
  t: Test,
  call: Caller,
  aboutA: Req,
  aboutNothing: Req,
  names: Names,
  expected: { status: number; body?: unknown },
): Promise<LightMyRequestResponse> {
  const answer = await call(aboutA);
  const control = await call(aboutNothing);
  const what = `${aboutA.method} ${decodeURIComponent(aboutA.url)}`;
  t.equal(answer.statusCode, expected.status, `${what}: status`);
  if (expected.body !== undefined) {
    t.strictSame(answer.json(), expected.body, `${what}: the whole body`);
  }
  t.equal(control.statusCode, answer.statusCode, `${what}: the same status as for nothing`);
  t.strictSame(
    comparableHeaders(answer, []),
    comparableHeaders(control, names),
    `${what}: the same headers as for nothing`,
  );
  t.equal(
    comparableBody(answer),
    modulo(comparableBody(control), names),
    `${what}: the same body as for nothing`,
  );
  if (aboutA.method === 'HEAD') {
    // A HEAD answer has no body but tells its length, which the header comparison above leaves
    // out (names differ in length): it must be the length of the GET answer, and that GET answer
    // must be the one about nothing.
    const [gotA, gotNothing] = [
      await call({ ...aboutA, method: 'GET' }),
      await call({ ...aboutNothing, method: 'GET' }),
    ];
    t.equal(
      answer.headers['content-length'],
      gotA.headers['content-length'],
      `${what}: the length of the GET answer`,
    );
    t.equal(
      comparableBody(gotA),
      modulo(comparableBody(gotNothing), names),
      `${what}: whose body is the one about nothing`,
    );
  }
  return answer;
}

/** A still reads exactly what it read right after populating its store. */
export async function expectAUnchanged(t: Test, w: World, after: string): Promise<void> {
  t.strictSame(await w.snapshotA(), w.snapshotOfA, `A reads the same after ${after}`);
}
