import type { Store } from '@cairn/store';
import { directoryIndex, type DirectoryIndex } from './directory-index.js';

const PEOPLE_PAGE = 500;

/**
 * A store's people and directory as one index (directory-index.ts): every person page and every
 * directory record, read once per report. Reports are about cohorts of a whole store, so they
 * need all of it; a store of 10,000 people is 20 reads by key order.
 */
export async function readDirectory(store: Store, storeId: string): Promise<DirectoryIndex> {
  const people = store.peopleOf(storeId);
  const all = [];
  let after: string | undefined;
  for (;;) {
    const page = await people.list({
      ...(after === undefined ? {} : { after }),
      limit: PEOPLE_PAGE,
    });
    all.push(...page.people);
    if (page.next === null) break;
    after = page.next;
  }
  const records = await store.membershipsOf(storeId).list();
  return directoryIndex(all, records);
}
