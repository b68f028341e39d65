import t from 'tap';
import { call, DATA, errorBody, setup, SQL, STATS } from './api-client.js';

const framework = {
  id: 'acme',
  name: ' Acme ',
  skills: [
    { iri: DATA, name: 'Data', description: 'Data.' },
    { iri: SQL, name: 'SQL', parent: DATA },
  ],
};
const stored = {
  id: 'acme',
  name: 'Acme',
  skills: [
    { iri: DATA, name: 'Data', description: 'Data.' },
    { iri: SQL, name: 'SQL', parent: DATA },
  ],
};

t.test('create, list, read, replace, delete; every change bumps the generation', async (t) => {
  const s = await setup(t);
  const empty = await call(s.app, 'GET', '/frameworks', s.admin);
  t.equal(empty.statusCode, 200);
  t.equal(empty.headers['etag'], '"0"');
  t.strictSame(empty.json(), { generation: 0, frameworks: [] });

  const created = await call(s.app, 'POST', '/frameworks', s.admin, framework);
  t.equal(created.statusCode, 201);
  t.equal(created.headers['location'], '/api/v1/frameworks/acme');
  t.equal(created.headers['etag'], '"1"');
  t.strictSame(created.json(), { generation: 1, framework: stored });

  const made = await call(s.app, 'POST', '/frameworks', s.admin, { name: 'Made', skills: [] });
  t.equal(made.statusCode, 201);
  const madeId = made.json<{ framework: { id: string } }>().framework.id;
  t.match(madeId, /^fw_[0-9a-f]{16}$/);

  const listed = await call(s.app, 'GET', '/frameworks', s.cohort);
  t.equal(listed.headers['etag'], '"2"');
  t.strictSame(listed.json(), {
    generation: 2,
    frameworks: [
      { id: 'acme', name: 'Acme', skillCount: 2 },
      { id: madeId, name: 'Made', skillCount: 0 },
    ],
  });

  const read = await call(s.app, 'GET', '/frameworks/acme', s.allRead);
  t.equal(read.statusCode, 200);
  t.equal(read.headers['etag'], '"2"');
  t.strictSame(read.json(), { generation: 2, framework: stored });

  const replacement = { name: 'Acme 2', skills: [{ iri: STATS, name: 'Statistics' }] };
  const replaced = await call(s.app, 'PUT', '/frameworks/acme', s.admin, replacement);
  t.equal(replaced.statusCode, 200);
  t.equal(replaced.headers['etag'], '"3"');
  t.strictSame(replaced.json(), { generation: 3, framework: { id: 'acme', ...replacement } });
  const sameId = await call(s.app, 'PUT', '/frameworks/acme', s.admin, {
    id: 'acme',
    ...replacement,
  });
  t.equal(sameId.statusCode, 200, 'a body id equal to the path is fine');

  const settings = await s.store.skillSettingsOf('s1').derivationSettings();
  t.strictSame(settings.knownSkills, [STATS], 'the pipeline sees the frameworks as known skills');

  const deleted = await call(s.app, 'DELETE', '/frameworks/acme', s.admin, undefined, {
    'content-type': 'application/json',
  });
  t.equal(deleted.statusCode, 204);
  t.equal(deleted.headers['etag'], '"5"');
  const gone = await call(s.app, 'GET', '/frameworks/acme', s.admin);
  t.strictSame(gone.json(), errorBody(404, 'API_ERR_FRAMEWORK_NOT_FOUND', 'no framework acme'));
});

t.test('ids that are IRIs travel encoded in the path', async (t) => {
  const s = await setup(t);
  const id = 'https://skills.acme.example/frameworks/acme';
  const created = await call(s.app, 'POST', '/frameworks', s.admin, { ...framework, id });
  t.equal(created.headers['location'], `/api/v1/frameworks/${encodeURIComponent(id)}`);
  const read = await call(s.app, 'GET', `/frameworks/${encodeURIComponent(id)}`, s.admin);
  t.equal(read.statusCode, 200);
  t.equal(read.json<{ framework: { id: string } }>().framework.id, id);
});

