// CORS. A preflight carries no credential, so it belongs to no store: it must answer the same for
// requests aimed at A's data from A's own web origin as for requests aimed at nothing from an
// origin nobody listed. And A's origin list is A's: B's credential, used from A's origin, is
// treated like from any other origin (B's store has no list, so the installation's applies).
import type { IsolationCase } from './case.js';
import { expectNothingOfA, nowhere } from './expectations.js';
import { qs, STATE, type Req } from './fixture.js';

export const corsCases: IsolationCase[] = [
  {
    method: 'OPTIONS',
    url: '*',
    attempt:
      "preflights aimed at A's data from A's origin answer as for nothing, and A's origin list does not reach B",
    async run(t, w) {
      const A = w.dataOfA;
      const [otherOrigin, otherId, otherStore] = [
        nowhere.origin(),
        nowhere.statementId(),
        nowhere.storeId(),
      ];
      const names = [
        [A.origin, otherOrigin],
        [A.ids.S1, otherId],
        [w.a.storeId, otherStore],
      ] as const;
      const preflight = (url: string, origin: string, method: string): Req => ({
        method: 'OPTIONS',
        url,
        headers: {
          origin,
          'access-control-request-method': method,
          'access-control-request-headers': 'authorization, content-type, x-experience-api-version',
        },
      });
      for (const [ofA, ofNothing, method] of [
        [
          `/xapi/statements?statementId=${A.ids.S1}`,
          `/xapi/statements?statementId=${otherId}`,
          'GET',
        ],
        [`${STATE}?${qs(A.documents.state)}`, `${STATE}?stateId=x`, 'PUT'],
        [`/admin/v1/stores/${w.a.storeId}`, `/admin/v1/stores/${otherStore}`, 'PATCH'],
      ] as const) {
        await expectNothingOfA(
          t,
          w.anonymous,
          preflight(ofA, A.origin, method),
          preflight(ofNothing, otherOrigin, method),
          names,
          { status: 204 },
        );
      }

      // B from A's origin: allowed exactly as from an origin nobody listed.
      const fromOrigin = (origin: string): Req => ({
        method: 'GET',
        url: `/xapi/statements?statementId=${w.ownOfB.id}`,
        headers: { origin },
      });
      await expectNothingOfA(t, w.b.call, fromOrigin(A.origin), fromOrigin(otherOrigin), names, {
        status: 200,
      });
    },
  },
];
