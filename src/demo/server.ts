/**
 * A faithful HTTP fake of the Avara Viewer users API on plain `node:http`: the gateway's upstream
 * for `npm start` without a real API, for the integration tests (with injected faults) and for
 * the benchmark. No per-request logging and no work beyond JSON, because it must never be the
 * bottleneck it is measuring behind.
 */
import { setMaxListeners } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AvaraInvitation, AvaraUser } from '../avara/types.js';
import { answerApiRequest } from './api.js';
import type { ApiSettings } from './api.js';
import { answerControlRequest, isControlPath, isLoopbackAddress } from './control.js';
import type { DemoControls } from './control.js';
import { faultResponseText, FaultQueue } from './faults.js';
import type { DemoFault, FaultMatch } from './faults.js';
import { errorResponse, parseJsonBody, readRequestBody, writeJson, writeResponse } from './http.js';
import { RequestRecorder } from './recorder.js';
import { writeDrippingBody, writePaddedBody, type BodyCounter } from './slow-bodies.js';
import type { RecordedRequest } from './recorder.js';
import type { Present } from './routes.js';
import { DEMO_INVITATIONS, DEMO_USERS } from './seed.js';
import { InvitationStore, UserStore } from './store.js';

export type { DemoFault, FaultMatch } from './faults.js';
export type { RecordedRequest } from './recorder.js';
export { DEMO_INVITATIONS, DEMO_USERS, SEED_INVITATION_ID, SEED_USER_ID } from './seed.js';

/** The key the gateway sends to its embedded demo API. */
export const DEMO_API_KEY = 'demo-avara-api-key';

export interface DemoAvara {
  /** `http://host:port`, no trailing slash. */
  readonly url: string;
  /** Every API request received, in order; control requests are not recorded. */
  readonly requests: RecordedRequest[];
  /** Queues a fault; each matching request consumes the oldest matching fault. */
  inject(fault: DemoFault, match?: FaultMatch): void;
  /** Drops every pending fault; recorded requests and users stay. */
  clearFaults(): void;
  /** Body bytes written by `bodyBytes` and `dripMs` answers so far (reset by `reset`). */
  readonly slowBodies: BodyCounter;
  /** Resolves once `requests.length >= count`; rejects if the server closes first. */
  waitForRequests(count: number): Promise<RecordedRequest[]>;
  /** Clears recorded requests and pending faults, and restores the seed users and invitations. */
  reset(): void;
  /** Holds exactly these users and/or invitations until the next `reset` (tests of paging). */
  replaceData(data: {
    users?: readonly AvaraUser[];
    invitations?: readonly AvaraInvitation[];
  }): void;
  /** Stops listening and closes every socket; safe to call twice. */
  close(): Promise<void>;
}

export interface DemoAvaraOptions {
  /** @default 0 (any free port) */
  port?: number;
  /** @default '127.0.0.1' */
  host?: string;
  /** @default DEMO_USERS */
  users?: readonly AvaraUser[];
  /** @default DEMO_INVITATIONS */
  invitations?: readonly AvaraInvitation[];
  /** Accepted bearer tokens. @default undefined (any non-empty bearer token) */
  apiKeys?: readonly string[];
  /** Keep a log of API requests; turn off for long benchmark runs. @default true */
  recordRequests?: boolean;
}

const unchanged: Present = (record) => record;

/** How a fault changes the records an answer shows (nothing is stored). */
function presenterOf(fault: DemoFault | undefined): Present {
  if (fault?.clinicRole === undefined && fault?.userFields === undefined) return unchanged;
  const { clinicRole, userFields } = fault;
  return (record) => ({
    ...record,
    ...(clinicRole !== undefined && { clinicRole }),
    ...userFields,
  });
}