t.test('errors: invalid values, unknown ids, taken ids, and nothing changes', async (t) => {
  const s = await setup(t);
  await call(s.app, 'POST', '/frameworks', s.admin, framework);

  const taken = await call(s.app, 'POST', '/frameworks', s.admin, framework);
  t.strictSame(
    taken.json(),
    errorBody(
      409,
      'API_ERR_FRAMEWORK_EXISTS',
      'a framework acme exists already: PUT /api/v1/frameworks/{id} replaces it',
    ),
  );

  const cyclic = await call(s.app, 'POST', '/frameworks', s.admin, {
    id: 'bad',
    name: 'Bad',
    skills: [
      { iri: DATA, name: 'Data', parent: SQL },
      { iri: SQL, name: 'SQL', parent: DATA },
      { iri: 'statistics', name: 'Stats', parent: 'https://skills.example/none' },
    ],
  });
  t.strictSame(
    cyclic.json(),
    errorBody(
      400,
      'API_ERR_INVALID',
      'framework: skills[2].iri must be an absolute IRI (with a scheme, such as https:); ' +
        'skills[2].parent is not a skill of this framework: https://skills.example/none; ' +
        `skills[0].parent makes a cycle of parents: ${DATA} -> ${SQL} -> ${DATA}`,
    ),
  );

  const shape = await call(s.app, 'POST', '/frameworks', s.admin, {
    name: 'X',
    skills: [{ iri: SQL, name: 'SQL', narrows: DATA }],
  });
  t.equal(shape.statusCode, 400);
  t.equal(shape.json<{ code: string }>().code, 'FST_ERR_VALIDATION');
  t.match(shape.json<{ message: string }>().message, "must NOT have additional property 'narrows'");

  const wrongId = await call(s.app, 'PUT', '/frameworks/acme', s.admin, { ...framework, id: 'x' });
  t.strictSame(
    wrongId.json(),
    errorBody(400, 'API_ERR_INVALID', "framework: id x differs from the path's acme"),
  );
  const unknownPut = await call(s.app, 'PUT', '/frameworks/nope', s.admin, {
    name: 'X',
    skills: [],
  });
  t.strictSame(
    unknownPut.json(),
    errorBody(404, 'API_ERR_FRAMEWORK_NOT_FOUND', 'no framework nope'),
  );
  const unknownDelete = await call(s.app, 'DELETE', '/frameworks/nope', s.admin);
  t.strictSame(
    unknownDelete.json(),
    errorBody(404, 'API_ERR_FRAMEWORK_NOT_FOUND', 'no framework nope'),
  );

  const after = await call(s.app, 'GET', '/frameworks', s.admin);
  t.strictSame(after.json(), {
    generation: 1,
    frameworks: [{ id: 'acme', name: 'Acme', skillCount: 2 }],
  });
});

t.test('If-Match: the current generation or *, else 412 and nothing changes', async (t) => {
  const s = await setup(t);
  await call(s.app, 'POST', '/frameworks', s.admin, framework);
  const stale = await call(s.app, 'PUT', '/frameworks/acme', s.admin, framework, {
    'if-match': '"0"',
  });
  t.strictSame(
    stale.json(),
    errorBody(
      412,
      'API_ERR_PRECONDITION_FAILED',
      'If-Match "0" does not match the current generation "1": read again and retry',
    ),
  );
  const weak = await call(s.app, 'DELETE', '/frameworks/acme', s.admin, undefined, {
    'if-match': 'W/"1"',
  });
  t.equal(weak.statusCode, 412, 'If-Match compares strongly');
  const fresh = await call(s.app, 'PUT', '/frameworks/acme', s.admin, framework, {
    'if-match': '"1"',
  });
  t.equal(fresh.statusCode, 200);
  t.equal(fresh.headers['etag'], '"2"');
  const any = await call(
    s.app,
    'POST',
    '/frameworks',
    s.admin,
    { name: 'B', skills: [] },
    {
      'if-match': '*',
    },
  );
  t.equal(any.statusCode, 201);
  t.equal((await s.store.skillSettingsOf('s1').current()).generation, 3);
});

t.test('two editors of one generation: one wins, the other gets 412', async (t) => {
  const s = await setup(t);
  await call(s.app, 'POST', '/frameworks', s.admin, framework);
  const edits = await Promise.all(
    ['One', 'Two', 'Three'].map((name) =>
      call(
        s.app,
        'PUT',
        '/frameworks/acme',
        s.admin,
        { ...framework, name },
        { 'if-match': '"1"' },
      ),
    ),
  );
  t.strictSame(edits.map((r) => r.statusCode).sort(), [200, 412, 412]);
  t.equal((await s.store.skillSettingsOf('s1').current()).generation, 2);
});

