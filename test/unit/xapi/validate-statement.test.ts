import { readFileSync } from 'node:fs';
import t from 'tap';
import {
  assertValidStatements,
  SUPPORTED_VERSIONS,
  validateStatement,
  validateStatements,
  type ValidationProblem,
} from '@cairn/xapi';
import { base, invalidCases, validCases } from './fixtures/rule-corpus.js';

const specExamples = JSON.parse(
  readFileSync(new URL('./fixtures/spec-examples.json', import.meta.url), 'utf8'),
) as Record<string, unknown>;

const describe = (problems: ValidationProblem[]): string =>
  problems.map((p) => `${p.path}: ${p.message}`).join('\n');

t.test('every example statement of xAPI-Data is valid in every supported version', async (t) => {
  for (const [name, statement] of Object.entries(specExamples)) {
    for (const version of SUPPORTED_VERSIONS) {
      const result = validateStatement(statement, version);
      t.ok(result.ok, `${name} (${version})${result.ok ? '' : `\n${describe(result.problems)}`}`);
    }
  }
});

t.test('valid corpus', async (t) => {
  for (const c of validCases) {
    for (const version of c.versions) {
      const result = validateStatement(c.statement, version);
      t.ok(result.ok, `${c.name} (${version})${result.ok ? '' : `\n${describe(result.problems)}`}`);
      if (result.ok) t.equal(result.value, c.statement, 'the value is the input, unmodified');
    }
  }
});

t.test('invalid corpus: each case is rejected with the expected path', async (t) => {
  for (const c of invalidCases) {
    for (const version of c.versions) {
      const result = validateStatement(c.statement, version);
      if (result.ok) {
        t.fail(`${c.name} (${version}) was accepted`);
        continue;
      }
      t.ok(
        result.problems.some((p) => p.path === c.path),
        `${c.name} (${version}) reports ${c.path}; got\n${describe(result.problems)}`,
      );
    }
  }
});

t.test('messages name the field and the rule', async (t) => {
  const result = validateStatement(
    { actor: { mbox: 'someone@example.com' }, verb: { id: 'did' }, object: {} },
    '1.0.3',
  );
  t.same(result, {
    ok: false,
    problems: [
      { path: 'actor.mbox', message: 'must be a mailto: IRI' },
      { path: 'verb.id', message: 'must be an IRI with a scheme' },
      { path: 'object.id', message: 'is required' },
    ],
  });
});

t.test(
  'batches: one statement or an array, paths prefixed by index, empty array valid',
  async (t) => {
    t.same(validateStatements([], '1.0.3'), { ok: true, value: [] });
    t.same(validateStatements(base, '2.0.0'), { ok: true, value: [base] });
    const result = validateStatements([base, { ...base, verb: { id: 'x' } }, 7], '1.0.3');
    t.same(result, {
      ok: false,
      problems: [
        { path: '[1].verb.id', message: 'must be an IRI with a scheme' },
        { path: '[2]', message: 'must be an object' },
      ],
    });
  },
);

t.test('assertValidStatements throws XAPI_ERR_VALIDATION listing every problem', async (t) => {
  t.same(assertValidStatements([base], '1.0.3'), [base]);
  t.throws(() => assertValidStatements({ actor: { mbox: 'x' }, verb: { id: 'urn:v' } }, '1.0.3'), {
    code: 'XAPI_ERR_VALIDATION',
    statusCode: 400,
    message: 'Invalid xAPI statement: object is required; actor.mbox must be a mailto: IRI',
  });
});

t.test('never throws on any JSON value at the top level', async (t) => {
  for (const input of [null, 0, 'x', true, [], {}, [null], [[]], { actor: null }]) {
    t.doesNotThrow(() => validateStatements(input, '2.0.0'));
    t.equal(validateStatement(input, '1.0.3').ok, false);
  }
});

t.test('a Group authority is an anonymous pair of Agents: the messages', async (t) => {
  const statement = (authority: object): object => ({
    actor: { mbox: 'mailto:a@example.com' },
    verb: { id: 'urn:v' },
    object: { id: 'urn:a' },
    authority,
  });
  const agent = (n: number): object => ({ mbox: `mailto:${n}@example.com` });
  t.same(
    validateStatement(
      statement({ objectType: 'Group', member: [agent(1), agent(2), agent(3)] }),
      '2.0.0',
    ),
    {
      ok: false,
      problems: [
        {
          path: 'authority.member',
          message:
            'must be exactly two Agents (an application and a user) when the authority is a Group, has 3',
        },
      ],
    },
  );
  t.same(
    validateStatement(
      statement({ objectType: 'Group', openid: 'https://g.example.com', member: [agent(1)] }),
      '1.0.3',
    ),
    {
      ok: false,
      problems: [
        {
          path: 'authority',
          message: 'must be an anonymous Group of two Agents (3-legged OAuth), has openid',
        },
        {
          path: 'authority.member',
          message:
            'must be exactly two Agents (an application and a user) when the authority is a Group, has 1',
        },
      ],
    },
  );
  t.same(
    validateStatement(statement({ objectType: 'Group' }), '2.0.0'),
    {
      ok: false,
      problems: [
        {
          path: 'authority.member',
          message: 'is required in an anonymous Group (a Group without an IFI)',
        },
      ],
    },
    'an anonymous Group without members is reported once',
  );
  t.ok(
    validateStatement(statement({ objectType: 'Group', member: [agent(1), agent(2)] }), '1.0.0').ok,
  );
  const three = { objectType: 'Group', member: [agent(1), agent(2), agent(3)] };
  t.ok(
    validateStatement({ ...statement(agent(9)), object: three, context: { team: three } }, '2.0.0')
      .ok,
    'the two-member rule is for authority only, not for other Groups',
  );
});
