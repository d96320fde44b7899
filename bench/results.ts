/**
 * The figures one run produces, as written to `bench/results/<timestamp>.json` for comparing
 * runs, and as the table is printed from. Times in ms, CPU in µs, memory in bytes.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { MachineFacts } from './proc.js';
import type { Summary } from './stats.js';

/** A closed-loop scenario across rounds. */
export interface LoadFigures {
  rps: Summary;
  p50: Summary;
  p99: Summary;
  /** CPU µs per operation of the server under test. */
  cpuMicrosPerOp: Summary;
  /** Non-2xx, connection errors and GraphQL errors, all rounds together. */
  failures: number;
  requests: number;
}

export interface GotFigures {
  cpuMicrosPerCall: Summary;
  rps: Summary;
  failures: number;
}

/** Gateway over a baseline, per round, then summarized. */
export interface Ratios {
  rpsVsDirect: Summary;
  rpsVsConstant: Summary;
  cpuVsConstant: Summary;
  cpuVsConstantPlusGot: Summary;
}

export interface PeerRatios {
  rps: Summary;
  cpu: Summary;
}

export interface OpenLoopFigures {
  p50: Summary;
  p99: Summary;
  max: Summary;
  sendLagP99: Summary;
  failures: number;
  intended: number;
}

export interface Target {
  name: string;
  limit: string;
  measured: string;
  /** `invalid` when a figure behind it came from a scenario with failures. */
  verdict: 'PASS' | 'MISS' | 'INVALID';
}

export interface BenchResults {
  startedAt: string;
  durationSeconds: number;
  /** Read at the start, before any process of the benchmark ran. */
  machine: MachineFacts & {
    pinning: string;
    /** Includes the benchmark's own load. */
    loadAverageAtEnd: number;
    /** Per round: the share of the machine's CPU used by processes outside the benchmark. */
    foreignCpuShare: Summary;
  };
  settings: {
    rounds: number;
    connections: number;
    warmupSeconds: number;
    durationSeconds: number;
    openLoopRate: number;
    openLoopSeconds: number;
    entityIds: number;
    entityRequests: number;
  };
  upstream: { patch: LoadFigures; get: LoadFigures };
  constant: { updateUser: LoadFigures; user: LoadFigures };
  got: { patch: GotFigures; get: GotFigures };
  gateway: { updateUser: LoadFigures; user: LoadFigures };
  /** The lean peer: Apollo Server 5 behind bare node:http, fetch to Avara, nothing else. */
  peer: { updateUser: LoadFigures; user: LoadFigures };
  /** Gateway over the lean peer, per round: req/s and CPU per operation. */
  versusPeer: { updateUser: PeerRatios; user: PeerRatios };
  ratios: { updateUser: Ratios; user: Ratios };
  openLoop: { gateway: OpenLoopFigures; direct: OpenLoopFigures };
  entities: {
    wallMs: Summary;
    failures: number;
    /** User GETs the recording demo saw for one request. */
    upstreamGets: number;
    distinctIds: number;
    /** Every API request it saw, of any kind. */
    upstreamRequests: number;
    gotParallelMs: Summary;
    gotFailures: number;
    ratio: Summary;
  };
  memory: {
    /** After start, a warm-up and a pause. */
    idleBytes: number;
    /** The largest RSS sampled (every 100 ms) while the gateway was under load. */
    peakBytes: number;
    /** VmHWM at the end: the high-water mark since start, startup included. */
    highWaterBytes: number;
    /** Median RSS of the last seconds before operation 10 000 / 100 000, under load. */
    at10kBytes: number;
    at100kBytes: number;
    /** at100k / at10k − 1, under load: what the "flat" target is judged on. */
    growth: number;
    /** One sample after a pause following operation 10 000 / 100 000. */
    at10kSettledBytes: number;
    at100kSettledBytes: number;
    settledGrowth: number;
    /** Failed operations among the 100 000: the growth figure is invalid when any failed. */
    failures: number;
  };
  /** Warning and error lines the gateway logged during the run. */
  gatewayLog: { warnings: number; errors: number; last?: string };
  targets: Target[];
}

/** Writes the JSON next to earlier runs; the name sorts by time and is safe on every filesystem. */
export function writeResults(directory: string, results: BenchResults): string {
  mkdirSync(directory, { recursive: true });
  const name = `${results.startedAt.replace(/:/g, '-')}.json`;
  const file = path.join(directory, name);
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  return file;
}
