/**
 * One load run against a target: accounts, tables from the lobby, bot processes, live progress,
 * then the books check, the JSON result and the HTML report. A run whose books are wrong (or
 * whose bots could not play at all) fails, whatever its speed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { accountCacheFile, ensureAccounts } from '../bots/accounts.ts';
import type { Account } from '../bots/context.ts';
import { readAckLogs } from '../check/ack-log.ts';
import { checkBooksInDatabase, countOpenRunHolds, openReadOnly } from '../check/books.ts';
import type { BooksReport } from '../check/books-report.ts';
import { checkBooksOverHttp, playersOf, waitForWalletsSettled } from '../check/remote-books.ts';
import { machineInfo } from '../report/machine.ts';
import { Progress } from '../report/progress.ts';
import { rates, summarizeServer, type RunResult } from '../report/result.ts';
import { renderRunHtml } from '../report/html.ts';
import { scaleBots, type Scenario } from '../scenarios/types.ts';
import { executePlans } from './execute.ts';
import type { WorkerPlan } from './plan.ts';
import { planSeats } from './seats.ts';
import { discoverEvents, discoverTables } from './tables.ts';

export const RESULTS_ROOT = fileURLToPath(new URL('../results/', import.meta.url));

export interface LoadOptions {
  scenario: Scenario;
  url: string;
  durationS?: number;
  bots?: number;
  workers?: number;
  /** The server's DATA_DIR (same machine): enables the full books check. */
  dataDir?: string | null;
  resultsRoot?: string;
  settleTimeoutS?: number;
  progress?: Progress;
  seed?: number;
  /** Runs after the bots stop and before the books check (tests inject faults here). */
  beforeBooksCheck?: (run: { dir: string; dbFile: string | null; runTag: string }) => Promise<void>;
}

export interface LoadRun {
  result: RunResult;
  dir: string;
}

