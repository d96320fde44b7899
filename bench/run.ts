/**
 * `npm run bench`: builds, starts the demo Avara API, the production gateway and the
 * constant-resolver build as separate pinned processes, measures the gateway's memory over
 * 100 000 operations, runs every scenario in interleaved rounds, counts the upstream GETs of one
 * `_entities` request against a recording demo, then prints one table and writes the same
 * figures as JSON to bench/results/.
 */
import { spawnSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { closeEntitiesAgent, countUpstreamCalls } from './entities.js';
import {
  detectPinning,
  installCleanup,
  isStopping,
  pinSelf,
  startService,
  stopAllChildren,
  type Pinning,
  type Service,
} from './processes.js';
import { meterForeignCpu, readMachineFacts, readMemory, sampleRss } from './proc.js';
import { evaluateTargets, formatReport } from './report.js';
import {
  BENCH_API_KEY,
  directGetRequest,
  directPatchRequest,
  entitiesRequest,
  expectSuccess,
  listSyntheticUserIds,
  updateUserRequest,
  userRequest,
} from './requests.js';
import { writeResults, type BenchResults } from './results.js';
import { runLoad, runRound, SETTINGS, type Bench, type Round } from './scenarios.js';
import { median, summarize } from './stats.js';
import { summarizeRun } from './summary.js';

const REPO_ROOT = fileURLToPath(new URL('../', import.meta.url));
const START_TIMEOUT_MS = 20_000;
const SETTLE_MS = 2_000;
const MEMORY_IDLE_OPS = 10;
const MEMORY_WARMUP_OPS = 1_000;
const MEMORY_FIRST_OPS = 10_000;
const MEMORY_TOTAL_OPS = 100_000;
const MEMORY_TAIL_SECONDS = 3;

const started = Date.now();
const startedAt = new Date(started).toISOString();
// Read before this process pins itself to one CPU.
const machineAtStart = readMachineFacts();

function progress(message: string): void {
  const seconds = ((Date.now() - started) / 1000).toFixed(0).padStart(3);
  process.stderr.write(`[bench ${seconds} s] ${message}\n`);
}

function build(): void {
  progress('npm run build');
  const result = spawnSync('npm', ['run', '--silent', 'build'], { stdio: ['ignore', 2, 2] });
  if (result.status !== 0) throw new Error('npm run build failed');
}

/** `demo Avara API listening on http://127.0.0.1:PORT` */
function demoUrlOf(line: string): string | undefined {
  return /listening on (http:\/\/127\.0\.0\.1:\d+)$/.exec(line)?.[1];
}

/** The gateway's pino ready line; its `localhost` URL is pinned to IPv4 loopback. */
function gatewayUrlOf(line: string): string | undefined {
  if (!line.includes('GraphQL gateway ready')) return undefined;
  try {
    const { url } = JSON.parse(line) as { url?: unknown };
    return typeof url === 'string' ? url.replace('//localhost:', '//127.0.0.1:') : undefined;
  } catch {
    return undefined;
  }
}

function startDemo(pinning: Pinning, record: boolean): Promise<Service> {
  return startService({
    name: record ? 'recording demo API' : 'demo API',
    args: ['dist/demo/main.js'],
    cpu: 1,
    pinning,
    env: {
      DEMO_AVARA_PORT: '0',
      DEMO_AVARA_RECORD_REQUESTS: String(record),
      DEMO_AVARA_SYNTHETIC_USERS: String(SETTINGS.entityIds),
    },
    timeoutMs: START_TIMEOUT_MS,
    readyUrl: demoUrlOf,
  });
}

const PRODUCTION_ENV = {
  NODE_ENV: 'production',
  AVARA_API_KEY: BENCH_API_KEY,
  PORT: '0',
  LOG_LEVEL: 'info',
};

function startGateway(pinning: Pinning, demoUrl: string): Promise<Service> {
  return startService({
    name: 'gateway',
    args: ['dist/index.js'],
    cpu: 0,
    pinning,
    env: { ...PRODUCTION_ENV, AVARA_BASE_URL: demoUrl },
    timeoutMs: START_TIMEOUT_MS,
    readyUrl: gatewayUrlOf,
  });
}

function startConstantBuild(pinning: Pinning): Promise<Service> {
  return startService({
    name: 'constant build',
    args: ['--import', 'tsx', 'bench/constant-gateway.ts'],
    cpu: 0,
    pinning,
    env: PRODUCTION_ENV,
    timeoutMs: START_TIMEOUT_MS,
    readyUrl: gatewayUrlOf,
  });
}

/** Apollo Server 5 behind bare node:http, fetch to Avara, nothing else: the edge's baseline. */
function startLeanPeer(pinning: Pinning, demoUrl: string): Promise<Service> {
  return startService({
    name: 'lean peer',
    args: ['--import', 'tsx', 'bench/lean-peer.ts'],
    cpu: 0,
    pinning,
    env: { ...PRODUCTION_ENV, AVARA_BASE_URL: demoUrl },
    timeoutMs: START_TIMEOUT_MS,
    readyUrl: gatewayUrlOf,
  });
}

function rssOf(service: Service): number {
  return readMemory(service.pid)?.rssBytes ?? Number.NaN;
}

/**
 * Idle RSS after a warm-up, then RSS at 10 000 and at 100 000 updateUser operations, two ways:
 * settled (one sample after a pause, as an operator would look) and under load (the median of
 * the segment's last seconds). The heap saw-tooths between full GCs and V8 shrinks it when idle,
 * so one settled sample can land anywhere in that cycle; the under-load median is what the
 * growth target is judged on.
 */
async function measureMemory(bench: Bench) {
  const { pid } = bench.gateway;
  const segment = async (amount: number) => {
    const sampler = sampleRss(pid);
    const result = await runLoad(
      bench,
      `memory ${amount} ops`,
      updateUserRequest(bench.gatewayUrl),
      {
        serverCpu: 0,
        serverPid: pid,
        amount,
        warmupSeconds: 0,
      },
    );
    const samples = sampler.stop();
    bench.peakRssBytes = Math.max(bench.peakRssBytes, samples.max);
    await sleep(SETTLE_MS);
    return {
      failures: result.non2xx + result.errors + result.mismatches,
      underLoadBytes: median(samples.lastSeconds(MEMORY_TAIL_SECONDS)),
      settledBytes: rssOf(bench.gateway),
    };
  };
  // Idle is the footprint at rest: started, every code path run once, no load behind it yet.
  progress(`memory: idle after ${MEMORY_IDLE_OPS} operations`);
  const idle = await segment(MEMORY_IDLE_OPS);
  progress(`memory: ${MEMORY_WARMUP_OPS} warm-up operations`);
  await segment(MEMORY_WARMUP_OPS - MEMORY_IDLE_OPS);
  progress(`memory: to ${MEMORY_FIRST_OPS} operations`);
  const first = await segment(MEMORY_FIRST_OPS - MEMORY_WARMUP_OPS);
  progress(`memory: to ${MEMORY_TOTAL_OPS} operations`);
  const rest = await segment(MEMORY_TOTAL_OPS - MEMORY_FIRST_OPS);
  const failures = first.failures + rest.failures;
  if (failures > 0) progress(`memory: WARNING ${failures} operations failed`);
  return {
    idleBytes: idle.settledBytes,
    at10kBytes: first.underLoadBytes,
    at100kBytes: rest.underLoadBytes,
    growth: rest.underLoadBytes / first.underLoadBytes - 1,
    at10kSettledBytes: first.settledBytes,
    at100kSettledBytes: rest.settledBytes,
    settledGrowth: rest.settledBytes / first.settledBytes - 1,
    failures,
  };
}

/** A second demo that records, behind a second gateway: the GETs of one `_entities` request. */
async function countEntityGets(pinning: Pinning, distinctIds: number) {
  progress('_entities: counting upstream GETs through a recording demo');
  const demo = await startDemo(pinning, true);
  try {
    const gateway = await startGateway(pinning, demo.url);
    try {
      const ids = await listSyntheticUserIds(demo.url, distinctIds);
      return await countUpstreamCalls(demo.url, entitiesRequest(gateway.url, ids), 2 * ids.length);
    } finally {
      await gateway.stop();
    }
  } finally {
    await demo.stop();
  }
}

async function main(): Promise<void> {
  installCleanup();
  process.chdir(REPO_ROOT);
  const pinning = detectPinning();
  build();
  if (pinning.enabled && !pinSelf(1, pinning)) {
    throw new Error('taskset could not pin the orchestrator to CPU 1');
  }
  progress(pinning.description);

  progress('starting the demo API, the gateway, the constant build and the lean peer');
  const demo = await startDemo(pinning, false);
  const [gateway, constant, peer] = await Promise.all([
    startGateway(pinning, demo.url),
    startConstantBuild(pinning),
    startLeanPeer(pinning, demo.url),
  ]);
  const entityIds = await listSyntheticUserIds(demo.url, SETTINGS.entityIds);
  const bench: Bench = {
    pinning,
    demo,
    gateway,
    constant,
    peer,
    gatewayUrl: gateway.url,
    constantUrl: constant.url,
    peerUrl: peer.url,
    entityIds,
    peakRssBytes: 0,
  };

  progress('checking that every scenario answers successfully');
  await expectSuccess('direct PATCH', directPatchRequest(demo.url));
  await expectSuccess('direct GET', directGetRequest(demo.url));
  for (const [name, url] of [
    ['constant build', bench.constantUrl],
    ['lean peer', bench.peerUrl],
    ['gateway', bench.gatewayUrl],
  ] as const) {
    await expectSuccess(`${name} updateUser`, updateUserRequest(url));
    await expectSuccess(`${name} user`, userRequest(url));
  }
  await expectSuccess('gateway _entities', entitiesRequest(bench.gatewayUrl, entityIds));

  const memory = await measureMemory(bench);
  const rounds: Round[] = [];
  const foreignCpuShares: number[] = [];
  for (let round = 1; round <= SETTINGS.rounds; round++) {
    const meter = meterForeignCpu([demo.pid, gateway.pid, constant.pid, peer.pid]);
    rounds.push(
      await runRound(bench, (step) => progress(`round ${round}/${SETTINGS.rounds}: ${step}`)),
    );
    foreignCpuShares.push(meter.stop() ?? Number.NaN);
  }
  closeEntitiesAgent();
  const highWaterBytes = readMemory(gateway.pid)?.peakRssBytes ?? Number.NaN;
  const gatewayLog = gateway.problemLines();
  const upstreamCount = await countEntityGets(pinning, entityIds.length);
  await stopAllChildren();

  const machine = {
    ...machineAtStart,
    pinning: pinning.description,
    loadAverageAtEnd: readMachineFacts().loadAverage,
    foreignCpuShare: summarize(foreignCpuShares),
  };
  const figures = summarizeRun(rounds, {
    startedAt,
    durationSeconds: (Date.now() - started) / 1000,
    machine,
    settings: { ...SETTINGS },
    upstreamCount,
    memory: { ...memory, peakBytes: bench.peakRssBytes, highWaterBytes },
    gatewayLog,
  });
  const results: BenchResults = { ...figures, targets: evaluateTargets(figures) };
  const file = writeResults('bench/results', results);
  process.stdout.write(formatReport(results, file));
}

main().catch(async (error: unknown) => {
  if (isStopping()) return; // the signal handler stops the children and exits
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  await stopAllChildren();
  process.exit(1);
});
