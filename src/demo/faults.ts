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
}

export interface FaultMatch {
  /** Only requests with this method (any case). @default any method */
  method?: string;
  /** Only requests whose raw path, query string included, starts with this. @default any path */
  pathPrefix?: string;
  /** How many matching requests the fault applies to; `Infinity` for all. @default 1 */
  times?: number;
}

interface PendingFault {
  fault: DemoFault;
  method: string | undefined;
  pathPrefix: string;
  remaining: number;
}

/** Faults wait in injection order; each request consumes the first one that matches it. */
export class FaultQueue {
  #pending: PendingFault[] = [];

  /** @throws TypeError naming every problem when the fault or match is not usable */
  add(fault: DemoFault, match: FaultMatch = {}): void {
    const checked = readFault(fault, match);
    if (!checked.ok) throw new TypeError(`Invalid demo fault: ${checked.problems.join('; ')}`);
    const { method, pathPrefix = '', times = 1 } = checked.match;
    this.#pending.push({
      fault: { ...checked.fault },
      method: method?.toUpperCase(),
      pathPrefix,
      remaining: times,
    });
  }

  /** The fault for this request, consumed, or `undefined` when none matches. */
  take(method: string, path: string): DemoFault | undefined {
    if (this.#pending.length === 0) return undefined;
    const index = this.#pending.findIndex(
      (pending) =>
        (pending.method === undefined || pending.method === method) &&
        path.startsWith(pending.pathPrefix),
    );
    if (index === -1) return undefined;
    const pending = this.#pending[index];
    pending.remaining -= 1;
    if (pending.remaining <= 0) this.#pending.splice(index, 1);
    return pending.fault;
  }

  clear(): void {
    this.#pending = [];
  }
}

/** The answer a fault with a `status` replaces the normal one with. */
export function faultResponseText({ status = 500, body, rawBody }: DemoFault): string {
  if (rawBody !== undefined) return rawBody;
  if (body !== undefined) return JSON.stringify(body);
  return status >= 400 ? JSON.stringify({ message: reasonPhrase(status) }) : '';
}
