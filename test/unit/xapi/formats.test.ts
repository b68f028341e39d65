// Formats a schema cannot say alone: RFC 5646 language tags and Internet Media Types.
import t from 'tap';
import { isLanguageTag, isMediaType } from '@cairn/xapi';

t.test('language tags: the ABNF, and no variant or extension singleton twice', async (t) => {
  for (const tag of [
    'en',
    'en-US',
    'zh-Hant',
    'zh-cmn-Hans-CN',
    'sr-Latn-RS',
    'sl-rozaj-biske',
    'de-CH-1901',
    'hy-Latn-IT-arevela',
    'az-Arab-x-AZE-derbend',
    'x-whatever',
    'i-enochian',
    'en-a-bbb-b-ccc',
    'de-x-a-a', // private use may repeat anything
  ]) {
    t.ok(isLanguageTag(tag), `${tag} is a tag`);
  }
  for (const tag of [
    'ar-a-aaa-b-bbb-a-ccc', // singleton a twice (RFC 5646 2.2.6); the ADL suite refuses it
    'sl-rozaj-rozaj', // the same variant twice (2.2.5)
    'de-1901-1901',
    'supercalifragilisticexpialidociouswhatabouthhhhhhh',
    'en_US',
    '',
  ]) {
    t.notOk(isLanguageTag(tag), `${JSON.stringify(tag)} is not`);
  }
});

t.test('media types: type/subtype with optional parameters (RFC 9110 8.3.1)', async (t) => {
  for (const type of [
    'text/plain',
    'text/plain; charset=ascii',
    'application/octet-stream',
    'application/vnd.ms-excel',
    'multipart/mixed; boundary="abc ABC 0123"',
    'image/svg+xml',
  ]) {
    t.ok(isMediaType(type), type);
  }
  for (const type of ['should fail', 'text', 'text/', '/plain', 'text/plain; charset', 'a b/c']) {
    t.notOk(isMediaType(type), JSON.stringify(type));
  }
});
