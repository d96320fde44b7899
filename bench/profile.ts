/**
 * `npm run bench:profile`: a CPU profile of the production gateway under `updateUser` load, and
 * where its time goes, by part: graphql-js, Apollo Server, the HTTP server stack, the HTTP client,
 * logging, our own code and its libraries, Node core, GC. The `.cpuprofile` is kept for Chrome
 * DevTools or speedscope.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import autocannon from 'autocannon';
import {
  detectPinning,
  installCleanup,
  pinSelf,
  startService,
  stopAllChildren,
} from './processes.js';
import { BENCH_API_KEY, updateUserRequest } from './requests.js';

const LOAD_SECONDS = 10;

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** The part of the gateway a profile frame belongs to. */
const PARTS: ReadonlyArray<[part: string, matches: (frame: ProfileNode['callFrame']) => boolean]> =
  [
    ['GC', (f) => f.functionName === '(garbage collector)'],
    ['our code (src/)', (f) => f.url.includes('/dist/') && !f.url.includes('node_modules')],
    ['graphql-js (parse, validate, execute)', (f) => pkg(f) === 'graphql'],
    ['Apollo Server pipeline', (f) => /^@apollo\/|^@as-integrations\//.test(pkg(f))],
    [
      'HTTP server stack (node:http server side, and any server packages)',
      (f) => SERVER_PACKAGES.has(pkg(f)) || /node:_http_(server|incoming)/.test(f.url),
    ],
    [
      'HTTP client (got, agent, node http client)',
      (f) => CLIENT_PACKAGES.has(pkg(f)) || /node:_http_(client|agent|outgoing|common)/.test(f.url),
    ],
    [
      'logging (pino)',
      (f) => /^(pino|@pinojs\/|sonic-boom|thread-stream|quick-format-unescaped)/.test(pkg(f)),
    ],
    [
      'our libraries (dataloader, p-limit, zod)',
      (f) => /^(dataloader|p-limit|yocto-queue|zod)$/.test(pkg(f)),
    ],
    [
      'JSON and other natives (writev, parse…)',
      (f) => f.url === '' && !f.functionName.startsWith('('),
    ],
    ['Node core (streams, events, net, timers)', (f) => f.url.startsWith('node:')],
  ];
const SERVER_PACKAGES = new Set([
  'express',
  'router',
  'body-parser',
  'raw-body',
  'cors',
  'negotiator',
  'content-type',
  'type-is',
  'mime-types',
  'iconv-lite',
  'finalhandler',
  'on-finished',
  'http-errors',
  'depd',
  'qs',
  'send',
  'accepts',
  'vary',
  'parseurl',
  'encodeurl',
  'statuses',
  'setprototypeof',
  'media-typer',
  'unpipe',
  'bytes',
]);
const CLIENT_PACKAGES = new Set([
  'got',
  'p-cancelable',
  'agentkeepalive',
  '@sindresorhus/is',
  'lowercase-keys',
  'responselike',
  'cacheable-request',
  'cacheable-lookup',
  'decompress-response',
  'form-data-encoder',
  'http2-wrapper',
  '@szmarczak/http-timer',
  'defer-to-connect',
  'normalize-url',
  'mimic-response',
  'keyv',
  'get-stream',
]);

function pkg({ url }: ProfileNode['callFrame']): string {
  const [scopeOrName = '', name = ''] = url.split('node_modules/').pop()?.split('/') ?? [];
  if (!url.includes('node_modules/')) return '';
  return scopeOrName.startsWith('@') ? `${scopeOrName}/${name}` : scopeOrName;
}

function breakdown(profile: CpuProfile): { busyMs: number; parts: Map<string, number> } {
  const frames = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const parts = new Map<string, number>();
  let busy = 0;
  profile.samples.forEach((id, index) => {
    const frame = frames.get(id);
    const micros = profile.timeDeltas[index] ?? 0;
    if (!frame || frame.functionName === '(idle)' || frame.functionName === '(program)') return;
    busy += micros;
    const part = PARTS.find(([, matches]) => matches(frame))?.[0] ?? 'other';
    parts.set(part, (parts.get(part) ?? 0) + micros);
  });
  return { busyMs: busy / 1000, parts };
}

/** Starts a profiled gateway, drives `seconds` of updateUser at it, and returns its profile. */
async function profileGateway(demoUrl: string, seconds: number) {
  const profileDir = mkdtempSync(join(tmpdir(), 'gateway-profile-'));
  const gateway = await startService({
    name: 'gateway',
    args: ['--cpu-prof', '--cpu-prof-dir', profileDir, 'dist/index.js'],
    cpu: 0,
    pinning,
    env: {
      NODE_ENV: 'production',
      AVARA_BASE_URL: demoUrl,
      AVARA_API_KEY: BENCH_API_KEY,
      PORT: '0',
      LOG_LEVEL: 'info',
    },
    timeoutMs: 20_000,
    readyUrl: (line) =>
      line.includes('GraphQL gateway ready')
        ? (JSON.parse(line) as { url: string }).url.replace('//localhost:', '//127.0.0.1:')
        : undefined,
  });
  const { url, method, headers, body } = updateUserRequest(gateway.url);
  const result =
    seconds > 0
      ? await autocannon({ url, method, headers, body, connections: 10, duration: seconds })
      : undefined;
  await gateway.stop(); // SIGTERM: a graceful exit writes the profile
  const file = readdirSync(profileDir).find((name) => name.endsWith('.cpuprofile'));
  if (!file) throw new Error(`no profile written to ${profileDir}`);
  const path = join(profileDir, file);
  return {
    path,
    operations: result?.requests.total ?? 0,
    non2xx: result?.non2xx ?? 0,
    ...breakdown(JSON.parse(readFileSync(path, 'utf8')) as CpuProfile),
  };
}

installCleanup();
const pinning = detectPinning();
spawnSync('npm', ['run', '--silent', 'build'], { stdio: 'inherit' });
pinSelf(1, pinning);
const demo = await startService({
  name: 'demo API',
  args: ['dist/demo/main.js'],
  cpu: 1,
  pinning,
  env: { DEMO_AVARA_PORT: '0', DEMO_AVARA_RECORD_REQUESTS: 'false' },
  timeoutMs: 20_000,
  readyUrl: (line) => /listening on (http:\/\/127\.0\.0\.1:\d+)$/.exec(line)?.[1],
});
// Start-up and shutdown alone, to subtract from the loaded run: what is left is per operation.
const idle = await profileGateway(demo.url, 0);
const loaded = await profileGateway(demo.url, LOAD_SECONDS);
await stopAllChildren();

const { operations } = loaded;
const busyMs = loaded.busyMs - idle.busyMs;
process.stdout.write(
  `updateUser under load: ${operations} operations in ${LOAD_SECONDS} s, ${loaded.non2xx} non-2xx; ` +
    `gateway CPU ${((busyMs * 1000) / operations).toFixed(0)} µs/op under the profiler ` +
    `(start-up subtracted)\n\n`,
);
const perOperation = [...loaded.parts].map(
  ([part, micros]) => [part, (micros - (idle.parts.get(part) ?? 0)) / operations] as const,
);
for (const [part, micros] of perOperation.sort((a, b) => b[1] - a[1])) {
  const share = (((micros * operations) / 1000 / busyMs) * 100).toFixed(1).padStart(5);
  process.stdout.write(`${share}%  ${micros.toFixed(0).padStart(5)} µs/op  ${part}\n`);
}
process.stdout.write(`\nprofile under load: ${loaded.path}\n`);
