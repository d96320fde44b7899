/**
 * HTTP as a browser, a proxy or an attacker sends it: exact header lines (repeated ones kept
 * apart, `Origin` set freely), and raw sockets for clients that are slow or never read. Every
 * wait is on an event (an answer, a socket's close), never a sleep.
 */
import http from 'node:http';
import net from 'node:net';

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- test reads of arbitrary JSON
  body: any;
}

/** One request with exactly these header lines; an array value sends the header once per item. */
export function rawRequest(
  url: string,
  {
    method = 'POST',
    headers = {},
    body,
  }: { method?: string; headers?: Record<string, string | string[]>; body?: string } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method, headers, agent: false }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed: unknown;
        try {
          parsed = JSON.parse(text);
        } catch {
          parsed = undefined;
        }
        resolve({
          status: response.statusCode ?? 0,
          headers: response.headers,
          text,
          body: parsed,
        });
      });
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end(body);
  });
}

/** A JSON GraphQL POST with exact header lines. */
export function rawGraphQL(
  url: string,
  request: object,
  headers: Record<string, string | string[]> = {},
): Promise<RawResponse> {
  return rawRequest(url, {
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(request),
  });
}

/** A raw TCP connection to the gateway's port, collecting whatever the server sends. */
export interface RawSocket {
  socket: net.Socket;
  /** Everything received so far, as text. */
  received(): string;
  /** Resolves when the connection is closed (by either side), with everything received. */
  closed: Promise<string>;
}

export function openSocket(port: number, { paused = false } = {}): Promise<RawSocket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    // A reset is one way a server closes on a client that left data unread.
    socket.on('error', () => undefined);
    const closed = new Promise<string>((done) =>
      socket.once('close', () => done(Buffer.concat(chunks).toString('utf8'))),
    );
    socket.once('connect', () => {
      if (paused) socket.pause();
      resolve({ socket, received: () => Buffer.concat(chunks).toString('utf8'), closed });
    });
    socket.once('error', reject);
  });
}

/** The request line and headers of a JSON POST to /graphql, for writing by hand. */
export function postHead(body: string, extra = ''): string {
  return (
    'POST /graphql HTTP/1.1\r\nHost: localhost\r\ncontent-type: application/json\r\n' +
    `content-length: ${Buffer.byteLength(body)}\r\n${extra}\r\n`
  );
}