export async function startDemoAvara(options: DemoAvaraOptions = {}): Promise<DemoAvara> {
  const {
    port = 0,
    host = '127.0.0.1',
    users = DEMO_USERS,
    invitations = DEMO_INVITATIONS,
    apiKeys,
    recordRequests = true,
  } = options;

  const settings: ApiSettings = {
    stores: { users: new UserStore(users), invitations: new InvitationStore(invitations) },
    apiKeys: apiKeys === undefined ? undefined : new Set(apiKeys),
  };
  const faults = new FaultQueue();
  const recorder = new RequestRecorder(recordRequests);
  // Aborted on close, so delayed answers do not keep a closing process alive. Every delayed
  // answer listens on it, and many may be pending at once under load.
  const lifetime = new AbortController();
  setMaxListeners(Number.POSITIVE_INFINITY, lifetime.signal);

  const slowBodies: BodyCounter = { bytesWritten: 0 };
  const reset = (): void => {
    slowBodies.bytesWritten = 0;
    recorder.clear();
    faults.clear();
    settings.stores.users.reset();
    settings.stores.invitations.reset();
  };
  const controls: DemoControls = {
    inject: (fault, match) => faults.add(fault, match),
    clearFaults: () => faults.clear(),
    requests: () => recorder.requests,
    reset,
  };

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const method = request.method ?? 'GET';
    const path = request.url ?? '/';
    const body = await readRequestBody(request);
    if (body === undefined) return; // the client went away
    const parsedBody = parseJsonBody(body.text);

    if (isControlPath(path)) {
      const answer = isLoopbackAddress(request.socket.remoteAddress)
        ? answerControlRequest(controls, method, path, parsedBody)
        : errorResponse(404, 'Not found');
      writeJson(response, answer);
      return;
    }

    recorder.record({
      method,
      path,
      headers: request.headers,
      body: parsedBody,
      rawBody: body.text,
    });
    const fault = faults.take(method, path);
    if (fault?.delayMs !== undefined && fault.delayMs > 0) {
      const waited = await sleep(fault.delayMs, true, { signal: lifetime.signal }).catch(
        () => false,
      );
      if (!waited) return; // closed while waiting
    }
    if (fault?.drop === true) {
      request.socket.destroy();
      return;
    }
    const shapesBody = fault?.bodyBytes !== undefined || fault?.dripMs !== undefined;
    if (fault?.status !== undefined && !shapesBody) {
      writeResponse(response, fault.status, faultResponseText(fault), fault.headers);
      return;
    }
    const answer = answerApiRequest(settings, {
      method,
      path,
      headers: request.headers,
      body: parsedBody,
      bodyTooLarge: body.tooLarge,
      present: presenterOf(fault),
    });
    if (fault === undefined || !shapesBody) {
      writeJson(response, answer, fault?.headers);
      return;
    }
    const shaped = {
      status: fault.status ?? answer.status,
      text:
        fault.status === undefined
          ? JSON.stringify(answer.body ?? '')
          : faultResponseText(fault).toString(),
      headers: { ...answer.headers, ...fault.headers },
      signal: lifetime.signal,
      counter: slowBodies,
    };
    if (fault.dripMs !== undefined)
      await writeDrippingBody(response, { ...shaped, dripMs: fault.dripMs });
    else {
      await writePaddedBody(response, {
        ...shaped,
        bytes: fault.bodyBytes ?? 0,
        declareLength: fault.declareLength ?? true,
      });
    }
  }

  const server = createServer((request, response) => {
    handle(request, response).catch(() => {
      // A bug here must not take the host process down; answer like a crashed upstream would.
      if (!response.headersSent) writeJson(response, errorResponse(500, 'Internal Server Error'));
      else response.destroy();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= new Promise<void>((resolve) => {
      lifetime.abort();
      recorder.close();
      server.close(() => resolve());
      server.closeAllConnections();
    });
    return closing;
  };

  return {
    url: `http://${urlHost}:${address.port}`,
    requests: recorder.requests,
    inject: controls.inject,
    clearFaults: controls.clearFaults,
    slowBodies,
    waitForRequests: (count) => recorder.waitFor(count),
    reset,
    replaceData({ users: newUsers, invitations: newInvitations }) {
      if (newUsers !== undefined) settings.stores.users.replace(newUsers);
      if (newInvitations !== undefined) settings.stores.invitations.replace(newInvitations);
    },
    close,
  };
}
