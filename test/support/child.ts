/**
 * The gateway as an operator runs it: `src/index.ts` in a child process (through tsx), with a
 * clean environment. Its stdout is read as pino JSON lines, so a test awaits the log line or the
 * exit it expects instead of sleeping; every wait has a timeout that fails with the transcript.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Long enough for a cold tsx start on a busy two-core machine, short of Jest's 20 s. */
const DEFAULT_TIMEOUT_MS = 12_000;

/** One pino line: `level` (30 info, 40 warn, …), `msg` and the line's own fields. */
export interface LogLine {
  level: number;
  msg: string;
  [field: string]: unknown;
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface GatewayProcess {
  /** Every stdout line so far, as written. */
  readonly stdoutLines: readonly string[];
  /** The stdout lines that are pino JSON, parsed. */
  readonly logs: readonly LogLine[];
  /** Everything written to stderr so far. */
  readonly stderr: string;
  /** Resolves with the first log line (already written or still to come) that `matches`. */
  waitForLog(
    description: string,
    matches: (line: LogLine) => boolean,
    timeoutMs?: number,
  ): Promise<LogLine>;
  /** Resolves once the process has exited and its output has been read to the end. */
  waitForExit(timeoutMs?: number): Promise<Exit>;
  signal(signal: NodeJS.Signals): void;
  isRunning(): boolean;
}

/** A gateway that logged it is ready. */
export interface RunningGateway {
  process: GatewayProcess;
  /** From the ready line: `http://localhost:PORT/graphql`. */
  url: string;
  healthUrl: string;
  port: number;
}

const running = new Set<{ child: ChildProcess; exited: Promise<Exit> }>();

/**
 * Spawns `node --import tsx src/index.ts ...args` with only PATH, HOME and `env`: nothing leaks
 * in from the test process (Jest's `NODE_OPTIONS=--experimental-vm-modules` above all).
 */
export function spawnGateway(
  env: Record<string, string> = {},
  args: readonly string[] = [],
): GatewayProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/index.ts', ...args], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stdoutLines: string[] = [];
  const logs: LogLine[] = [];
  let stderr = '';
  let exit: Exit | undefined;
  const events = new EventEmitter();

  createInterface({ input: child.stdout }).on('line', (text) => {
    stdoutLines.push(text);
    const line = parseLogLine(text);
    if (line === undefined) return;
    logs.push(line);
    events.emit('log', line);
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  // 'close', not 'exit': by then stdout and stderr have been read to the end.
  const exited = new Promise<Exit>((resolve) => {
    child.once('close', (code, signal) => {
      exit = { code, signal };
      running.delete(entry);
      events.emit('exit');
      resolve(exit);
    });
  });
  const entry = { child, exited };
  running.add(entry);

  const transcript = (): string =>
    [
      `exit: ${exit === undefined ? 'still running' : JSON.stringify(exit)}`,
      `stdout:\n${stdoutLines.join('\n') || '(nothing)'}`,
      `stderr:\n${stderr || '(nothing)'}`,
    ].join('\n');

  return {
    stdoutLines,
    logs,
    get stderr() {
      return stderr;
    },
    waitForLog(description, matches, timeoutMs = DEFAULT_TIMEOUT_MS) {
      const written = logs.find(matches);
      if (written !== undefined) return Promise.resolve(written);
      return new Promise<LogLine>((resolve, reject) => {
        const stop = (): void => {
          clearTimeout(timer);
          events.off('log', onLog);
          events.off('exit', onExit);
        };
        const onLog = (line: LogLine): void => {
          if (!matches(line)) return;
          stop();
          resolve(line);
        };
        const onExit = (): void => {
          stop();
          reject(new Error(`gateway exited before logging ${description}\n${transcript()}`));
        };
        const timer = setTimeout(() => {
          stop();
          reject(
            new Error(`gateway did not log ${description} in ${timeoutMs} ms\n${transcript()}`),
          );
        }, timeoutMs);
        events.on('log', onLog);
        if (exit === undefined) events.once('exit', onExit);
        else onExit();
      });
    },
    waitForExit(timeoutMs = DEFAULT_TIMEOUT_MS) {
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<never>((_resolve, reject) => {
        timer = setTimeout(
          () => reject(new Error(`gateway did not exit in ${timeoutMs} ms\n${transcript()}`)),
          timeoutMs,
        );
      });
      return Promise.race([exited, timedOut]).finally(() => clearTimeout(timer));
    },
    signal(signal) {
      child.kill(signal);
    },
    isRunning() {
      return exit === undefined;
    },
  };
}

/** Spawns the gateway on a free port (unless `env.PORT` says otherwise) and awaits its ready line. */
export async function startGateway(env: Record<string, string> = {}): Promise<RunningGateway> {
  const gateway = spawnGateway({ PORT: '0', ...env });
  const ready = await gateway.waitForLog('that it is ready', (line) =>
    line.msg.startsWith('GraphQL gateway ready at '),
  );
  if (typeof ready.url !== 'string') {
    throw new Error(`the ready line has no url field: ${JSON.stringify(ready)}`);
  }
  const url = new URL(ready.url);
  return {
    process: gateway,
    url: url.href,
    healthUrl: new URL('/health', url).href,
    port: Number(url.port),
  };
}

/** What a gateway that ran to its end left behind. */
export interface FinishedGateway {
  /** `signal: 'SIGKILL'` when it was still running after the timeout and had to be killed. */
  exit: Exit;
  stdoutLines: readonly string[];
  logs: readonly LogLine[];
  stderr: string;
}

/** Runs the gateway to its exit. Never rejects: a process that does not end in time is killed. */
export async function runGateway(
  env: Record<string, string> = {},
  args: readonly string[] = [],
  timeoutMs = DEFAULT_TIMEOUT_MS,
): Promise<FinishedGateway> {
  const gateway = spawnGateway(env, args);
  const exit = await gateway.waitForExit(timeoutMs).catch(() => {
    gateway.signal('SIGKILL');
    return gateway.waitForExit();
  });
  const { stdoutLines, logs, stderr } = gateway;
  return { exit, stdoutLines, logs, stderr };
}

/** Kills every gateway still running (SIGKILL) and waits until each has exited. */
export async function stopAllGateways(): Promise<void> {
  const left = [...running];
  for (const { child } of left) child.kill('SIGKILL');
  await Promise.all(left.map(({ exited }) => exited));
}

function parseLogLine(text: string): LogLine | undefined {
  if (!text.startsWith('{')) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return isLogLine(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function isLogLine(value: unknown): value is LogLine {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Record<string, unknown>).level === 'number' &&
    typeof (value as Record<string, unknown>).msg === 'string'
  );
}
