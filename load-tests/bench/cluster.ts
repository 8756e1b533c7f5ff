/**
 * `npm run bench -- --cluster`: the cluster figures, which need Redis (REDIS_URL, default
 * redis://127.0.0.1:6379) and take minutes. Every server is `server/main.ts` in cluster mode
 * (Redis presence and room ownership, one shared SQLite file, its own port as public address)
 * under a private REDIS_PREFIX that is deleted afterwards; the bots run in their own processes.
 *  1. Connections: 3 processes hold lean spectators joined table by table, each bot process
 *     matchmaking through another server process (each connects to the process owning its table), up to the target
 *     (default 40,500: each process has its own open-files limit, ~20,000 here).
 *  2. Bets: the throughput phase's bots and offered loads against 1 process, then 2.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { deletePrefix } from './redis-prefix.ts';
import type { Account } from '../bots/context.ts';
import { scrape } from '../metrics/prometheus.ts';
import type { Progress } from '../report/progress.ts';
import { executePlans } from '../run/execute.ts';
import { cpuOver, type CpuShare } from './cpu.ts';
import { phasePlans, threadsOf, windows, type Target } from './plans.ts';
import { startOurServer, type ServerProcess } from './processes.ts';
import { seedPlayers } from './seed.ts';
import type { ThroughputResult } from './throughput.ts';
import type { BooksReport } from '../check/books-report.ts';

export interface ClusterContext {
  env: Record<string, string>;
  basePort: number;
  dir: string;
  progress: Progress;
  say: (s: string) => void;
  redisUrl: string;
  /** Run the bets of the throughput phase against 1 and 2 processes and check their books. */
  bets: (srv: Target, accounts: Account[], dataDir: string, runTag: string) => Promise<{ ours: ThroughputResult; books: BooksReport }>;
}

export interface ClusterConnections {
  processes: number;
  target: number;
  /** Most connections the processes reported holding at once, together. */
  held: number;
  /** Per process: its most clients at once, and its RSS (MB) then. */
  perProcess: Array<{ clients: number; rssMB: number }>;
  botProcesses: number;
  botRssPeakMB: number;
  joinFailures: number;
  joinP99Ms: number | null;
  codes: Record<string, number>;
  cpu: CpuShare;
}

export interface ClusterResult {
  kind: 'cluster-benchmark';
  startedAt: string;
  redisPrefix: string;
  connections: ClusterConnections | null;
  bets: Array<{ processes: number; ours: ThroughputResult; books: BooksReport }>;
}

/** Offered load multipliers of the 1-vs-2-process bets (× 1,200 bettors × 4 bets/s): 1,200 … 9,600 bets/s. */
export const CLUSTER_LEVELS = [0.25, 0.5, 1, 1.5, 2];

export function clusterPrefix(): string {
  return `bench:${process.pid}:${Date.now().toString(36)}:`;
}

