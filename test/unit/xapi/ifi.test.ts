import { createHash } from 'node:crypto';
import fc from 'fast-check';
import t from 'tap';
import { agentKey, agentKeyOrUndefined, mboxSha1 } from '@cairn/xapi';

t.test('canonical IFI keys', async (t) => {
  t.equal(agentKey({ mbox: 'mailto:Jane.Doe@Example.COM' }), 'mbox::mailto:Jane.Doe@example.com');
  t.equal(
    agentKey({ mbox_sha1sum: 'EBD31E95054C018B10727CCFFD2EF2EC3A016EE9' }),
    'sha1::ebd31e95054c018b10727ccffd2ef2ec3a016ee9',
  );
  t.equal(
    agentKey({ openid: 'http://toby.openid.example.org/' }),
    'openid::http://toby.openid.example.org/',
  );
  t.equal(
    agentKey({ account: { homePage: 'http://www.example.com', name: '13936749' } }),
    'account::http://www.example.com::13936749',
  );
  t.equal(agentKeyOrUndefined({ objectType: 'Group', member: [] }), undefined);
  t.throws(() => agentKey({ objectType: 'Group', member: [] }), TypeError);
});

t.test('mboxSha1 is the SHA-1 hex of the whole mailto IRI, domain lower-cased', async (t) => {
  const expected = createHash('sha1').update('mailto:user@example.com').digest('hex');
  t.equal(mboxSha1('mailto:user@example.com'), expected);
  t.equal(mboxSha1('mailto:user@EXAMPLE.com'), expected);
  t.not(mboxSha1('mailto:User@example.com'), expected, 'the local part keeps its case');
});

t.test('property: the case of the mbox domain never changes the key', async (t) => {
  const local = fc.stringMatching(/^[A-Za-z0-9._+-]{1,20}$/);
  const domain = fc.stringMatching(/^[A-Za-z0-9-]{1,15}\.[A-Za-z]{2,6}$/);
  fc.assert(
    fc.property(
      local,
      domain,
      fc.array(fc.boolean(), { minLength: 30, maxLength: 30 }),
      (l, d, flips) => {
        const mixed = [...d]
          .map((c, i) => (flips[i] === true ? c.toUpperCase() : c.toLowerCase()))
          .join('');
        const a = agentKey({ mbox: `mailto:${l}@${d}` });
        return (
          a === agentKey({ mbox: `mailto:${l}@${mixed}` }) && a.startsWith(`mbox::mailto:${l}@`)
        );
      },
    ),
  );
  t.pass();
});
