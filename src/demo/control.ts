/**
 * Control endpoints under `/__demo/`, so a benchmark or a test in another process can steer the
 * demo API the way `inject`/`reset` do in-process. They take no auth, are never recorded or
 * faulted, and answer only loopback peers.
 */
import { errorResponse } from './http.js';
import type { DemoResponse } from './http.js';
import { readFault } from './fault-checks.js';
import type { DemoFault, FaultMatch } from './faults.js';
import type { RecordedRequest } from './recorder.js';

export const CONTROL_PATH_PREFIX = '/__demo/';

/** What the control endpoints act on: the demo server's own operations. */
export interface DemoControls {
  inject(fault: DemoFault, match?: FaultMatch): void;
  clearFaults(): void;
  requests(): readonly RecordedRequest[];
  reset(): void;
}

const NO_CONTENT: DemoResponse = { status: 204 };

export function isControlPath(path: string): boolean {
  return path.startsWith(CONTROL_PATH_PREFIX);
}

/** Peers the control endpoints answer; a server bound to a public address stays uncontrollable. */
export function isLoopbackAddress(address: string | undefined): boolean {
  return (
    address !== undefined &&
    (address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.'))
  );
}

export function answerControlRequest(
  controls: DemoControls,
  method: string,
  path: string,
  body: unknown,
): DemoResponse {
  const [pathname] = path.split('?', 1);
  switch (pathname) {
    case '/__demo/faults':
      if (method === 'POST') return injectFault(controls, body);
      if (method === 'DELETE') {
        controls.clearFaults();
        return NO_CONTENT;
      }
      return methodNotAllowed('POST, DELETE');
    case '/__demo/requests':
      return method === 'GET'
        ? { status: 200, body: controls.requests() }
        : methodNotAllowed('GET');
    case '/__demo/reset':
      if (method !== 'POST') return methodNotAllowed('POST');
      controls.reset();
      return NO_CONTENT;
    default:
      return errorResponse(404, 'Unknown demo control endpoint');
  }
}

/** `{ "fault": DemoFault, "match"?: FaultMatch }`; `"times": "Infinity"` stands for Infinity. */
function injectFault(controls: DemoControls, body: unknown): DemoResponse {
  if (typeof body !== 'object' || body === null || !('fault' in body)) {
    return errorResponse(400, 'body must be a JSON object { "fault": {...}, "match"?: {...} }');
  }
  const checked = readFault(body.fault, 'match' in body ? body.match : undefined);
  if (!checked.ok) return errorResponse(400, checked.problems.join('; '));
  controls.inject(checked.fault, checked.match);
  return NO_CONTENT;
}

function methodNotAllowed(allow: string): DemoResponse {
  return { ...errorResponse(405, `Method not allowed; use ${allow}`), headers: { allow } };
}
