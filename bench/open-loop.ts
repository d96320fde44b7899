/**
 * Open-loop load: `node --import tsx bench/open-loop.ts '<OpenLoopSpec JSON>'`. Request i is due
 * at t0 + i / rate whatever happened to earlier ones, and its latency runs from that due time
 * (not from when it was actually sent) to the end of its response, so a stall shows up in every
 * request it delays instead of being hidden by a generator that waited (coordinated omission).
 */
import http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  assertLoopback,
  isOpenLoopSpec,
  readSpec,
  type OpenLoopResult,
  type OpenLoopSpec,
} from './protocol.js';
import { isSuccess } from './requests.js';
import { percentileOfSorted, Samples } from './stats.js';

/** Enough sockets that a request never waits behind a slow one: sends never queue. */
const MAX_SOCKETS = 512;
/** After the last send, how long stragglers may take before they count as failures. */
const DRAIN_TIMEOUT_MS = 10_000;

interface Phase {
  intended: number;
  latenciesMs: Samples;
  sendLagMs: Samples;
  completed: number;
  failures: number;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: MAX_SOCKETS });

function send(spec: OpenLoopSpec, dueNs: bigint, phase: Phase): Promise<void> {
  const sentNs = process.hrtime.bigint();
  phase.sendLagMs.push(Number(sentNs - dueNs) / 1e6);
  return new Promise((resolve) => {
    const fail = (): void => {
      phase.failures++;
      resolve();
    };
    const request = http.request(
      spec.url,
      { method: spec.method, headers: spec.headers, agent },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('error', fail);
        response.on('end', () => {
          const latencyMs = Number(process.hrtime.bigint() - dueNs) / 1e6;
          if (!isSuccess(response.statusCode ?? 0, body, spec.graphql)) return fail();
          phase.completed++;
          phase.latenciesMs.push(latencyMs);
          resolve();
        });
      },
    );
    request.on('error', fail);
    request.end(spec.body);
  });
}

/** Sends `rate × seconds` requests on schedule; resolves when all have answered or timed out. */
async function runPhase(spec: OpenLoopSpec, seconds: number): Promise<Phase> {
  const total = Math.round(spec.ratePerSecond * seconds);
  const periodNs = BigInt(Math.round(1e9 / spec.ratePerSecond));
  const phase: Phase = {
    intended: total,
    latenciesMs: new Samples(),
    sendLagMs: new Samples(),
    completed: 0,
    failures: 0,
  };
  const inFlight: Promise<void>[] = [];
  const t0 = process.hrtime.bigint() + 10_000_000n;
  let next = 0;
  while (next < total) {
    const now = process.hrtime.bigint();
    // Everything due by now goes out at once: a late timer does not thin the arrival rate.
    while (next < total && t0 + BigInt(next) * periodNs <= now) {
      inFlight.push(send(spec, t0 + BigInt(next) * periodNs, phase));
      next++;
    }
    if (next < total) {
      const waitNs = t0 + BigInt(next) * periodNs - process.hrtime.bigint();
      await sleep(Math.max(0, Number(waitNs) / 1e6));
    }
  }
  const drained = Promise.all(inFlight).then(() => true);
  if (!(await Promise.race([drained, sleep(DRAIN_TIMEOUT_MS).then(() => false)]))) {
    phase.failures += total - phase.completed - phase.failures;
  }
  return phase;
}

const spec = readSpec(isOpenLoopSpec, "open-loop.ts '<OpenLoopSpec JSON>' (see bench/protocol.ts)");
assertLoopback(spec.url);

if (spec.warmupSeconds > 0) await runPhase(spec, spec.warmupSeconds);
const phase = await runPhase(spec, spec.durationSeconds);
agent.destroy();

const latencies = phase.latenciesMs.sorted();
const output: OpenLoopResult = {
  intended: phase.intended,
  completed: phase.completed,
  failures: phase.failures,
  p50: percentileOfSorted(latencies, 50),
  p99: percentileOfSorted(latencies, 99),
  max: percentileOfSorted(latencies, 100),
  sendLagP99: percentileOfSorted(phase.sendLagMs.sorted(), 99),
};
process.stdout.write(`${JSON.stringify(output)}\n`);
process.exit(0);
