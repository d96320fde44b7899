/**
 * Relay pages over Avara's cursor pages (contract, Schema: connections). The rule: paging with
 * any `first` from 1 to 100, resuming after any edge, visits every item exactly once, in Avara's
 * order. How:
 *
 * - A fresh list reads pages with `limit = first`; a resumed one keeps the `limit` of the chain
 *   its cursor came from, because Avara's cursor is only meaningful with the limit it was made for.
 * - Resuming reads the edge's page again (same cursor, same limit), finds the item by id and
 *   continues after it. If it is not there, it was pushed onto the next page by an insertion
 *   ahead of it (found there: continue after it) or deleted (then the next item now sits at its
 *   old index).
 * - Pages are read until `first` items are collected or Avara has no more, as its SDKs' pagers
 *   stop: `hasMore` false, an empty page, or no cursor. At most `MAX_PAGES_PER_LIST` pages are
 *   read for one field, and pages beyond a field's first come out of a budget the whole
 *   operation shares (`source.mayReadAnother`), so that aliased list fields cannot multiply the
 *   upstream reads of one request; a page then holds fewer than `first` items and `hasNextPage`
 *   is `true`.
 * - A broken upstream cannot make a client page forever or show an item twice in one page: a
 *   resumed edge is looked for at its own index first (so duplicate ids in a page still move
 *   forward), a next cursor already read for this field ends the list (`hasNextPage: false`:
 *   reading it again would only repeat), and an id already on this page is not shown again.
 */
import type { EdgePosition } from './cursor.js';

/** Upstream pages one connection field may read: its cost is bounded whatever the client asks. */
export const MAX_PAGES_PER_LIST = 5;

/**
 * Pages one operation may read beyond what its list fields need to show a first item, shared by
 * all of them: 100 aliased list fields cost at most 2 reads each plus these, not 5 each.
 */
export const EXTRA_PAGE_READS_PER_OPERATION = 50;

/** One page as Avara answers it. */
export interface SourcePage<Item> {
  items: readonly Item[];
  hasMore: boolean;
  cursor?: string | null;
}

export interface PageSource<Item> {
  /** Reads one of Avara's pages. */
  read(cursor: string | undefined, limit: number): Promise<SourcePage<Item>>;
  idOf(item: Item): string;
  /** Whether a further page may be read; each `true` uses up one read. @default always */
  mayReadAnother?: () => boolean;
}

/**
 * The extra page reads one operation may make, beyond the first page of each list field (which
 * the lookup budget already counts).
 */
export function createPageReadBudget(reads: number): () => boolean {
  let remaining = reads;
  return () => {
    if (remaining <= 0) return false;
    remaining--;
    return true;
  };
}

export interface CollectedPage<Item> {
  edges: { item: Item; position: EdgePosition }[];
  hasNextPage: boolean;
}

/** The cursor of the page after this one, if Avara's pagers would read it. */
function nextCursorOf<Item>(page: SourcePage<Item>): string | undefined {
  const { hasMore, items, cursor } = page;
  return hasMore && items.length > 0 && cursor != null && cursor !== '' ? cursor : undefined;
}

export async function collectPage<Item>(
  source: PageSource<Item>,
  first: number,
  after: EdgePosition | undefined,
): Promise<CollectedPage<Item>> {
  /** Where the item is: at its recorded index if it is still there, else its first occurrence. */
  const indexOf = (page: SourcePage<Item>, id: string, expected = -1) => {
    const atExpected = page.items[expected];
    if (atExpected !== undefined && source.idOf(atExpected) === id) return expected;
    return page.items.findIndex((item) => source.idOf(item) === id);
  };
  const limit = after?.limit ?? first;
  let cursor = after?.avaraCursor ?? undefined;
  /** Avara's cursors this field has read: one seen again is a cycle that would only repeat. */
  const cursorsRead = new Set<string | undefined>([cursor]);
  /** The next cursor of a page, unless it is absent or was already read. */
  const unreadNextCursorOf = (current: SourcePage<Item>) => {
    const next = nextCursorOf(current);
    return next === undefined || cursorsRead.has(next) ? undefined : next;
  };
  const readPage = (at: string) => {
    cursorsRead.add(at);
    return source.read(at, limit);
  };
  let page = await source.read(cursor, limit);
  let pagesRead = 1;
  let start = 0;
  /** The next page, when it was already read while looking for the edge's item. */
  let readAhead: { cursor: string; page: SourcePage<Item> } | undefined;
  if (after !== undefined) {
    const found = indexOf(page, after.id, after.index);
    if (found !== -1) {
      start = found + 1;
    } else {
      // Gone from its page: deleted, or pushed onto the next page by an item inserted ahead of it.
      const nextCursor = unreadNextCursorOf(page);
      const nextPage = nextCursor === undefined ? undefined : await readPage(nextCursor);
      if (nextPage !== undefined) pagesRead++;
      const foundNext = nextPage === undefined ? -1 : indexOf(nextPage, after.id);
      if (nextCursor !== undefined && nextPage !== undefined && foundNext !== -1) {
        // Everything before it on both pages came before the edge.
        cursor = nextCursor;
        page = nextPage;
        start = foundNext + 1;
      } else {
        // Deleted: the item after it now sits at its old index.
        start = after.index;
        if (nextCursor !== undefined && nextPage !== undefined) {
          readAhead = { cursor: nextCursor, page: nextPage };
        }
      }
    }
  }
  const edges: CollectedPage<Item>['edges'] = [];
  const shown = new Set<string>();
  for (;;) {
    for (let index = start; index < page.items.length; index++) {
      if (edges.length === first) return { edges, hasNextPage: true };
      const item = page.items[index] as Item;
      const id = source.idOf(item);
      if (shown.has(id)) continue;
      shown.add(id);
      edges.push({ item, position: { avaraCursor: cursor ?? null, limit, index, id } });
    }
    // A read-ahead page was read for this very page's next cursor.
    const next = readAhead?.cursor ?? unreadNextCursorOf(page);
    if (next === undefined) return { edges, hasNextPage: false };
    if (edges.length === first) return { edges, hasNextPage: true };
    if (readAhead !== undefined) {
      ({ cursor, page } = readAhead);
      readAhead = undefined;
    } else {
      // Until a field has an item to show, its next page is free: every field makes progress.
      if (
        pagesRead === MAX_PAGES_PER_LIST ||
        (edges.length > 0 && source.mayReadAnother?.() === false)
      ) {
        return { edges, hasNextPage: true };
      }
      cursor = next;
      page = await readPage(next);
      pagesRead++;
    }
    start = 0;
  }
}
