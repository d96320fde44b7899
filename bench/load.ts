/**
 * Closed-loop load: `node --import tsx bench/load.ts '<LoadSpec JSON>'` runs autocannon once to
 * warm up and once to measure, and prints a `LoadResult`. Latencies come from autocannon's
 * per-response timer (fractional ms): its histogram keeps whole milliseconds, too coarse for a
 * sub-millisecond upstream. A server's CPU time is read around the measured run only.
 */
import autocannon from 'autocannon';
import { readCpuSeconds } from './proc.js';
import {
  assertLoopback,
  isLoadSpec,
  readSpec,
  type LoadResult,
  type LoadSpec,
} from './protocol.js';
import { isSuccess } from './requests.js';
import { percentileOfSorted, Samples } from './stats.js';

function run(spec: LoadSpec, measure: { durationSeconds: number; amount?: number }) {
  const latencies = new Samples();
  const options: autocannon.Options = {
    url: spec.url,
    method: spec.method,
    headers: spec.headers,
    ...(spec.body !== undefined && { body: spec.body }),
    connections: spec.connections,
    duration: measure.durationSeconds,
    ...(measure.amount !== undefined && { amount: measure.amount }),
    // A GraphQL error comes back as a 200: count it as a mismatch, not a success.
    ...(spec.graphql && {
      verifyBody: (body: string | Buffer | undefined) => isSuccess(200, String(body ?? ''), true),
    }),
  };
  return new Promise<{ result: autocannon.Result; latencies: Samples }>((resolve, reject) => {
    const instance = autocannon(options, (error: unknown, result) => {
      if (error) reject(error instanceof Error ? error : new Error(String(error)));
      else resolve({ result, latencies });
    });
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
    });
  });
}

const spec = readSpec(isLoadSpec, "load.ts '<LoadSpec JSON>' (see bench/protocol.ts)");
assertLoopback(spec.url);

if (spec.warmupSeconds > 0) await run(spec, { durationSeconds: spec.warmupSeconds });

const cpuBefore = spec.serverPid === undefined ? null : readCpuSeconds(spec.serverPid);
const { result, latencies } = await run(spec, {
  durationSeconds: spec.durationSeconds,
  ...(spec.amount !== undefined && { amount: spec.amount }),
});
const cpuAfter = spec.serverPid === undefined ? null : readCpuSeconds(spec.serverPid);

const sorted = latencies.sorted();
const requests = result['2xx'] + result.non2xx;
const output: LoadResult = {
  requests,
  seconds: result.duration,
  rps: requests / result.duration,
  p50: percentileOfSorted(sorted, 50),
  p99: percentileOfSorted(sorted, 99),
  max: percentileOfSorted(sorted, 100),
  non2xx: result.non2xx,
  errors: result.errors,
  mismatches: result.mismatches,
  serverCpuSeconds: cpuBefore === null || cpuAfter === null ? null : cpuAfter - cpuBefore,
};
process.stdout.write(`${JSON.stringify(output)}\n`);
