import fc from 'fast-check';
import t from 'tap';
import {
  ANY_ORIGIN,
  checkOriginList,
  MAX_ORIGINS,
  originAllowed,
  originProblem,
  splitOriginList,
} from '@cairn/lrs';

t.test('an origin is scheme://host[:port] exactly as a browser sends it', async (t) => {
  for (const ok of [
    '*',
    'https://courses.example.com',
    'http://localhost:8000',
    'https://[::1]:8443',
  ]) {
    t.equal(originProblem(ok), null, ok);
  }
  t.equal(
    originProblem('https://courses.example.com/'),
    '"https://courses.example.com/" is not an origin as browsers send it; did you mean "https://courses.example.com"?',
  );
  t.equal(
    originProblem('https://Courses.example.com'),
    '"https://Courses.example.com" is not an origin as browsers send it; did you mean "https://courses.example.com"?',
  );
  t.equal(
    originProblem('https://example.com:443'),
    '"https://example.com:443" is not an origin as browsers send it; did you mean "https://example.com"?',
  );
  t.equal(
    originProblem('courses.example.com'),
    '"courses.example.com" is not an origin (scheme://host[:port])',
  );
  t.equal(originProblem('ftp://example.com'), '"ftp://example.com" is not an http or https origin');
  // Sandboxed frames and file:// pages send `Origin: null`; only `*` lets them in.
  t.equal(originProblem('null'), '"null" is not an origin (scheme://host[:port])');
});

t.test('an origin list: one or more origins, or * alone, without duplicates', async (t) => {
  t.strictSame(checkOriginList(['https://a.example', 'https://a.example', 'http://b.example']), {
    ok: true,
    origins: ['https://a.example', 'http://b.example'],
  });
  t.strictSame(checkOriginList(['*']), { ok: true, origins: ['*'] });
  t.strictSame(checkOriginList([]), { ok: false, problem: 'must list at least one origin, or *' });
  t.strictSame(checkOriginList(['*', 'https://a.example']), {
    ok: false,
    problem: '* allows every origin and cannot be combined with others',
  });
  t.strictSame(checkOriginList(['https://a.example', 'a.example']), {
    ok: false,
    problem: '"a.example" is not an origin (scheme://host[:port])',
  });
  const many = Array.from({ length: MAX_ORIGINS + 1 }, (_, i) => `https://s${i}.example`);
  t.strictSame(checkOriginList(many), {
    ok: false,
    problem: `must list at most ${MAX_ORIGINS} origins`,
  });
  t.strictSame(checkOriginList(many.slice(1)).ok, true);
});

t.test('comma-separated lists ignore spaces and empty parts', async (t) => {
  t.strictSame(splitOriginList(' https://a.example , http://b.example,,'), [
    'https://a.example',
    'http://b.example',
  ]);
  t.strictSame(splitOriginList(''), []);
});

t.test('origins compare exactly; * allows any, null included', async (t) => {
  t.ok(originAllowed(['https://a.example'], 'https://a.example'));
  t.notOk(originAllowed(['https://a.example'], 'https://a.example:8443'));
  t.notOk(originAllowed(['https://a.example'], 'http://a.example'));
  t.notOk(originAllowed(['https://a.example'], 'https://sub.a.example'));
  fc.assert(fc.property(fc.string(), (origin) => originAllowed([ANY_ORIGIN], origin)));
  // A list of valid origins never lets in a value that is not one of them.
  fc.assert(
    fc.property(fc.webUrl(), fc.webUrl(), (listed, sent) => {
      const origin = new URL(listed).origin;
      return originAllowed([origin], sent) === (sent === origin);
    }),
  );
});
