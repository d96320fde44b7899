/**
 * A connection field from its arguments: `first`, `after` and the filter are checked together
 * (every problem at once, nothing sent), then the page is collected and given its cursors.
 */
import {
  decodeCursor,
  encodeCursor,
  filterDigest,
  type EdgePosition,
  type ListName,
} from './cursor.js';
import { collectPage, type PageSource } from './pagination.js';
import { assertNoFieldErrors, type FieldError } from './validation.js';

export const MAX_FIRST = 100;

export interface Connection<Node> {
  edges: { cursor: string; node: Node }[];
  nodes: Node[];
  pageInfo: {
    hasNextPage: boolean;
    /** Always `false`: lists page forward only. */
    hasPreviousPage: boolean;
    startCursor: string | null;
    endCursor: string | null;
  };
}

export interface ConnectionRequest<Node, Filter extends object> {
  list: ListName;
  first: number | null | undefined;
  after: string | null | undefined;
  /** The normalised filter and its problems, from `list-filters.ts`. */
  filter: Filter;
  filterErrors: readonly FieldError[];
  /** Reads one of Avara's pages with the filter applied. */
  source: PageSource<Node>;
}

export async function loadConnection<Node, Filter extends object>({
  list,
  first,
  after,
  filter,
  filterErrors,
  source,
}: ConnectionRequest<Node, Filter>): Promise<Connection<Node>> {
  const fieldErrors: FieldError[] = [];
  if (first == null || !Number.isInteger(first) || first < 1 || first > MAX_FIRST) {
    fieldErrors.push({ field: 'first', message: `must be an integer from 1 to ${MAX_FIRST}` });
  }
  const digest = filterDigest(filter);
  let position: EdgePosition | undefined;
  if (after != null) {
    const decoded = decodeCursor(after, list, digest);
    if ('fieldError' in decoded) fieldErrors.push(decoded.fieldError);
    else position = decoded.position;
  }
  fieldErrors.push(...filterErrors);
  assertNoFieldErrors(fieldErrors);

  const { edges, hasNextPage } = await collectPage(source, first as number, position);
  const withCursors = edges.map(({ item, position: at }) => ({
    cursor: encodeCursor(list, digest, at),
    node: item,
  }));
  return {
    edges: withCursors,
    nodes: withCursors.map(({ node }) => node),
    pageInfo: {
      hasNextPage,
      hasPreviousPage: false,
      startCursor: withCursors[0]?.cursor ?? null,
      endCursor: withCursors.at(-1)?.cursor ?? null,
    },
  };
}
