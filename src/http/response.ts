/**
 * Writing an answer to a client that may stop reading it: once the answer is handed to the socket,
 * a client that leaves it unread in the socket's buffer for `writeTimeoutMs` loses the connection,
 * so a hundred non-reading clients cannot hold a hundred answers in memory.
 */
import type { ServerResponse } from 'node:http';

export type ResponseHeaders = Record<string, string | number>;

export function sendResponse(
  res: ServerResponse,
  status: number,
  headers: ResponseHeaders,
  body: string,
  writeTimeoutMs: number,
  onStalled: () => void,
): void {
  res.writeHead(status, headers);
  res.end(body);
  // Nothing left in user space: the kernel took the whole answer (the usual, small case).
  if ((res.socket?.writableLength ?? 0) === 0) return;
  const timer = setTimeout(() => {
    if (res.writableFinished) return;
    onStalled();
    res.destroy();
  }, writeTimeoutMs);
  const clear = (): void => clearTimeout(timer);
  res.once('finish', clear).once('close', clear);
}
