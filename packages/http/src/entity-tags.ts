/** One entity tag of an If-Match / If-None-Match list, without its quotes. */
export interface EntityTag {
  readonly weak: boolean;
  readonly opaque: string;
}

/** An If-Match or If-None-Match header: `*` or a list of entity tags. */
export type EntityTagList = '*' | readonly EntityTag[];

// One list member: an optional weak prefix, then a quoted tag or, leniently, a bare token.
const MEMBER = /\s*(W\/)?(?:"([^"]*)"|([^",\s]+))\s*(?:,|$)/y;

/**
 * Parses an If-Match / If-None-Match value (RFC 7232 section 3). Tags sent without their quotes
 * are accepted too: some clients send the bare SHA-1 they got from the ETag header.
 */
export function parseEntityTags(header: string): EntityTagList {
  const value = header.trim();
  if (value === '*') return '*';
  const tags: EntityTag[] = [];
  MEMBER.lastIndex = 0;
  while (MEMBER.lastIndex < value.length) {
    const m = MEMBER.exec(value);
    // Unparseable: a tag no document has, so If-Match fails and If-None-Match holds.
    if (m === null) return [{ weak: false, opaque: value }];
    tags.push({ weak: m[1] !== undefined, opaque: m[2] ?? m[3] ?? '' });
  }
  return tags;
}
