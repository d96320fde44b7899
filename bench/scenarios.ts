/**
 * One round of the benchmark: every scenario once, always in the same order, each pinned so the
 * load generator never shares a CPU with the process it measures.
 */
import { timeSequentially } from './entities.js';
import { runTool, type Cpu, type Pinning, type Service } from './processes.js';
import { sampleRss } from './proc.js';
import {
  isGotBaselineResult,
  isLoadResult,
  isOpenLoopResult,
  type GotBaselineMode,
  type GotBaselineResult,
  type LoadResult,
  type LoadSpec,
  type OpenLoopResult,
  type RequestSpec,
} from './protocol.js';
import {
  directGetRequest,
  directPatchRequest,
  entitiesRequest,
  updateUserRequest,
  userRequest,
} from './requests.js';

export const SETTINGS = {
  rounds: 3,
  connections: 10,
  warmupSeconds: 1,
  durationSeconds: 5,
  openLoopRate: 500,
  openLoopSeconds: 5,
  entityIds: 50,
  entityRequests: 20,
} as const;

const TOOL_TIMEOUT_MS = 60_000;
const ENTITY_WARMUP_REQUESTS = 5;

export interface Bench {
  pinning: Pinning;
  demo: Service;
  gateway: Service;
  constant: Service;
  /** The lean peer: Apollo Server behind bare node:http, fetch to Avara, nothing else. */
  peer: Service;
  /** GraphQL endpoints, on 127.0.0.1. */
  gatewayUrl: string;
  constantUrl: string;
  peerUrl: string;
  entityIds: readonly string[];
  /** The gateway's largest RSS seen while it was under load. */
  peakRssBytes: number;
}

export interface Round {
  direct: { patch: LoadResult; get: LoadResult };
  constant: { updateUser: LoadResult; user: LoadResult };
  got: { patch: GotBaselineResult; get: GotBaselineResult };
  gateway: { updateUser: LoadResult; user: LoadResult };
  peer: { updateUser: LoadResult; user: LoadResult };
  openLoop: { gateway: OpenLoopResult; direct: OpenLoopResult };
  entities: { wallMs: number[]; failures: number; got: GotBaselineResult };
}

/** The other CPU from the process under test. */
function otherCpu(cpu: Cpu): Cpu {
  return cpu === 0 ? 1 : 0;
}

/** Runs `work` while sampling the gateway's RSS, keeping the peak. */
async function underLoad<T>(bench: Bench, work: () => Promise<T>): Promise<T> {
  const sampler = sampleRss(bench.gateway.pid);
  try {
    return await work();
  } finally {
    bench.peakRssBytes = Math.max(bench.peakRssBytes, sampler.stop().max);
  }
}

export interface LoadOptions {
  /** Where the server under test runs; the generator takes the other CPU. */
  serverCpu: Cpu;
  serverPid: number;
  amount?: number;
  warmupSeconds?: number;
}

export async function runLoad(
  bench: Bench,
  name: string,
  request: RequestSpec,
  { serverCpu, serverPid, amount, warmupSeconds = SETTINGS.warmupSeconds }: LoadOptions,
): Promise<LoadResult> {
  const spec: LoadSpec = {
    ...request,
    connections: SETTINGS.connections,
    warmupSeconds,
    durationSeconds: SETTINGS.durationSeconds,
    ...(amount !== undefined && { amount }),
    serverPid,
  };
  const result = await runTool({
    name: `load ${name}`,
    args: ['--import', 'tsx', 'bench/load.ts', JSON.stringify(spec)],
    cpu: otherCpu(serverCpu),
    pinning: bench.pinning,
    // 100 000 operations at a slow gateway's pace take minutes.
    timeoutMs: amount === undefined ? TOOL_TIMEOUT_MS : 600_000,
  });
  if (!isLoadResult(result)) throw new Error(`load ${name}: unexpected result`);
  return result;
}

async function runOpenLoop(
  bench: Bench,
  name: string,
  request: RequestSpec,
  serverCpu: Cpu,
): Promise<OpenLoopResult> {
  const spec = {
    ...request,
    ratePerSecond: SETTINGS.openLoopRate,
    warmupSeconds: SETTINGS.warmupSeconds,
    durationSeconds: SETTINGS.openLoopSeconds,
  };
  const result = await runTool({
    name: `open loop ${name}`,
    args: ['--import', 'tsx', 'bench/open-loop.ts', JSON.stringify(spec)],
    cpu: otherCpu(serverCpu),
    pinning: bench.pinning,
    timeoutMs: TOOL_TIMEOUT_MS,
  });
  if (!isOpenLoopResult(result)) throw new Error(`open loop ${name}: unexpected result`);
  return result;
}

