/**
 * Counts the work a pass over a GraphQL document does, whoever wrote the pass: the document is
 * wrapped so that every read of an AST node's property is counted. Any traversal reads at least
 * one property per node it visits, so reads bound visits from above and expose a pass that
 * re-walks fragments. A read past `maxReads` throws, so an exponential pass fails at once
 * instead of running for minutes.
 */
import { Kind, visit, type ASTNode, type DocumentNode } from 'graphql';

export class WorkLimitExceeded extends Error {
  override readonly name = 'WorkLimitExceeded';
}

export interface MeteredDocument {
  document: DocumentNode;
  /** Property reads on AST nodes so far. */
  readonly reads: number;
}

const KINDS: ReadonlySet<string> = new Set(Object.values(Kind));

function isAstNode(value: unknown): value is ASTNode {
  return (
    typeof value === 'object' &&
    value !== null &&
    KINDS.has((value as { kind?: unknown }).kind as string)
  );
}

export function meterDocument(document: DocumentNode, maxReads = Infinity): MeteredDocument {
  let reads = 0;
  const proxies = new WeakMap<object, object>();
  const wrap = (value: unknown): unknown => {
    if (typeof value !== 'object' || value === null) return value;
    const known = proxies.get(value);
    if (known) return known;
    const node = isAstNode(value);
    if (!node && !Array.isArray(value)) return value;
    const proxy = new Proxy(value, {
      get(target, key, receiver) {
        if (node) {
          reads += 1;
          if (reads > maxReads) throw new WorkLimitExceeded(`more than ${maxReads} reads`);
        }
        return wrap(Reflect.get(target, key, receiver));
      },
    });
    proxies.set(value, proxy);
    return proxy;
  };
  return {
    document: wrap(document) as DocumentNode,
    get reads() {
      return reads;
    },
  };
}

/** AST nodes in a document: the size the work is measured against. */
export function countNodes(document: DocumentNode): number {
  let nodes = 0;
  visit(document, {
    enter() {
      nodes += 1;
    },
  });
  return nodes;
}
