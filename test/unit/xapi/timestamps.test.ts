import fc from 'fast-check';
import t from 'tap';
import { isIsoTimestamp, parseTimestamp } from '@cairn/xapi';

// RFC 3339 5.6: a space may separate date and time, and "T" and "Z" may be lower case.

t.test('T, t or one space between date and time; Z or z for UTC', async (t) => {
  const ms = Date.UTC(2008, 8, 15, 15, 53, 0, 601);
  for (const value of [
    '2008-09-15T15:53:00.601Z',
    '2008-09-15t15:53:00.601z',
    '2008-09-15 15:53:00.601+00:00',
    '2008-09-15 15:53:00.601Z',
    '2008-09-15 15:53:00.601z',
    '2008-09-15 17:53:00.601+02:00',
    '2008-09-15 15:53:00.601',
  ]) {
    t.equal(parseTimestamp(value)?.epochMs, ms, value);
  }
});

t.test('what the parser still rejects, with a space as with T', async (t) => {
  for (const value of [
    '2008-09-15  15:53:00Z',
    '2008-09-15\t15:53:00Z',
    '2008-09-15_15:53:00Z',
    '2008-09-1515:53:00Z',
    ' 2008-09-15 15:53:00Z',
    '2008-09-15 15:53:00Z ',
    '2008-09-15 15:53Z',
    '2008-09-15 15:53:00.601-00:00',
    '2008-09-15 15:53:00.Z',
    '2008-09-15 24:00:00Z',
    '2008-09-15 15:60:00Z',
    '2023-02-29 00:00:00Z',
    '2008-09-15 15:53:00+24:00',
    '2008-09-15 15:53:00X',
    '2008-09-15 15:53:00zz',
  ]) {
    t.notOk(isIsoTimestamp(value), JSON.stringify(value));
  }
});

t.test('zone flags: isZulu for Z or z, isCanonicalUtc only for T...Z', async (t) => {
  const flags = (value: string) => {
    const p = parseTimestamp(value);
    return p && { hasZone: p.hasZone, isZulu: p.isZulu, isCanonicalUtc: p.isCanonicalUtc };
  };
  t.same(flags('2008-09-15T15:53:00.601234Z'), {
    hasZone: true,
    isZulu: true,
    isCanonicalUtc: true,
  });
  t.same(flags('2008-09-15T15:53:00z'), { hasZone: true, isZulu: true, isCanonicalUtc: false });
  t.same(flags('2008-09-15t15:53:00Z'), { hasZone: true, isZulu: true, isCanonicalUtc: false });
  t.same(flags('2008-09-15 15:53:00Z'), { hasZone: true, isZulu: true, isCanonicalUtc: false });
  t.same(flags('2008-09-15T15:53:00+00:00'), {
    hasZone: true,
    isZulu: false,
    isCanonicalUtc: false,
  });
  t.same(flags('2008-09-15T15:53:00'), { hasZone: false, isZulu: false, isCanonicalUtc: false });
});

t.test('property: the separator and the case of T and Z never change the instant', async (t) => {
  const instant = fc.date({
    min: new Date('1970-01-01'),
    max: new Date('2999-12-31'),
    noInvalidDate: true,
  });
  fc.assert(
    fc.property(
      instant,
      fc.constantFrom('T', 't', ' '),
      fc.constantFrom('Z', 'z', '+00:00', '+0000', ''),
      (when, separator, zone) => {
        const iso = when.toISOString();
        const value = `${iso.slice(0, 10)}${separator}${iso.slice(11, -1)}${zone}`;
        const parsed = parseTimestamp(value);
        return (
          parsed !== undefined &&
          parsed.epochMs === when.getTime() &&
          parsed.isCanonicalUtc === (separator === 'T' && zone === 'Z')
        );
      },
    ),
    { numRuns: 300 },
  );
  t.pass();
});

t.test('years 0 to 99 are those years, not 1900 to 1999', async (t) => {
  for (const value of [
    '0050-01-01T00:00:00Z',
    '0000-02-29T12:00:00Z',
    '0099-12-31T23:59:59.999Z',
  ]) {
    t.equal(parseTimestamp(value)?.epochMs, Date.parse(value), value);
  }
  t.equal(parseTimestamp('0100-02-29T00:00:00Z'), undefined, '100 is not a leap year');
  fc.assert(
    fc.property(
      fc.date({
        min: new Date('0000-01-01T00:00:00Z'),
        max: new Date('9999-12-31T23:59:59.999Z'),
        noInvalidDate: true,
      }),
      (date) => {
        const iso = date.toISOString();
        return parseTimestamp(iso)?.epochMs === date.getTime();
      },
    ),
  );
});

t.test('property: a date is accepted exactly when the calendar has that day', async (t) => {
  const two = (n: number) => String(n).padStart(2, '0');
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 9999 }),
      fc.integer({ min: 1, max: 12 }),
      fc.integer({ min: 27, max: 31 }),
      (year, month, day) => {
        const value = `${String(year).padStart(4, '0')}-${two(month)}-${two(day)}T12:00:00Z`;
        // Date's own proleptic Gregorian calendar: a day past the month's end rolls over.
        const date = new Date(0);
        date.setUTCFullYear(year, month - 1, day);
        return (parseTimestamp(value) !== undefined) === (date.getUTCDate() === day);
      },
    ),
    { numRuns: 2000 },
  );
  t.pass();
});