t.test('import: the simulator file, its rules merged, repeated imports idempotent', async (t) => {
  const s = await setup(t);
  const file = {
    id: 'https://skills.acme.example/frameworks/acme',
    name: 'Acme',
    skills: [
      { id: DATA, name: 'Data', description: 'Data.' },
      { id: SQL, name: 'SQL', parent: DATA, description: 'SQL, part of Data.' },
    ],
    rules: [
      {
        activityIdPrefix: 'https://lms.acme.example/courses/sql',
        skills: [{ skill: SQL, weight: 1 }],
      },
    ],
    tags: [
      { tag: 'https://tags.acme.example/sql', name: 'sql', skills: [{ skill: SQL, weight: 0.5 }] },
    ],
    activities: [{ id: 'https://lms.acme.example/courses/sql-1', kind: 'course' }],
  };
  const first = await call(s.app, 'POST', '/frameworks/import', s.admin, file);
  t.equal(first.statusCode, 201);
  t.strictSame(first.json(), {
    generation: 1,
    framework: {
      id: file.id,
      name: 'Acme',
      skills: [
        { iri: DATA, name: 'Data', description: 'Data.' },
        { iri: SQL, name: 'SQL', description: 'SQL, part of Data.', parent: DATA },
      ],
    },
    rules: 1,
    tags: 1,
  });
  const again = await call(s.app, 'POST', '/frameworks/import', s.admin, file);
  t.equal(again.statusCode, 200);
  t.match(again.json(), { generation: 2, rules: 1, tags: 1 });
  const rules = await call(s.app, 'GET', '/rules', s.admin);
  t.match(rules.json(), { rules: file.rules, tags: file.tags });

  const keep = await call(s.app, 'POST', '/frameworks/import?rules=keep', s.admin, {
    ...file,
    rules: [{ activityId: 'https://x.example/a', skills: [{ skill: SQL, weight: 1 }] }],
  });
  t.match(keep.json(), { generation: 3, rules: 1 });
  const replace = await call(s.app, 'POST', '/frameworks/import?rules=replace', s.admin, {
    ...file,
    rules: [],
    tags: [],
  });
  t.match(replace.json(), { generation: 4, rules: 0, tags: 0 });

  const badMode = await call(s.app, 'POST', '/frameworks/import?rules=all', s.admin, file);
  t.equal(badMode.statusCode, 400);
  t.equal(badMode.json<{ code: string }>().code, 'FST_ERR_VALIDATION');
  const badFile = await call(s.app, 'POST', '/frameworks/import', s.admin, {
    ...file,
    skills: [{ id: SQL, name: 'SQL', parent: DATA }],
    rules: [{ skills: [{ skill: SQL, weight: 2 }] }],
  });
  t.strictSame(
    badFile.json(),
    errorBody(
      400,
      'API_ERR_INVALID',
      `framework file: skills[0].parent is not a skill of this framework: ${DATA}; ` +
        'rules[0] must have a condition (one of activityId, activityIdPrefix, activityType, verb, tag, platform); it matches nothing; ' +
        'rules[0].skills[0].weight must be a number in (0, 1]',
    ),
  );
  t.equal((await s.store.skillSettingsOf('s1').current()).generation, 4, 'nothing changed');
});

t.test('scopes: readers read, only admin writes; stores are apart', async (t) => {
  const s = await setup(t);
  await call(s.app, 'POST', '/frameworks', s.admin, framework);
  for (const reader of [s.admin, s.cohort, s.allRead, s.all]) {
    const res = await call(s.app, 'GET', '/frameworks/acme', reader);
    t.equal(res.statusCode, 200);
  }
  const none = await call(s.app, 'GET', '/frameworks', s.statementsRead);
  t.strictSame(
    none.json(),
    errorBody(
      403,
      'API_ERR_FORBIDDEN',
      'reading skill settings needs one of the scopes admin, reports:cohort, all/read, all; this credential has: statements/read',
    ),
  );
  const anonymous = await call(s.app, 'GET', '/frameworks');
  t.equal(anonymous.statusCode, 401);
  t.equal(anonymous.headers['www-authenticate'], 'Basic realm="Cairn"');
  for (const writer of [s.cohort, s.all]) {
    const res = await call(s.app, 'POST', '/frameworks', writer, framework);
    t.equal(res.statusCode, 403);
    t.equal(res.json<{ code: string }>().code, 'AUTH_ERR_FORBIDDEN');
  }
  const other = await call(s.app, 'GET', '/frameworks/acme', s.otherAdmin);
  t.equal(other.statusCode, 404, "another store's admin does not see it");
  const otherList = await call(s.app, 'GET', '/frameworks', s.otherAdmin);
  t.strictSame(otherList.json(), { generation: 0, frameworks: [] });
  const otherCreate = await call(s.app, 'POST', '/frameworks', s.otherAdmin, framework);
  t.equal(otherCreate.statusCode, 201, 'the same id in another store is another framework');
});
