/**
 * `npm run bench [-- --profile] [-- --connections n]`: in one invocation, on this machine, the
 * same lean bots and payloads against a bare `ws` echo server and against our server (each its
 * own process; ours on a fresh data directory), plus the wallet against raw SQLite. Prints each
 * figure with its ratio to the reference and writes load-tests/results/<time>-bench/. Reports;
 * does not fail on targets (it exits 1 only if the books of the throughput run are wrong).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { readAckLogs } from '../check/ack-log.ts';
import { checkBooksInDatabase, countOpenRunHolds, openReadOnly } from '../check/books.ts';
import { machineInfo, openFilesLimit } from '../report/machine.ts';
import { Progress } from '../report/progress.ts';
import { RESULTS_ROOT } from '../run/runner.ts';
import { PER_TABLE, SUBSCRIBERS, echoFanout, fanoutTables, ourFanout, ourMarketFanout } from './fanout.ts';
import type { Target } from './plans.ts';
import { Client } from '@colyseus/sdk';
import { lobbyRooms } from '../bots/lobby.ts';
import { startEchoServer, startOurServer } from './processes.ts';
import { hotSpots } from './profile.ts';
import { benchHtml, benchText, type BenchResult } from './report.ts';
import { seedPlayers } from './seed.ts';
import { BETTORS, echoThroughput, ourThroughput } from './throughput.ts';
import { benchWallet } from './wallet-bench.ts';
import type { Account } from '../bots/context.ts';
import { CLUSTER_LEVELS, clusterPrefix, runClusterBench } from './cluster.ts';
import { clusterHtml, clusterText } from './cluster-report.ts';
import { LOAD_EDGE_LIMITS } from '../scenarios/types.ts';

const { values } = parseArgs({
  options: {
    profile: { type: 'boolean', default: false }, connections: { type: 'string' }, port: { type: 'string', default: '2571' },
    // --cluster: the cluster figures only (cluster.ts); --only connections|bets, --joins-per-second n
    cluster: { type: 'boolean', default: false }, only: { type: 'string' }, 'joins-per-second': { type: 'string', default: '200' },
  },
});
const started = new Date();
const dir = path.join(RESULTS_ROOT, `${started.toISOString().replace(/[:.]/g, '-')}-bench`);
fs.mkdirSync(dir, { recursive: true });
const progress = new Progress();
const say = (s: string) => progress.note(`[${Math.round((Date.now() - started.getTime()) / 1000)}s] ${s}`, true);
const basePort = Number(values.port);
const fdLimit = openFilesLimit() ?? 65536;
// A process's sockets are capped by its open-files limit; leave room for its other descriptors
// (SQLite files, listening socket, the bots' keep-alive HTTP connections for matchmaking).
const target = Number(values.connections ?? Math.min(20_000, fdLimit - 256));
const notes: string[] = [];
const loadAtStart = os.loadavg()[0]!.toFixed(2);
if (target < 20_000) notes.push(`Connections are capped at ${target} by this machine's open-files limit (RLIMIT_NOFILE ${fdLimit}, not raisable here): one process cannot hold 20,000 sockets plus its own files.`);

const SERVER_ENV = {
  ...LOAD_EDGE_LIMITS,
  LOG_LEVEL: 'warn',
  TOKEN_SECRET: 'benchmark-token-secret-0123456789abcdef',
  METRICS_TOKEN: 'benchmark-metrics-token-0123456789',
  CLIENT_MESSAGES_PER_SECOND: '10000',
  CLIENT_DISCONNECT_MESSAGES_PER_SECOND: '100000',
  DEMO_BALANCE_MINOR: '100000000',
  PROMOTIONS_BUDGET_MINOR: '1000000000000000',
};

// The scraper (load-tests/metrics/prometheus.ts) sends this process's METRICS_TOKEN.
process.env.METRICS_TOKEN = SERVER_ENV.METRICS_TOKEN;

function tableIds(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `roulette-${i + 1}`);
}

async function withOurServer<T>(name: string, env: Record<string, string>, players: number, run: (srv: Target, accounts: Awaited<ReturnType<typeof seedPlayers>>, dataDir: string) => Promise<T>): Promise<T> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `casino-bench-${name}-`));
  try {
    const fullEnv = { ...SERVER_ENV, ...env, DATA_DIR: dataDir };
    say(`${name}: seeding ${players} players…`);
    const accounts = await seedPlayers(dataDir, fullEnv, players);
    const flags = values.profile ? ['--cpu-prof', `--cpu-prof-dir=${path.join(dir, `profile-${name}`)}`] : [];
    const srv = await startOurServer(basePort + 1, fullEnv, path.join(dir, `server-${name}.log`), flags);
    try {
      return await run({ url: srv.url, pids: [srv.pid] }, accounts, dataDir);
    } finally {
      await srv.stop();
    }
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The throughput phase's bets, then the books check of the load runner on the run's data directory. */
async function betsWithBooks(srv: Target, accounts: Account[], dataDir: string, runTag: string, levels?: number[]) {
  const ours = await ourThroughput(srv, accounts, tableIds(tpTables), dir, runTag, progress, levels);
  say('ours: waiting for the last rounds to settle, then checking the books…');
  const dbFile = path.join(dataDir, 'casino.sqlite');
  for (let i = 0; i < 60; i++) {
    const db = openReadOnly(dbFile);
    const open = countOpenRunHolds(db, runTag);
    db.close();
    if (open === 0) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  const acked = await readAckLogs(fs.readdirSync(dir).filter((f) => f.startsWith(`acked-${runTag}-`)).map((f) => path.join(dir, f)));
  return { ours, books: checkBooksInDatabase(dbFile, acked, runTag) };
}

// Enough tables that no round holds more than ~400 bets (see docs/BENCHMARKS.md: larger rounds hit the journal's event size limit).
const tpTables = 150;

if (values.cluster) {
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const only = values.only;
  const cluster = await runClusterBench(
    { env: { ...SERVER_ENV, REDIS_PREFIX: clusterPrefix() }, basePort, dir, progress, say, redisUrl, bets: (srv, accounts, dataDir, runTag) => betsWithBooks(srv, accounts, dataDir, runTag, CLUSTER_LEVELS) },
    { connections: Number(values.connections ?? 40_500), joinsPerSecond: Number(values['joins-per-second']), betsOnly: only === 'bets', connectionsOnly: only === 'connections', bettors: BETTORS, tables: tpTables },
  );
  const loads = `1-minute load average ${loadAtStart} at the start and ${os.loadavg()[0]!.toFixed(2)} at the end`;
  fs.writeFileSync(path.join(dir, 'cluster.json'), JSON.stringify({ ...cluster, machine: machineInfo(), notes: [loads] }, null, 1));
  fs.writeFileSync(path.join(dir, 'cluster.html'), clusterHtml(cluster, machineInfo().cpus, loads));
  console.log(`\n${clusterText(cluster)}\nnote: ${loads}\n\nwritten: ${dir}/cluster.json, cluster.html`);
  process.exit(cluster.bets.every((b) => b.books.passed) ? 0 : 1);
}

say('wallet: transfers through the store vs raw SQLite inserts…');
const wallet = await benchWallet(8);

say('echo reference: starting the bare ws server…');
const echoTp = await withEcho('echo-throughput', async (srv) => {
  const r = await echoThroughput(srv, progress);
  say(`echo: ${r.ackedPerSecond} requests/s`);
  return r;
});

async function withEcho<T>(name: string, run: (srv: Target) => Promise<T>): Promise<T> {
  const echo = await startEchoServer(basePort, path.join(dir, `${name}.log`));
  try {
    return await run({ url: echo.url, pids: [echo.pid] });
  } finally {
    await echo.stop();
  }
}

const { ours: tp, books } = await withOurServer('throughput', { ROULETTE_TABLES: String(tpTables), ROULETTE_BETTING_WINDOW_MS: '8000', ROULETTE_SPIN_MS: '500', ROULETTE_PAUSE_MS: '500' }, BETTORS, async (srv, accounts, dataDir) => {
  say(`ours: ${BETTORS} lean bettors at ${tpTables} tables, rising offered load…`);
  return betsWithBooks(srv, accounts, dataDir, 'tp');
});

const fanTables = fanoutTables(target);
const fan = await withOurServer('fanout', { ROULETTE_TABLES: String(fanTables), ROULETTE_BETTING_WINDOW_MS: '3000', ROULETTE_SPIN_MS: '1000', ROULETTE_PAUSE_MS: '1000' }, 400, (srv, accounts) => {
  say(`ours: ${target} connections over ${fanTables} tables, broadcast measured at the first ${Math.min(SUBSCRIBERS, target)}…`);
  return ourFanout(srv, accounts, tableIds(fanTables), target, progress);
});

// Live events from the demo schedule, sped up: a kick-off every 3 s, a match minute a second
// (prices move every match minute), rooms open 20 s before kick-off.
const viewers = Math.min(SUBSCRIBERS, target);
const market = await withOurServer('market', { ROULETTE_TABLES: '1', SIM_SCHEDULE: 'on', SIM_EVERY_MS: '3000', SIM_MS_PER_MINUTE: '1000', SIM_PRE_MATCH_MS: '20000' }, 400, async (srv, accounts) => {
  say('ours: waiting for live events to open…');
  const lobby = new Client(srv.url);
  lobby.auth.token = accounts[0]!.token;
  let events: string[] = [];
  for (let i = 0; i < 40 && events.length < 12; i++) {
    await new Promise((r) => setTimeout(r, 1000));
    events = (await lobbyRooms(lobby, 'market')).map((r) => r.roomId);
  }
  say(`ours: ${viewers} viewers over ${events.length} live events, price change → receipt…`);
  return ourMarketFanout(srv, accounts, events, viewers, progress);
});

// The reference fan-out last, so that it sends the sizes ours sent, in the rooms ours had.
say(`echo reference: ${target} connections; broadcast to all at once, then in rooms like our tables and events…`);
const echoFan = await withEcho('echo-fanout', (srv) => echoFanout(srv, target, [
  { name: 'tables', group: PER_TABLE, bytes: fan.patchBytes ?? 64 },
  { name: 'events', group: Math.ceil(viewers / Math.max(1, market.events)), bytes: market.patchBytes ?? 64 },
], progress));

notes.push(`1-minute load average ${loadAtStart} at the start and ${os.loadavg()[0]!.toFixed(2)} at the end (this benchmark alone keeps about 2 busy); other work on the machine shows up in the figures.`);

let profile = null;
if (values.profile) {
  const pdir = path.join(dir, 'profile-throughput');
  const file = fs.existsSync(pdir) ? fs.readdirSync(pdir).find((f) => f.endsWith('.cpuprofile')) : undefined;
  if (file) profile = hotSpots(path.join(pdir, file), 30);
}

const result: BenchResult = {
  kind: 'benchmark', startedAt: started.toISOString(), durationS: (Date.now() - started.getTime()) / 1000, machine: machineInfo(),
  wallet, throughput: { ours: tp, echo: echoTp, books }, fanout: { ours: fan, echo: echoFan, market }, profile, notes,
};
fs.writeFileSync(path.join(dir, 'bench.json'), JSON.stringify(result, null, 1));
fs.writeFileSync(path.join(dir, 'bench.html'), benchHtml(result));
console.log(`\n${benchText(result)}\n\nwritten: ${dir}/bench.json, bench.html (${Math.round(result.durationS)} s)`);
process.exit(books.passed ? 0 : 1);