export async function runLoad(opts: LoadOptions): Promise<LoadRun> {
  const url = opts.url.replace(/\/$/, '');
  let scenario = opts.bots ? scaleBots(opts.scenario, opts.bots) : opts.scenario;
  if (opts.durationS) scenario = { ...scenario, durationS: opts.durationS, rampUpS: Math.min(scenario.rampUpS, opts.durationS / 4) };
  const progress = opts.progress ?? new Progress();
  const resultsRoot = opts.resultsRoot ?? RESULTS_ROOT;
  const started = new Date();
  const runTag = `r${started.getTime().toString(36)}`;
  const dir = path.join(resultsRoot, `${started.toISOString().replace(/[:.]/g, '-')}-${scenario.name}`);
  fs.mkdirSync(dir, { recursive: true });
  const dbFile = opts.dataDir ? path.join(opts.dataDir, 'casino.sqlite') : null;
  if (dbFile && !fs.existsSync(dbFile)) throw new Error(`--data-dir: ${dbFile} does not exist`);

  const health = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(10_000) }).catch((e: Error) => e);
  if (health instanceof Error || !health.ok) throw new Error(`${url} is not answering /healthz: ${health instanceof Error ? health.message : health.status}`);

  const workers = opts.workers ?? scenario.workers;
  const seating = planSeats(scenario.groups, workers, scenario.watcherAccounts ?? 50);
  progress.note(`preparing ${seating.accountsNeeded} accounts…`, true);
  const accounts = await ensureAccounts(url, seating.accountsNeeded, accountCacheFile(resultsRoot, url));
  const tables = await discoverTables(url, accounts[0]!.token);
  const events = scenario.groups.some((g) => g.kind.startsWith('market-') && g.count > 0) ? await discoverEvents(url, accounts[0]!.token) : [];
  if (scenario.groups.some((g) => g.kind.startsWith('market-') && g.count > 0) && events.length === 0) throw new Error(`${url} lists no live event (market room) for this scenario's market bots`);
  progress.note(`${scenario.name}: ${seating.totalBots} bots in ${Math.max(1, workers)} ${workers === 0 ? 'in-process host' : 'bot process(es)'}, ${tables.length} tables, ${scenario.durationS}s (ramp ${scenario.rampUpS}s) → ${dir}`, true);

  const startAt = Date.now() + (workers === 0 ? 200 : 1500);
  const endAt = startAt + scenario.durationS * 1000;
  const plans: WorkerPlan[] = seating.perWorker.map((seats, worker) => ({
    worker, httpUrl: url, runTag, ackLogPath: path.join(dir, `acked-w${worker}.ndjson`), tables, events,
    startAt, rampUpMs: scenario.rampUpS * 1000, endAt,
    rateProfile: scenario.rateProfile, groups: scenario.groups, accounts, seats, seed: opts.seed ?? 1,
  }));

  const { agg, failures } = await executePlans({ label: scenario.name, plans, inProcess: workers === 0, metricsUrl: url, progress });

  await opts.beforeBooksCheck?.({ dir, dbFile, runTag });
  const acked = await readAckLogs(plans.map((p) => p.ackLogPath!));
  progress.note(`checking the books of ${acked.bets.size} acknowledged bets (${dbFile ? 'database' : 'HTTP'})…`, true);
  const books = await checkBooks(url, dbFile, acked, accounts, runTag, started.getTime(), (opts.settleTimeoutS ?? 90) * 1000);

  if (!books.passed) failures.push('the books check failed');
  if (agg.counters.joins === 0) failures.push('no bot could join a table');
  if ((agg.codes.get('client/bot_crashed') ?? 0) > 0) failures.push(`${agg.codes.get('client/bot_crashed')} bots crashed`);
  const botCpu = agg.series.map((p) => p.bots.cpuPct);
  const result: RunResult = {
    kind: 'load-run',
    scenario: { name: scenario.name, description: scenario.description, durationS: scenario.durationS, rampUpS: scenario.rampUpS, workers, groups: scenario.groups, rateProfile: scenario.rateProfile },
    target: { url, dataDir: opts.dataDir ?? null },
    runTag,
    startedAt: started.toISOString(),
    endedAt: new Date().toISOString(),
    machine: machineInfo(),
    totals: {
      counters: agg.counters,
      codes: Object.fromEntries([...agg.codes].sort((a, b) => b[1] - a[1])),
      latency: agg.latencySummaries(),
      ...rates(agg, scenario.rampUpS),
      peakConnections: agg.peakConnections,
    },
    server: summarizeServer(agg.server),
    bots: { processes: Math.max(1, workers), cpuPctMean: botCpu.length ? Math.round(botCpu.reduce((a, b) => a + b, 0) / botCpu.length) : 0, rssPeakMB: Math.round(Math.max(0, ...agg.series.map((p) => p.bots.rssMB))) },
    series: agg.series,
    books,
    passed: failures.length === 0,
    failures,
  };
  fs.writeFileSync(path.join(dir, 'result.json'), JSON.stringify(result, null, 1));
  fs.writeFileSync(path.join(dir, 'report.html'), renderRunHtml(result));
  return { result, dir };
}

async function checkBooks(url: string, dbFile: string | null, acked: Awaited<ReturnType<typeof readAckLogs>>, accounts: Account[], runTag: string, since: number, settleMs: number): Promise<BooksReport> {
  if (dbFile) {
    const deadline = Date.now() + settleMs;
    for (;;) {
      const db = openReadOnly(dbFile);
      const open = countOpenRunHolds(db, runTag);
      db.close();
      if (open === 0 || Date.now() >= deadline) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    return checkBooksInDatabase(dbFile, acked, runTag);
  }
  const byId = new Map(accounts.map((a) => [a.userId, a]));
  await waitForWalletsSettled(url, playersOf(acked, byId), settleMs);
  return checkBooksOverHttp(url, acked, byId, since);
}
