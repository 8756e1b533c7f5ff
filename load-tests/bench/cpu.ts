/**
 * Where the machine's CPU went over a window of a run: the server process (and, where /proc was
 * read, its main thread, its store writer thread and its other threads), the writer thread's
 * event-loop utilisation from `/metrics`, and the bot processes. % of one core, mean per second.
 */
import type { Aggregator, SeriesPoint } from '../run/aggregate.ts';

export interface CpuShare {
  serverPct: number;
  mainPct: number | null;
  writerPct: number | null;
  otherPct: number | null;
  /** Runnable but no core free (run-queue wait), main and writer thread: where the machine, not the thread, is the limit. */
  mainQueuedPct: number | null;
  writerQueuedPct: number | null;
  /** Writer thread busy (event-loop utilisation, fsync waits included): ≥ its CPU. */
  writerBusyPct: number;
  botsPct: number;
}

/** Mean of `pick` over the seconds in [fromS + 1, toS) (the first second of a window is a transition). */
export function meanOver(agg: Aggregator, fromS: number, toS: number, pick: (p: SeriesPoint) => number | null | undefined): number | null {
  const vals = agg.series.filter((p) => p.t >= fromS + 1 && p.t < toS).map(pick).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  return vals.length ? vals.reduce((a, b) => a + b, 0) / vals.length : null;
}

export function cpuOver(agg: Aggregator, fromS: number, toS: number): CpuShare {
  const r = (v: number | null) => (v === null ? null : Math.round(v));
  return {
    serverPct: r(meanOver(agg, fromS, toS, (p) => p.server?.cpuPct)) ?? 0,
    mainPct: r(meanOver(agg, fromS, toS, (p) => p.server?.mainCpuPct)),
    writerPct: r(meanOver(agg, fromS, toS, (p) => p.server?.writerCpuPct)),
    otherPct: r(meanOver(agg, fromS, toS, (p) => p.server?.otherCpuPct)),
    mainQueuedPct: r(meanOver(agg, fromS, toS, (p) => p.server?.mainQueuedPct)),
    writerQueuedPct: r(meanOver(agg, fromS, toS, (p) => p.server?.writerQueuedPct)),
    writerBusyPct: r(meanOver(agg, fromS, toS, (p) => p.server?.writerBusyPct)) ?? 0,
    botsPct: r(meanOver(agg, fromS, toS, (p) => p.bots.cpuPct)) ?? 0,
  };
}

/** "server 120% (main 70, writer 45, other 5; writer busy 60; waiting for a core: main 10, writer 5), bots 33%" */
export function cpuText(c: CpuShare): string {
  const v = (n: number | null | undefined) => n ?? '–';
  const threads = c.mainPct === null || c.mainPct === undefined ? '' : ` (main ${v(c.mainPct)}, writer ${v(c.writerPct)}, other ${v(c.otherPct)}; writer busy ${v(c.writerBusyPct)}; waiting for a core: main ${v(c.mainQueuedPct)}, writer ${v(c.writerQueuedPct)})`;
  return `server ${c.serverPct}%${threads}, bots ${c.botsPct}%`;
}
