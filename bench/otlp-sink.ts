/**
 * A stand-in OpenTelemetry Collector for the benchmark: accepts OTLP/HTTP exports on loopback,
 * reads each body to its end, counts exports and bytes, and answers 200. Decoding is the
 * collector's cost, not the gateway's, so it is not done here. `GET /stats` says what arrived.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

let exports = 0;
let bytes = 0;

const server = http.createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/stats') {
    res
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ exports, bytes }));
    return;
  }
  req.on('data', (chunk: Buffer) => {
    bytes += chunk.length;
  });
  req.on('end', () => {
    exports++;
    res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
  });
});
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`otlp sink listening on http://127.0.0.1:${port}\n`);
});
