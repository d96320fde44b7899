/**
 * Child processes: CPU pinning, start-and-wait-for-ready for servers, run-and-read-JSON for tools,
 * and one registry so that every child dies with the benchmark: on success, on error and on Ctrl-C.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import os from 'node:os';
import { createInterface } from 'node:readline';

const TASKSET = '/usr/bin/taskset';
const STOP_GRACE_MS = 5_000;
const TAIL_LINES = 30;

export interface Pinning {
  enabled: boolean;
  /** How processes are placed, for the report. */
  description: string;
}

/** Pins with taskset when it exists and this process may use at least two CPUs. */
export function detectPinning(): Pinning {
  const cpus = os.availableParallelism();
  if (process.platform !== 'linux' || !existsSync(TASKSET)) {
    return { enabled: false, description: `unpinned: ${TASKSET} not found` };
  }
  if (cpus < 2) return { enabled: false, description: `unpinned: only ${cpus} CPU available` };
  return {
    enabled: true,
    description:
      'taskset: process under test (gateway, constant build, got baseline) on CPU 0; demo API, ' +
      'load generator and orchestrator on CPU 1; direct-upstream runs: demo on CPU 1, load ' +
      'generator on CPU 0',
  };
}

/** Which CPU a process belongs on; ignored when pinning is off. */
export type Cpu = 0 | 1;

export interface ChildOptions {
  /** For messages: `gateway`, `demo`, `load`… */
  name: string;
  args: readonly string[];
  cpu: Cpu;
  pinning: Pinning;
  /** The child's whole environment, on top of PATH and HOME: nothing else leaks in. */
  env?: Record<string, string>;
  timeoutMs: number;
}

const children = new Set<ChildProcess>();

/** Node itself, pinned to `cpu` through taskset (which execs, so the pid stays node's). */
function spawnNode({ args, cpu, pinning, env = {} }: ChildOptions): ChildProcess {
  const nodeArgs = [process.execPath, ...args];
  const [command, ...commandArgs] = pinning.enabled
    ? [TASKSET, '-c', String(cpu), ...nodeArgs]
    : nodeArgs;
  const child = spawn(command as string, commandArgs, {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/** SIGTERM, then SIGKILL if it has not exited after a grace period. */
function stopChild(child: ChildProcess): Promise<void> {
  if (hasExited(child)) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Kills every child still running; safe to call more than once. */
export async function stopAllChildren(): Promise<void> {
  await Promise.all([...children].map(stopChild));
}

/**
 * Ctrl-C or SIGTERM stops the children and exits; a plain exit (even a crash) SIGKILLs whatever
 * is left, since nothing asynchronous can run by then.
 */
let stopping = false;

/** True once a signal asked the benchmark to stop: a failure after that is no news. */
export function isStopping(): boolean {
  return stopping;
}

export function installCleanup(): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      process.stderr.write(`\nbench: ${signal}, stopping child processes\n`);
      void stopAllChildren().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
    });
  }
  process.on('exit', () => {
    for (const child of children) child.kill('SIGKILL');
  });
}

/** Pins this process (all its threads) to `cpu`; false when pinning is off or taskset failed. */
export function pinSelf(cpu: Cpu, pinning: Pinning): boolean {
  if (!pinning.enabled) return false;
  const result = spawnSync(TASKSET, ['-a', '-p', '-c', String(cpu), String(process.pid)], {
    stdio: 'ignore',
  });
  return result.status === 0;
}

/** A long-running server child. */
export interface Service {
  readonly name: string;
  readonly pid: number;
  /** What the ready line said, e.g. `http://127.0.0.1:PORT`. */
  readonly url: string;
  /** Warning and error log lines (pino levels 40+) seen since start. */
  problemLines(): { warnings: number; errors: number; last?: string };
  stop(): Promise<void>;
}

export interface ServiceOptions extends ChildOptions {
  /** The URL when `line` is the ready line, else undefined. */
  readyUrl(line: string): string | undefined;
}

/**
 * Starts a server and resolves once a stdout line says where it listens. Its stdout keeps being
 * read to the end (so the pipe never fills and blocks its logging), but only a tail is kept.
 */
export function startService(options: ServiceOptions): Promise<Service> {
  const { name, timeoutMs, readyUrl } = options;
  const child = spawnNode(options);
  const tail: string[] = [];
  let stderr = '';
  let warnings = 0;
  let errors = 0;
  let lastProblem: string | undefined;
  let url: string | undefined;

  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4_000);
  });
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });

  return new Promise<Service>((resolve, reject) => {
    const fail = (reason: string): void => {
      clearTimeout(timer);
      void stopChild(child);
      reject(
        new Error(
          `${name} ${reason}\n--- stdout (tail) ---\n${tail.join('\n')}\n--- stderr ---\n${stderr}`,
        ),
      );
    };
    const timer = setTimeout(
      () => fail(`did not say it was ready within ${timeoutMs} ms`),
      timeoutMs,
    );
    child.once('error', (error) => fail(`could not start: ${error.message}`));
    child.once('exit', (code, signal) => {
      if (url === undefined) fail(`exited before it was ready (code ${code}, signal ${signal})`);
    });

    lines.on('line', (line) => {
      tail.push(line);
      if (tail.length > TAIL_LINES) tail.shift();
      if (url !== undefined) {
        // pino levels: 40 warn, 50 error, 60 fatal; a substring test keeps this cheap per line.
        if (line.includes('"level":40')) warnings++;
        else if (line.includes('"level":50') || line.includes('"level":60')) errors++;
        else return;
        lastProblem = line;
        return;
      }
      url = readyUrl(line);
      if (url === undefined) return;
      clearTimeout(timer);
      const { pid } = child;
      if (pid === undefined) return fail('has no pid');
      resolve({
        name,
        pid,
        url,
        problemLines: () => ({ warnings, errors, ...(lastProblem && { last: lastProblem }) }),
        stop: () => stopChild(child),
      });
    });
  });
}

/** Runs a tool to its end and returns its last stdout line parsed as JSON. */
export function runTool(options: ChildOptions): Promise<unknown> {
  const { name, timeoutMs } = options;
  const child = spawnNode(options);
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    stdout = (stdout + chunk).slice(-100_000);
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4_000);
  });

  return new Promise<unknown>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${name} did not finish within ${timeoutMs} ms\n${stderr}`));
    }, timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`${name} could not start: ${error.message}`));
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      if (code !== 0) {
        reject(new Error(`${name} failed (code ${code}, signal ${signal})\n${stderr}`));
        return;
      }
      const last = stdout.trim().split('\n').pop() ?? '';
      try {
        resolve(JSON.parse(last));
      } catch {
        reject(new Error(`${name} printed no JSON result:\n${stdout.slice(-2_000)}\n${stderr}`));
      }
    });
  });
}
