/**
 * Data written before lookups by statement went through `_id` (voids by target, tombstones and
 * derivation marks keyed by statement, evidence manifests) is moved once at start-up
 * (packages/store/src/keyed-lookups-migration.ts): after it, the repositories find everything an
 * earlier version stored, and a second start changes nothing.
 */
import t from 'tap';
import { testResources } from '../../helpers/test-resources.js';

/** A document as an earlier version wrote it: a string key and any fields. */
type Raw = { _id: string } & Record<string, unknown>;

t.test(
  'voids, tombstones, marks and evidence of an earlier version are found after start-up',
  async (t) => {
    const { store, mongo } = await testResources(t);
    const db = mongo.db;
    // testResources started the store once: this database is marked migrated. Forget that, and
    // write what an earlier version wrote.
    await db.collection('migrations').deleteMany({});
    await db.collection<Raw>('statements').insertMany([
      {
        _id: 'a|voider',
        storeId: 'a',
        statementId: 'voider',
        voidsStatementId: 'target',
        voided: false,
      },
      { _id: 'a|plain', storeId: 'a', statementId: 'plain', voidsStatementId: null, voided: false },
    ]);
    await db.collection<Raw>('tombstones').insertMany([
      {
        _id: JSON.stringify(['a', 'target', 'voider']),
        storeId: 'a',
        targetStatementId: 'target',
        voidingStatementId: 'voider',
      },
    ]);
    await db.collection<Raw>('derivation_marks').insertMany([
      { _id: JSON.stringify(['a', 's1', 2]), storeId: 'a', statementId: 's1', generation: 2 },
      { _id: JSON.stringify(['a', 's1', 5]), storeId: 'a', statementId: 's1', generation: 5 },
    ]);
    const rowKey = (skill: string) =>
      JSON.stringify(['a', 's1', skill, 'mbox::a@example.com', 'actor']);
    await db.collection<Raw>('evidence').insertMany(
      ['x', 'y'].map((skill) => ({
        _id: rowKey(skill),
        storeId: 'a',
        statementId: 's1',
        skill,
        subject: 'mbox::a@example.com',
        role: 'actor',
        day: '2024-03-01',
        source: 'formal',
        kind: 'outcome',
        concept: 'passed',
        verb: 'http://adlnet.gov/expapi/verbs/passed',
        platform: null,
        activityId: 'https://example.com/a',
        yUnits: 800,
        wUnits: 10_000,
        n: 1,
        state: 'counted',
      })),
    );

    t.strictSame(await store.statementsOf('a').voidedAmong(['target']), [], 'not found before');
    t.strictSame(await store.evidenceOf('a').ofStatements(['s1']), [], 'not found before');

    await store.ensureIndexes();
    t.strictSame(await store.statementsOf('a').voidedAmong(['target', 'plain']), ['target']);
    t.strictSame(await store.tombstonesOf('a').voidedAmong(['target']), ['target']);
    t.strictSame([...(await store.rederivationsOf('a').latestMarks(['s1']))], [['s1', 5]]);
    t.strictSame(
      (await store.evidenceOf('a').ofStatements(['s1'])).map((r) => r.key),
      [rowKey('x'), rowKey('y')],
    );
    t.equal(await db.collection('tombstones').countDocuments({}), 1, 'the old tombstone is gone');
    t.equal(
      await db.collection('derivation_marks').countDocuments({}),
      1,
      'one mark per statement',
    );

    // Done once: data of the old shape written now is not moved again.
    await db.collection<Raw>('derivation_marks').insertOne({
      _id: JSON.stringify(['a', 's2', 1]),
      storeId: 'a',
      statementId: 's2',
      generation: 1,
    });
    await store.ensureIndexes();
    t.equal(
      await db.collection('derivation_marks').countDocuments({}),
      2,
      'a second start moves nothing',
    );
  },
);
