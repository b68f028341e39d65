import t from 'tap';
import { ConfigError, loadConfig, redactConfig, type ConfigSpec } from '@cairn/config';
import { lrsConfigSpec, type LrsConfig } from '@cairn/lrs';

const required = { MONGODB_URI: 'mongodb://127.0.0.1:27017/', REDIS_URL: 'redis://127.0.0.1:6379' };

function problems(spec: ConfigSpec, env: Record<string, string>): readonly string[] {
  try {
    loadConfig(spec, env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

t.test('fills defaults and converts numbers from environment strings', async (t) => {
  const config = loadConfig<LrsConfig>(lrsConfigSpec, { ...required, CAIRN_LRS_PORT: '9090' });
  t.equal(config.CAIRN_LRS_PORT, 9090);
  t.equal(config.CAIRN_LRS_HOST, '127.0.0.1');
  t.equal(config.CAIRN_MONGODB_DATABASE, 'cairn');
  t.equal(config.CAIRN_QUEUE_PREFIX, 'cairn');
  t.equal(config.CAIRN_LOG_LEVEL, 'info');
  t.ok(Object.isFrozen(config), 'the result cannot be changed later');
});

t.test(
  'ignores variables the schema does not declare and treats empty strings as unset',
  async (t) => {
    const config = loadConfig<LrsConfig>(lrsConfigSpec, {
      ...required,
      PATH: '/bin',
      CAIRN_LRS_PORT: '',
    });
    t.equal(config.CAIRN_LRS_PORT, 8080);
    t.notOk('PATH' in config);
  },
);

t.test('names every bad key at once', async (t) => {
  const found = problems(lrsConfigSpec, {
    MONGODB_URI: 'postgres://nope',
    CAIRN_LRS_PORT: 'eighty',
    CAIRN_LOG_LEVEL: 'loud',
  });
  t.equal(found.length, 4, found.join('\n'));
  t.match(found.join('\n'), /REDIS_URL is required/);
  t.match(found.join('\n'), /MONGODB_URI must match pattern/);
  t.match(found.join('\n'), /CAIRN_LRS_PORT must be integer \(got "eighty"\)/);
  t.match(
    found.join('\n'),
    /CAIRN_LOG_LEVEL must be equal to one of the allowed values: one of fatal, error/,
  );
});

t.test('never prints a secret, even when it is invalid', async (t) => {
  const found = problems(lrsConfigSpec, {
    ...required,
    CAIRN_BOOTSTRAP_KEY: 'bootstrap-key',
    CAIRN_BOOTSTRAP_SECRET: 'short-secret',
  });
  t.equal(found.length, 1);
  t.match(found[0], /CAIRN_BOOTSTRAP_SECRET must NOT have fewer than 16 characters/);
  t.notMatch(found.join('\n'), /short-secret/);
  const config = loadConfig<LrsConfig>(lrsConfigSpec, {
    ...required,
    CAIRN_BOOTSTRAP_KEY: 'bootstrap-key',
    CAIRN_BOOTSTRAP_SECRET: 'a-long-enough-secret',
  });
  const shown = redactConfig(lrsConfigSpec, config);
  t.equal(shown['CAIRN_BOOTSTRAP_SECRET'], '[redacted]');
  t.equal(shown['MONGODB_URI'], '[redacted]', 'connection strings may carry passwords');
  t.equal(shown['CAIRN_BOOTSTRAP_KEY'], 'bootstrap-key');
});

t.test('the bootstrap key and secret come together or not at all', async (t) => {
  t.match(problems(lrsConfigSpec, { ...required, CAIRN_BOOTSTRAP_KEY: 'bootstrap-key' }), [
    /CAIRN_BOOTSTRAP_SECRET is required when CAIRN_BOOTSTRAP_KEY is set/,
  ]);
  t.match(
    problems(lrsConfigSpec, { ...required, CAIRN_BOOTSTRAP_SECRET: 'a-long-enough-secret' }),
    [/CAIRN_BOOTSTRAP_KEY is required when CAIRN_BOOTSTRAP_SECRET is set/],
  );
});

t.test('the error carries a stable code and the app name', async (t) => {
  t.throws(() => loadConfig(lrsConfigSpec, {}), {
    code: 'CONFIG_ERR_INVALID',
    message: /invalid configuration for lrs/,
  });
});

t.test('CAIRN_XAPI_MISSING_VERSION_REPLY: 2.0.0 by default, 1.0.3 or 2.0.0 only', async (t) => {
  t.equal(loadConfig<LrsConfig>(lrsConfigSpec, required).CAIRN_XAPI_MISSING_VERSION_REPLY, '2.0.0');
  for (const version of ['1.0.3', '2.0.0']) {
    const config = loadConfig<LrsConfig>(lrsConfigSpec, {
      ...required,
      CAIRN_XAPI_MISSING_VERSION_REPLY: version,
    });
    t.equal(config.CAIRN_XAPI_MISSING_VERSION_REPLY, version);
  }
  // A response names the latest patch of a family (Communication 3.3.s3.b2): nothing else.
  for (const version of ['1.0.2', '1.0', '2.0', '1.1.0', 'latest']) {
    t.strictSame(
      problems(lrsConfigSpec, { ...required, CAIRN_XAPI_MISSING_VERSION_REPLY: version }),
      [
        'CAIRN_XAPI_MISSING_VERSION_REPLY must be equal to one of the allowed values: one of 1.0.3, 2.0.0 ' +
          `(got "${version}") -- X-Experience-API-Version of the 400 answering a request without ` +
          'that header: 2.0.0, or 1.0.3 for a 1.0.3 conformance run',
      ],
      version,
    );
  }
});
