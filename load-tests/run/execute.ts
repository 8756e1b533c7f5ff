/**
 * Runs a set of bot plans to the end: bot processes, the server's metrics scraped every second,
 * the measurements merged, live progress, and an optional schedule of bet-rate multipliers
 * (the benchmark's load levels).
 */
import { scrape, sumSamples } from '../metrics/prometheus.ts';
import { addThreadCpu, threadCpu } from '../metrics/threads.ts';
import type { Progress } from '../report/progress.ts';
import { Aggregator } from './aggregate.ts';
import type { FromWorker, WorkerPlan } from './plan.ts';
import { startWorkers } from './workers.ts';

export interface ExecuteOptions {
  label: string;
  plans: WorkerPlan[];
  inProcess: boolean;
  /** Where to scrape `/metrics` (null: nothing to scrape); several URLs (a cluster) are summed. */
  metricsUrl: string | string[] | null;
  /** Local server processes whose threads' CPU to read from /proc, and the writer thread's name. */
  serverThreads?: { pids: number[]; writerName: string };
  progress: Progress;
  /** [seconds after start, multiplier]: sent to every bot process when due. */
  rateSchedule?: Array<[number, number]>;
  /** Names the measurement segment an instant falls in (per-segment percentiles). */
  segmentOf?: (at: number) => string | null;
}

export interface Execution {
  agg: Aggregator;
  failures: string[];
  /** Bot process ids. */
  pids: number[];
}

export async function executePlans(opts: ExecuteOptions): Promise<Execution> {
  const { plans, progress } = opts;
  const startAt = plans[0]!.startAt;
  const endAt = Math.max(...plans.map((p) => p.endAt));
  const agg = new Aggregator(startAt, opts.segmentOf);
  const failures: string[] = [];
  const takeSample = async () => {
    if (!opts.metricsUrl) return;
    const urls = Array.isArray(opts.metricsUrl) ? opts.metricsUrl : [opts.metricsUrl];
    const got = await Promise.all(urls.map((u) => scrape(u)));
    // A sum over some of the processes would make their CPU counters jump: all of them or no sample.
    if (got.some((x) => x === null)) return;
    const s = sumSamples(got as NonNullable<(typeof got)[number]>[]);
    if (!s) return;
    const t = opts.serverThreads;
    if (t) s.threads = t.pids.map((pid) => threadCpu(pid, t.writerName)).reduce(addThreadCpu, null);
    agg.addServer(s);
  };
  await takeSample();
  const onMessage = (m: FromWorker) => {
    if (m.type === 'interval') agg.add(m.worker, m.stats);
    else if (m.type === 'fatal') failures.push(`bot process ${m.worker} failed: ${m.error.split('\n')[0]}`);
  };
  const pool = startWorkers(plans, opts.inProcess, onMessage);
  const timers = (opts.rateSchedule ?? []).map(([atS, multiplier]) => setTimeout(() => pool.send({ type: 'rate', multiplier }), Math.max(0, startAt + atS * 1000 - Date.now())));
  const totalS = (endAt - startAt) / 1000;
  const ticker = setInterval(async () => {
    await takeSample();
    for (const p of agg.closeSeconds(Date.now())) {
      progress.update(opts.label, p.t + 1, totalS, p, { betsAcked: agg.counters.betsAcked, rejected: agg.counters.betsRejected, errors: agg.counters.requestErrors + agg.counters.joinFailures });
    }
  }, 1000);
  const watchdog = setTimeout(() => pool.send({ type: 'stop' }), endAt - Date.now() + 60_000);
  try {
    await pool.done;
  } catch (e) {
    failures.push((e as Error).message);
  } finally {
    clearInterval(ticker);
    clearTimeout(watchdog);
    timers.forEach(clearTimeout);
  }
  await takeSample();
  agg.closeSeconds(Date.now(), -1);
  progress.clear();
  return { agg, failures, pids: pool.pids };
}
