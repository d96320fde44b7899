/**
 * Injected faults: what the next matching request(s) get instead of, or on top of, a normal
 * answer. Tests use them to drive the gateway's retry, timeout and error mapping paths against
 * real HTTP behaviour rather than mocks.
 */
import { readFault } from './fault-checks.js';
import { reasonPhrase } from './http.js';

export interface DemoFault {
  /** Answer with this status instead of handling the request. */
  status?: number;
  /** JSON body sent with `status`. @default { message: <reason phrase> } for status >= 400 */
  body?: unknown;
  /** Literal body text sent with `status`, e.g. broken JSON or an HTML 502 page; wins over `body`. */
  rawBody?: string;
  /** Extra response headers (`retry-after`, `x-should-retry`, …); they win over the defaults. */
  headers?: Record<string, string>;
  /** Wait this long before answering, then apply the rest of the fault or handle normally. */
  delayMs?: number;
  /** Read the request fully, then destroy the socket without any response. */
  drop?: boolean;
  /** Handle normally, but the answered user(s) or invitation(s) carry this `clinicRole`; nothing is stored. */
  clinicRole?: string;
  /** Handle normally, but the answered user(s) carry these fields (e.g. another `userId`). */
  userFields?: Record<string, unknown>;
  /** Literal body bytes, base64: for what a string cannot hold, such as invalid UTF-8. */
  rawBodyBase64?: string;
  /**
   * A body this many bytes long (a user's JSON padded with spaces), generated as it is written
   * and paced by the socket, so a huge answer costs the demo no memory. With `status`, or 200.
   */
  bodyBytes?: number;
  /** With `bodyBytes`: send no `content-length` (chunked), so the reader must count. @default true */
  declareLength?: boolean;
  /** Handle normally, but write the answer's body one byte every `dripMs`. */
  dripMs?: number;
}

export interface FaultMatch {
  /** Only requests with this method (any case). @default any method */
  method?: string;
  /** Only requests whose raw path, query string included, starts with this. @default any path */
  pathPrefix?: string;
  /** How many matching requests the fault applies to; `Infinity` for all. @default 1 */
  times?: number;
  /** Let this many matching requests through untouched first ("succeed twice, then fail"). @default 0 */
  skip?: number;
  /**
   * Apply to each matching request with this chance, drawn from a generator seeded by `seed`, so
   * a brownout (`0.3`, `times: Infinity`) is random yet the same on every run. @default 1
   */
  probability?: number;
  /** @default 1 */
  seed?: number;
}

interface PendingFault {
  fault: DemoFault;
  method: string | undefined;
  pathPrefix: string;
  remaining: number;
  skip: number;
  probability: number;
  random: () => number;
}

/** mulberry32: a tiny seeded generator, good enough to script a brownout. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Faults wait in injection order; each request consumes the first one that matches it. */
export class FaultQueue {
  #pending: PendingFault[] = [];

  /** @throws TypeError naming every problem when the fault or match is not usable */
  add(fault: DemoFault, match: FaultMatch = {}): void {
    const checked = readFault(fault, match);
    if (!checked.ok) throw new TypeError(`Invalid demo fault: ${checked.problems.join('; ')}`);
    const {
      method,
      pathPrefix = '',
      times = 1,
      skip = 0,
      probability = 1,
      seed = 1,
    } = checked.match;
    this.#pending.push({
      fault: { ...checked.fault },
      method: method?.toUpperCase(),
      pathPrefix,
      remaining: times,
      skip,
      probability,
      random: seededRandom(seed),
    });
  }

  /**
   * The fault for this request, consumed, or `undefined` when none applies. A fault still
   * skipping, or whose draw says no, lets the request through to later faults and the API.
   */
  take(method: string, path: string): DemoFault | undefined {
    for (let index = 0; index < this.#pending.length; index++) {
      const pending = this.#pending[index];
      if (pending.method !== undefined && pending.method !== method) continue;
      if (!path.startsWith(pending.pathPrefix)) continue;
      if (pending.skip > 0) {
        pending.skip -= 1;
        continue;
      }
      if (pending.probability < 1 && pending.random() >= pending.probability) continue;
      pending.remaining -= 1;
      if (pending.remaining <= 0) this.#pending.splice(index, 1);
      return pending.fault;
    }
    return undefined;
  }

  clear(): void {
    this.#pending = [];
  }
}

/** The answer a fault with a `status` replaces the normal one with. */
export function faultResponseText({
  status = 500,
  body,
  rawBody,
  rawBodyBase64,
}: DemoFault): string | Buffer {
  if (rawBodyBase64 !== undefined) return Buffer.from(rawBodyBase64, 'base64');
  if (rawBody !== undefined) return rawBody;
  if (body !== undefined) return JSON.stringify(body);
  return status >= 400 ? JSON.stringify({ message: reasonPhrase(status) }) : '';
}
