/**
 * Requests on one connection are handled one at a time, in order. HTTP/1.1 pipelining lets a
 * client write many requests before reading any answer, and Node emits every one it has parsed at
 * once: one connection could run hundreds of operations concurrently (past `MAX_CONNECTIONS`,
 * which bounds connections, not operations) and queue their answers in memory, where the write
 * timeout never saw them (a queued answer has no socket until the one before it is finished).
 *
 * The next request starts when the previous answer is finished; one whose connection closed
 * meanwhile never starts. A client that queues more than `maxQueued` unanswered requests on one
 * connection (bodiless GETs are parsed without limit) loses the connection. A queued request's
 * body is read while it waits (`onQueued`), so it costs its size, not one object per chunk.
 *
 * Spec: https://www.rfc-editor.org/rfc/rfc9112#section-9.3.2 (a server may process pipelined
 * requests in parallel only if they are safe; answering in order is always allowed)
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

interface Connection {
  /** Settles when the last request taken on this connection has its answer finished. */
  last: Promise<void>;
  /** Requests taken and not yet answered, the running one included. */
  pending: number;
}

export function oneRequestAtATime(
  handle: Handler,
  {
    /** @default 16 */
    maxQueued = 16,
    onTooManyQueued = (): void => undefined,
    onQueued = (): void => undefined,
  }: {
    maxQueued?: number;
    onTooManyQueued?: () => void;
    /** A request that waits for its turn (to start reading its body meanwhile). */
    onQueued?: (req: IncomingMessage) => void;
  } = {},
): Handler {
  const connections = new WeakMap<Socket, Connection>();

  return (req, res) => {
    const { socket } = req;
    let connection = connections.get(socket);
    if (connection === undefined) {
      connection = { last: Promise.resolve(), pending: 0 };
      connections.set(socket, connection);
    }
    if (connection.pending > maxQueued) {
      onTooManyQueued();
      socket.destroy();
      return;
    }
    const state = connection;
    const previous = state.last;
    state.pending += 1;
    // 'close' follows 'finish' and also comes when the connection closes first.
    const answered = new Promise<void>((resolve) =>
      res.once('close', () => {
        state.pending -= 1;
        resolve();
      }),
    );
    state.last = answered;
    if (state.pending === 1) {
      handle(req, res);
      return;
    }
    onQueued(req);
    void previous.then(() => {
      if (!socket.destroyed) handle(req, res);
    });
  };
}
