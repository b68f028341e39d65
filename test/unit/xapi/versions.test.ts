import fc from 'fast-check';
import t from 'tap';
import {
  isVersion1,
  parseVersionHeader,
  responseVersion,
  SUPPORTED_VERSIONS,
  versionFamily,
  type VersionFamily,
} from '@cairn/xapi';

const FAMILIES: readonly VersionFamily[] = ['1.0', '2.0'];

/** Any ASCII-digit patch, leading zeros and more digits than a double holds included. */
const patch = fc.stringMatching(/^[0-9]{1,40}$/);

t.test('the exact versions Cairn knows are served as themselves', async (t) => {
  for (const version of SUPPORTED_VERSIONS) t.equal(parseVersionHeader(version), version);
});

t.test('Communication 3.3: `1.0` is 1.0.0, later 1.0 patches are the latest known', async (t) => {
  t.equal(parseVersionHeader('1.0'), '1.0.0');
  t.equal(parseVersionHeader('1.0.4'), '1.0.3');
  t.equal(parseVersionHeader('1.0.10'), '1.0.3');
  t.equal(parseVersionHeader('1.0.02'), '1.0.2', 'a leading zero is still the number');
  t.equal(parseVersionHeader(`1.0.${'9'.repeat(400)}`), '1.0.3', 'past any double');
});

t.test('2.0 and its patches are 2.0.0', async (t) => {
  t.equal(parseVersionHeader('2.0'), '2.0.0');
  t.equal(parseVersionHeader('2.0.1'), '2.0.0');
  t.equal(parseVersionHeader('2.0.17'), '2.0.0');
});

t.test('anything else is refused', async (t) => {
  for (const value of [
    '',
    '1',
    '2',
    '1.',
    '1.0.',
    '1.0.x',
    '1.0.3-beta',
    '1.0.3+build',
    '1.0.+3',
    '1.0.-1',
    '1.0.0x3',
    '1.0.3.0',
    '1.0.3 ',
    ' 1.0.3',
    '1.0.3\n',
    '1.0.٣',
    '1.1',
    '1.1.0',
    '1.00.0',
    '01.0.0',
    '2.1.0',
    '3.0.0',
    '0.95',
    '0.9',
    'v1.0.3',
  ]) {
    t.equal(parseVersionHeader(value), undefined, JSON.stringify(value));
  }
});

t.test('every `<family>.<digits>` is accepted and stays in its family', async () => {
  fc.assert(
    fc.property(fc.constantFrom(...FAMILIES), patch, (family, n) => {
      const version = parseVersionHeader(`${family}.${n}`);
      return version !== undefined && versionFamily(version) === family;
    }),
  );
});

t.test('a 1.0 patch Cairn knows is served as itself, any other as 1.0.3', async () => {
  fc.assert(
    fc.property(fc.nat({ max: 1000 }), (n) => {
      const expected = n <= 3 ? `1.0.${n}` : '1.0.3';
      return parseVersionHeader(`1.0.${n}`) === expected;
    }),
  );
});

t.test('a string of another shape is refused', async () => {
  const accepted = /^[12]\.0(\.[0-9]+)?$/;
  fc.assert(
    fc.property(
      fc.oneof(
        fc.string(),
        // Near misses: an accepted shape with something added before, inside or after.
        fc
          .tuple(fc.constantFrom('1.0', '1.0.3', '2.0', '2.0.0'), fc.string({ minLength: 1 }))
          .chain(([v, extra]) =>
            fc.constantFrom(`${extra}${v}`, `${v}${extra}`, `${v}.${extra}`, `${v}-${extra}`),
          ),
      ),
      (value) => accepted.test(value) || parseVersionHeader(value) === undefined,
    ),
  );
});

t.test('a response names the latest patch of the request family', async (t) => {
  t.equal(responseVersion('1.0'), '1.0.3');
  t.equal(responseVersion('2.0'), '2.0.0');
  for (const version of SUPPORTED_VERSIONS) {
    const family = versionFamily(version);
    t.equal(family, version.startsWith('1.') ? '1.0' : '2.0', version);
    t.equal(isVersion1(version), family === '1.0', version);
    t.equal(versionFamily(responseVersion(family)), family, `${version}: same family`);
  }
});