/** Starts `n` cluster processes on one data directory and waits until the tables are spread over all of them. */
async function withCluster<T>(ctx: ClusterContext, name: string, n: number, tables: number, players: number, env: Record<string, string>, run: (srv: Target, accounts: Account[], dataDir: string) => Promise<T>): Promise<T> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `casino-bench-${name}-`));
  const prefix = `${ctx.env.REDIS_PREFIX}${name}:`;
  const nodes: ServerProcess[] = [];
  try {
    const fullEnv = { ...ctx.env, ...env, DATA_DIR: dataDir, REDIS_URL: ctx.redisUrl, REDIS_PREFIX: prefix, ROULETTE_TABLES: String(tables), CRASH_ROOMS: '0', BLACKJACK_TABLES: '0', SIM_SCHEDULE: 'off', LEASE_TTL_MS: LEASE_TTL_MS, OWNERSHIP_POLL_MS: '250' };
    ctx.say(`${name}: seeding ${players} players, starting ${n} processes…`);
    const accounts = await seedPlayers(dataDir, fullEnv, players);
    // Started together, so that each takes its fair share of the tables from the start (rooms moved
    // later by rebalancing would drop their clients mid-run).
    const started = await Promise.allSettled(Array.from({ length: n }, (_, i) => {
      const port = ctx.basePort + 10 + i;
      return startOurServer(port, { ...fullEnv, PUBLIC_ADDRESS: `127.0.0.1:${port}` }, path.join(ctx.dir, `server-${name}-${i}.log`));
    }));
    for (const s of started) if (s.status === 'fulfilled') nodes.push(s.value);
    const failed = started.find((s) => s.status === 'rejected');
    if (failed) throw (failed as PromiseRejectedResult).reason;
    // Until every table is up, spread evenly (max − min ≤ 1), and has stayed so for 3 s.
    const deadline = Date.now() + 180_000;
    let evenSince = 0;
    for (;;) {
      const rooms = await Promise.all(nodes.map(async (s) => (await scrape(s.url))?.rooms ?? 0));
      const even = rooms.reduce((a, b) => a + b, 0) === tables && Math.max(...rooms) - Math.min(...rooms) <= 1;
      evenSince = even ? evenSince || Date.now() : 0;
      if (even && Date.now() - evenSince >= 3000) break;
      if (Date.now() > deadline) throw new Error(`${name}: tables not spread over the processes in 180 s (${rooms.join(', ')})`);
      await new Promise((r) => setTimeout(r, 500));
    }
    return await run({ url: nodes[0]!.url, pids: nodes.map((s) => s.pid), urls: nodes.map((s) => s.url) }, accounts, dataDir);
  } finally {
    await Promise.all(nodes.map((s) => s.stop()));
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

const PER_TABLE = 500;
/**
 * Ownership leases of 10 s (the default is 1.5 s): these runs measure holding and betting, not
 * failover, and on 2 shared cores a process's event loop can be starved for seconds (a 3 s lease
 * made the first process lose all its tables mid-ramp at a load average of 10).
 */
const LEASE_TTL_MS = '10000';

async function clusterConnections(ctx: ClusterContext, processes: number, target: number, joinsPerSecond: number): Promise<ClusterConnections> {
  const tables = Math.ceil(target / PER_TABLE);
  return withCluster(ctx, 'connections', processes, tables, 400, { ROULETTE_BETTING_WINDOW_MS: '3000', ROULETTE_SPIN_MS: '1000', ROULETTE_PAUSE_MS: '1000' }, async (srv, accounts) => {
    const rampS = Math.ceil(target / joinsPerSecond);
    const holdS = 20;
    // Each bot process stays well inside its own open-files limit.
    const workers = Math.max(2, Math.ceil(target / 12_000));
    ctx.say(`connections: ${target} lean spectators over ${tables} tables on ${processes} processes, ${workers} bot processes, ${joinsPerSecond} joins/s…`);
    const plans = phasePlans({
      url: srv.url, accounts, tables: Array.from({ length: tables }, (_, i) => `roulette-${i + 1}`), workers, durationS: rampS + holdS, rampUpS: rampS, ackDir: null, runTag: 'cluster', watcherAccounts: accounts.length,
      groups: [{ kind: 'roulette-watcher', client: 'lean', decode: false, count: target, fillTablesOf: PER_TABLE, rampUpS: rampS }],
    });
    // Matchmaking requests spread over the processes, as a load balancer in front of them would
    // (one process answering all 40,000 timed out under load); each room connection still goes to
    // the process that owns the table.
    plans.forEach((p, i) => (p.httpUrl = srv.urls![i % srv.urls!.length]!));
    // Each process's most clients (and its RSS then), read every 2 s beside the run's own scrapes.
    const perProcess: ClusterConnections['perProcess'] = srv.urls!.map(() => ({ clients: 0, rssMB: 0 }));
    const poll = setInterval(() => srv.urls!.forEach(async (u, i) => {
      const s = await scrape(u);
      if (s && s.clients >= perProcess[i]!.clients) perProcess[i] = { clients: s.clients, rssMB: Math.round(s.rssBytes / 2 ** 20) };
    }), 2000);
    try {
      const run = await executePlans({ label: 'cluster connections', plans, inProcess: false, metricsUrl: srv.urls!, serverThreads: threadsOf(srv), progress: ctx.progress, segmentOf: windows(plans[0]!.startAt, [['hold', rampS, rampS + holdS]]) });
      return {
        processes, target,
        held: Math.max(0, ...run.agg.server.map((s) => s.clients)),
        perProcess, botProcesses: workers,
        botRssPeakMB: Math.round(Math.max(0, ...run.agg.series.map((p) => p.bots.rssMB))),
        joinFailures: run.agg.counters.joinFailures,
        joinP99Ms: run.agg.latencySummaries().join?.p99Ms ?? null,
        codes: Object.fromEntries(run.agg.codes),
        cpu: cpuOver(run.agg, rampS, rampS + holdS),
      };
    } finally {
      clearInterval(poll);
    }
  });
}

export async function runClusterBench(ctx: ClusterContext, opts: { connections: number; joinsPerSecond: number; betsOnly: boolean; connectionsOnly: boolean; bettors: number; tables: number }): Promise<ClusterResult> {
  const result: ClusterResult = { kind: 'cluster-benchmark', startedAt: new Date().toISOString(), redisPrefix: ctx.env.REDIS_PREFIX!, connections: null, bets: [] };
  try {
    if (!opts.betsOnly) result.connections = await clusterConnections(ctx, 3, opts.connections, opts.joinsPerSecond);
    if (!opts.connectionsOnly) {
      for (const n of [1, 2]) {
        const r = await withCluster(ctx, `bets-${n}`, n, opts.tables, opts.bettors, { ROULETTE_BETTING_WINDOW_MS: '8000', ROULETTE_SPIN_MS: '500', ROULETTE_PAUSE_MS: '500' }, (srv, accounts, dataDir) => {
          ctx.say(`bets: ${opts.bettors} bettors at ${opts.tables} tables on ${n} process${n > 1 ? 'es' : ''}, rising offered load…`);
          return ctx.bets(srv, accounts, dataDir, `c${n}`);
        });
        result.bets.push({ processes: n, ...r });
      }
    }
  } finally {
    const deleted = await deletePrefix(ctx.redisUrl, ctx.env.REDIS_PREFIX!).catch(() => -1);
    ctx.say(`redis: deleted ${deleted} keys under ${ctx.env.REDIS_PREFIX}`);
  }
  return result;
}
