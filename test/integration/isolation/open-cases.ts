// The routes without a credential (health, readiness, about) of both services belong to no
// store. They answer the same before and after A held data, with or without B's credential, and
// name nothing of A.
import type { IsolationCase } from './case.js';
import { OPEN_ROUTES, type Method, type Service } from './fixture.js';

const open = (service: Service, method: Method, url: string): IsolationCase => ({
  service,
  method,
  url,
  attempt: 'answers the same as before A had data, and names nothing of A',
  async run(t, w) {
    const before = w.openAnswersBefore[`${service} ${url}`] ?? '';
    const [anonymous, b] =
      service === 'lrs' ? [w.anonymous, w.b.call] : [w.anonymousReports, w.b.reports];
    for (const res of [await anonymous({ method, url }), await b({ method, url })]) {
      t.equal(res.statusCode, 200);
      t.equal(res.body, method === 'HEAD' ? '' : before);
      t.equal(res.headers['content-length'], String(Buffer.byteLength(before)));
      for (const secret of [w.a.storeId, w.a.key, w.dataOfA.activity, w.dataOfA.agent.mbox]) {
        t.notOk(res.body.includes(secret), `does not name ${secret}`);
      }
    }
  },
});

export const openCases: IsolationCase[] = (['lrs', 'reports'] as const).flatMap((service) =>
  OPEN_ROUTES[service].flatMap((url) => [open(service, 'GET', url), open(service, 'HEAD', url)]),
);
