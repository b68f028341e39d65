import t from 'tap';
import { hashSecret, verifySecret } from '@cairn/auth';

t.test('a secret is stored only as a salted scrypt hash', async (t) => {
  const secret = 'correct horse battery staple';
  const a = await hashSecret(secret);
  const b = await hashSecret(secret);
  t.match(a, /^scrypt\$32768\$8\$1\$[\w-]+\$[\w-]+$/);
  t.notOk(a.includes(secret));
  t.not(a, b, 'each hash has its own salt');
  t.equal(await verifySecret(secret, a), true);
  t.equal(await verifySecret(secret, b), true);
});

t.test('a wrong secret or a malformed hash does not verify, and does not throw', async (t) => {
  const hash = await hashSecret('right secret');
  t.equal(await verifySecret('wrong secret', hash), false);
  t.equal(await verifySecret('right secret', 'plain-text'), false);
  t.equal(await verifySecret('right secret', 'scrypt$x$8$1$c2FsdA$aGFzaA'), false);
  t.equal(await verifySecret('right secret', hash.slice(0, -4)), false);
});
