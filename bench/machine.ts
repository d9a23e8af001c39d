// Shared by the benchmarks: a one-line description of the machine (with its load, since the
// machine may be shared), and the median of repeated timings.
import { cpus, loadavg, totalmem } from 'node:os';

/** "Machine: 2 cores (AMD EPYC), 24 GiB, Node v20; load average 1.2 / 1.0 / 0.8 (1/5/15 min)." */
export function machineLine(): string {
  const [l1, l5, l15] = loadavg().map((x) => x.toFixed(1));
  const n = cpus().length;
  const busy =
    loadavg()[0]! > 0.75 * n
      ? ' The machine was busy (load above its core count): treat the figures as noisy.'
      : '';
  return (
    `Machine: ${n} cores (${cpus()[0]?.model ?? '?'}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}; ` +
    `load average ${l1} / ${l5} / ${l15} (1/5/15 min) at the start.${busy}`
  );
}

/**
 * Median wall time (ms) of `fn` over `runs` runs after `warmup` runs; the mean CPU time (user +
 * system, ms) of the process per run over the same runs, which a busy machine inflates less than
 * the wall time (it includes the garbage collector's threads); and the last result.
 */
export function medianMs<T>(fn: () => T, runs: number, warmup = 1): { ms: number; cpuMs: number; last: T } {
  let last = fn();
  for (let i = 1; i < warmup; i++) last = fn();
  const ts: number[] = [];
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    last = fn();
    ts.push(performance.now() - t0);
  }
  const cpu = process.cpuUsage(cpu0);
  ts.sort((a, b) => a - b);
  return { ms: ts[ts.length >> 1]!, cpuMs: (cpu.user + cpu.system) / 1000 / runs, last };
}
