/**
 * What the soak found, per phase, and the table `npm run soak` prints.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

export interface PhaseReport {
  phase: string;
  operations: number;
  /** Operations whose answer matched their scenario. */
  matched: number;
  /** Attempts Avara received. */
  attempts: number;
  /** Operations answered with an error (as their scenario demanded or not). */
  failed: number;
  /** Operations refused before anything was sent. */
  refused: number;
  /** The circuit at the end of the phase. */
  circuit: string;
  heapMiB: number;
  /** Wall time of the phase, reported only (never asserted). */
  seconds?: number;
}

export interface SoakReport {
  phases: PhaseReport[];
  /** Every broken promise, as text; empty when the run passed. */
  problems: string[];
  /** Upstream attempts per brownout operation, and the budget's bound for it. */
  brownout: { attemptsPerOperation: number; bound: number; unbudgeted: number };
  /** Outage operations served before the circuit opened, and the share that failed unsent. */
  outage: { operationsBeforeOpen: number; failedFastShare: number };
  /** Lines logged at error level (bugs): must be none. */
  errorLines: number;
}

/**
 * The heap after a full collection, so that "flat" compares live memory, not garbage. The
 * collector is reached the documented V8 way, without needing `--expose-gc` on the command line.
 */
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

export function heapMiB(): number {
  collectGarbage();
  return Math.round(process.memoryUsage().heapUsed / 1024 / 1024);
}

/** The report as a table, for `npm run soak` and a failing test's message. */
export function formatReport({
  phases,
  problems,
  brownout,
  outage,
  errorLines,
}: SoakReport): string {
  const header = [
    'phase',
    'operations',
    'as expected',
    'failed',
    'refused',
    'attempts',
    'circuit',
    'heap MiB',
    'seconds',
  ];
  const rows = phases.map((phase) => [
    phase.phase,
    String(phase.operations),
    String(phase.matched),
    String(phase.failed),
    String(phase.refused),
    String(phase.attempts),
    phase.circuit,
    String(phase.heapMiB),
    String(phase.seconds ?? ''),
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column].length)),
  );
  const line = (cells: string[]) =>
    `| ${cells.map((cell, i) => cell.padEnd(widths[i])).join(' | ')} |`;
  return [
    line(header),
    `| ${widths.map((width) => '-'.repeat(width)).join(' | ')} |`,
    ...rows.map(line),
    '',
    `brownout: ${brownout.attemptsPerOperation.toFixed(3)} attempts per operation ` +
      `(budget bound ${brownout.bound.toFixed(3)}; without a budget ~${brownout.unbudgeted.toFixed(2)})`,
    `outage: ${outage.operationsBeforeOpen} operations before the circuit opened; ` +
      `${(outage.failedFastShare * 100).toFixed(1)}% failed fast, unsent`,
    `error lines logged: ${errorLines}`,
    problems.length === 0 ? 'every promise held' : `PROBLEMS:\n  ${problems.join('\n  ')}`,
  ].join('\n');
}
