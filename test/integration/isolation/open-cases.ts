// The routes without a credential (health, readiness, about) belong to no store. They answer the
// same before and after A held data, with or without B's credential, and name nothing of A.
import type { IsolationCase } from './case.js';
import { OPEN_ROUTES, type Method } from './fixture.js';

const open = (method: Method, url: string): IsolationCase => ({
  method,
  url,
  attempt: 'answers the same as before A had data, and names nothing of A',
  async run(t, w) {
    const before = w.openAnswersBefore[url] ?? '';
    for (const res of [await w.anonymous({ method, url }), await w.b.call({ method, url })]) {
      t.equal(res.statusCode, 200);
      t.equal(res.body, method === 'HEAD' ? '' : before);
      t.equal(res.headers['content-length'], String(Buffer.byteLength(before)));
      for (const secret of [w.a.storeId, w.a.key, w.dataOfA.activity, w.dataOfA.agent.mbox]) {
        t.notOk(res.body.includes(secret), `does not name ${secret}`);
      }
    }
  },
});

export const openCases: IsolationCase[] = OPEN_ROUTES.flatMap((url) => [
  open('GET', url),
  open('HEAD', url),
]);
