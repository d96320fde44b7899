/**
 * Linux `/proc` readers: a process's CPU time and memory, and the machine facts a result is only
 * comparable with. Elsewhere they answer `null` and the report says "n/a".
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';

let clockTicks: number | undefined;

/** `getconf CLK_TCK`: the unit of utime/stime in `/proc/<pid>/stat` (almost always 100). */
export function clockTicksPerSecond(): number {
  if (clockTicks !== undefined) return clockTicks;
  try {
    const value = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    clockTicks = Number.isInteger(value) && value > 0 ? value : 100;
  } catch {
    clockTicks = 100;
  }
  return clockTicks;
}

/**
 * User + system CPU seconds of a process, all its threads (JIT, GC, libuv pool) included.
 * Fields after the `(comm)` are counted from its closing parenthesis: a name may contain spaces.
 */
export function readCpuSeconds(pid: number): number | null {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // After the comm: state is field 3, so utime (14) and stime (15) sit at indexes 11 and 12.
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) return null;
  return (utime + stime) / clockTicksPerSecond();
}

/** Machine-wide busy CPU seconds, all CPUs, from the first line of `/proc/stat`. */
function readMachineBusySeconds(): number | null {
  let stat: string;
  try {
    stat = readFileSync('/proc/stat', 'utf8');
  } catch {
    return null;
  }
  const fields = (stat.split('\n', 1)[0] ?? '').trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal: everything but idle and iowait is busy.
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = fields;
  return (user + nice + system + irq + softirq + steal) / clockTicksPerSecond();
}

/** This process's CPU seconds plus its finished children's (`cutime`, `cstime`): every tool run. */
function readSelfAndReapedCpuSeconds(): number | null {
  let stat: string;
  try {
    stat = readFileSync('/proc/self/stat', 'utf8');
  } catch {
    return null;
  }
  const fields = stat
    .slice(stat.lastIndexOf(')') + 2)
    .split(' ')
    .map(Number);
  const [utime = 0, stime = 0, cutime = 0, cstime = 0] = fields.slice(11, 15);
  return (utime + stime + cutime + cstime) / clockTicksPerSecond();
}

/**
 * Measures how much of the machine processes outside the benchmark used: machine-wide busy time
 * minus this process, its finished tools and the running services in `pids`. Kernel interrupt
 * time spent on the benchmark's own loopback traffic may land here too, so read it as an upper
 * bound. `stop` returns a share of the whole machine (0–1), or null off Linux.
 */
export function meterForeignCpu(pids: readonly number[]): { stop(): number | null } {
  const ours = (): number | null => {
    const own = readSelfAndReapedCpuSeconds();
    const services = pids.map(readCpuSeconds);
    if (own === null || services.some((seconds) => seconds === null)) return null;
    return own + services.reduce<number>((total, seconds) => total + (seconds ?? 0), 0);
  };
  const startedAt = process.hrtime.bigint();
  const machineBefore = readMachineBusySeconds();
  const oursBefore = ours();
  return {
    stop() {
      const machineAfter = readMachineBusySeconds();
      const oursAfter = ours();
      if (
        machineBefore === null ||
        machineAfter === null ||
        oursBefore === null ||
        oursAfter === null
      ) {
        return null;
      }
      const wallSeconds = Number(process.hrtime.bigint() - startedAt) / 1e9;
      const foreign = machineAfter - machineBefore - (oursAfter - oursBefore);
      return Math.max(0, foreign) / (wallSeconds * os.cpus().length);
    },
  };
}

export interface Memory {
  /** Resident set size now (`VmRSS`), bytes. */
  rssBytes: number;
  /** The largest resident set size so far (`VmHWM`), bytes. */
  peakRssBytes: number;
}

export function readMemory(pid: number): Memory | null {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return null;
  }
  const kib = (name: string): number | undefined => {
    const match = new RegExp(`^${name}:\\s+(\\d+) kB$`, 'm').exec(status);
    return match ? Number(match[1]) * 1024 : undefined;
  };
  const rssBytes = kib('VmRSS');
  const peakRssBytes = kib('VmHWM');
  return rssBytes === undefined || peakRssBytes === undefined ? null : { rssBytes, peakRssBytes };
}

export interface RssSamples {
  /** The largest RSS seen, bytes. */
  max: number;
  /** The samples of the last `seconds` before `stop`, bytes. */
  lastSeconds(seconds: number): number[];
}

/** Samples a process's RSS on an interval while load runs (bounded by the run's length). */
export function sampleRss(pid: number, intervalMs = 100): { stop(): RssSamples } {
  const samples: { atMs: number; bytes: number }[] = [];
  const sample = (): void => {
    const bytes = readMemory(pid)?.rssBytes;
    if (bytes !== undefined) samples.push({ atMs: performance.now(), bytes });
  };
  sample();
  const timer = setInterval(sample, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      sample();
      const stoppedAt = performance.now();
      return {
        max: samples.reduce((max, { bytes }) => Math.max(max, bytes), 0),
        lastSeconds: (seconds) =>
          samples
            .filter(({ atMs }) => atMs >= stoppedAt - seconds * 1000)
            .map(({ bytes }) => bytes),
      };
    },
  };
}

export interface MachineFacts {
  node: string;
  cpuModel: string;
  /** The machine's CPUs. */
  cpus: number;
  /** CPUs this process may run on when the facts were read (its affinity mask). */
  availableCpus: number;
  platform: string;
  kernel: string;
  clockTicksPerSecond: number;
  /** 1-minute load average when the facts were read: other work on the machine skews figures. */
  loadAverage: number;
}

export function readMachineFacts(): MachineFacts {
  let cpuModel = os.cpus()[0]?.model ?? 'unknown';
  try {
    const match = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (match?.[1] !== undefined) cpuModel = match[1].trim();
  } catch {
    // not Linux: os.cpus() is as good as it gets
  }
  return {
    node: process.version,
    cpuModel,
    cpus: os.cpus().length,
    availableCpus: os.availableParallelism(),
    platform: process.platform,
    kernel: os.release(),
    clockTicksPerSecond: clockTicksPerSecond(),
    loadAverage: os.loadavg()[0] ?? Number.NaN,
  };
}