/** The bare got baseline runs where the gateway runs (CPU 0); the demo stays on CPU 1. */
async function runGot(bench: Bench, mode: GotBaselineMode): Promise<GotBaselineResult> {
  const result = await runTool({
    name: `got baseline ${mode}`,
    args: ['--import', 'tsx', 'bench/got-baseline.ts', bench.demo.url, mode],
    cpu: 0,
    pinning: bench.pinning,
    timeoutMs: TOOL_TIMEOUT_MS,
  });
  if (!isGotBaselineResult(result)) throw new Error(`got baseline ${mode}: unexpected result`);
  return result;
}

/** Every scenario once. `progress` names each as it starts. */
export async function runRound(bench: Bench, progress: (step: string) => void): Promise<Round> {
  const { demo, gateway, constant, peer } = bench;
  const direct = { serverCpu: 1, serverPid: demo.pid } as const;
  const gatewayLoad = { serverCpu: 0, serverPid: gateway.pid } as const;
  const constantLoad = { serverCpu: 0, serverPid: constant.pid } as const;
  const peerLoad = { serverCpu: 0, serverPid: peer.pid } as const;

  progress('direct PATCH');
  const directPatch = await runLoad(bench, 'direct PATCH', directPatchRequest(demo.url), direct);
  progress('direct GET');
  const directGet = await runLoad(bench, 'direct GET', directGetRequest(demo.url), direct);
  progress('constant updateUser');
  const constantUpdate = await runLoad(
    bench,
    'constant updateUser',
    updateUserRequest(bench.constantUrl),
    constantLoad,
  );
  progress('constant user');
  const constantUser = await runLoad(
    bench,
    'constant user',
    userRequest(bench.constantUrl),
    constantLoad,
  );
  progress('bare got PATCH, GET');
  const gotPatch = await runGot(bench, 'patch');
  const gotGet = await runGot(bench, 'get');
  // The lean peer right before the gateway, under the same load: the edge's side-by-side.
  progress('lean peer updateUser');
  const peerUpdate = await runLoad(
    bench,
    'lean peer updateUser',
    updateUserRequest(bench.peerUrl),
    peerLoad,
  );
  progress('lean peer user');
  const peerUser = await runLoad(bench, 'lean peer user', userRequest(bench.peerUrl), peerLoad);
  progress('gateway updateUser');
  const gatewayUpdate = await underLoad(bench, () =>
    runLoad(bench, 'gateway updateUser', updateUserRequest(bench.gatewayUrl), gatewayLoad),
  );
  progress('gateway user');
  const gatewayUser = await underLoad(bench, () =>
    runLoad(bench, 'gateway user', userRequest(bench.gatewayUrl), gatewayLoad),
  );
  progress(`open loop ${SETTINGS.openLoopRate}/s: gateway, direct`);
  const openGateway = await underLoad(bench, () =>
    runOpenLoop(bench, 'gateway', updateUserRequest(bench.gatewayUrl), 0),
  );
  const openDirect = await runOpenLoop(bench, 'direct', directPatchRequest(demo.url), 1);
  progress('_entities: gateway, 50 parallel got');
  const entities = await underLoad(bench, () =>
    timeSequentially(
      entitiesRequest(bench.gatewayUrl, bench.entityIds),
      2 * bench.entityIds.length,
      {
        warmup: ENTITY_WARMUP_REQUESTS,
        count: SETTINGS.entityRequests,
      },
    ),
  );
  const gotEntities = await runGot(bench, 'entities');

  return {
    direct: { patch: directPatch, get: directGet },
    constant: { updateUser: constantUpdate, user: constantUser },
    got: { patch: gotPatch, get: gotGet },
    gateway: { updateUser: gatewayUpdate, user: gatewayUser },
    peer: { updateUser: peerUpdate, user: peerUser },
    openLoop: { gateway: openGateway, direct: openDirect },
    entities: { ...entities, got: gotEntities },
  };
}
