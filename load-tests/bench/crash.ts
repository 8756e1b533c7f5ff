/**
 * Crash fan-out benchmark: PLAYERS players (default 5,000) in one crash room, every one with a bet
 * in the measured round; CASHOUTS of them cash out by hand, spread over the run. Measured per
 * cash-out: request → confirmation (the reply, after the cash-out is journaled and paid), and
 * request → every player informed (the last of the PLAYERS connections to receive the
 * `cashouts` broadcast naming it); and per (player, cash-out) the receipt latency.
 *
 *   npx tsx load-tests/bench/crash.ts [--players 5000] [--cashouts 200] [--port 27160]
 *
 * The room's hash chain seed is read from its journal (as an auditor could) to pick a round whose
 * crash point leaves at least 12 s of run, so every cash-out lands before the crash. All clients
 * are official SDK clients in this one process, on the same machine as the server.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DatabaseSync } from 'node:sqlite';
import { Client, type Room } from '@colyseus/sdk';
import { HashChain, crashPointOf } from '../../actors/crash/index.ts';
import type { CrashCashOutsMessage, CrashMessages } from '../../protocol/crash.ts';
import { newHistogram, recordMs, summarize, type LatencySummary } from '../metrics/histogram.ts';
import { LOAD_EDGE_LIMITS } from '../scenarios/types.ts';
import { startOurServer } from './processes.ts';
import { seedPlayers } from './seed.ts';

const { values } = parseArgs({ options: { players: { type: 'string' }, cashouts: { type: 'string' }, port: { type: 'string' } } });
const PLAYERS = Number(values.players ?? 5000);
const CASHOUTS = Number(values.cashouts ?? 200);
const PORT = Number(values.port ?? 27160);
const MIN_CRASH_CENTS = 220; // ≥ 13.1 s of run
const MAX_CRASH_CENTS = 1000; // ≤ 38.4 s of run (the bench waits for the crash)
const SALT = 'casino-live-crash-v1';

const ENV: Record<string, string> = {
  ...LOAD_EDGE_LIMITS,
  LOG_LEVEL: 'warn',
  TOKEN_SECRET: 'benchmark-token-secret-0123456789abcdef',
  CLIENT_MESSAGES_PER_SECOND: '10000',
  CLIENT_DISCONNECT_MESSAGES_PER_SECOND: '100000',
  DEMO_BALANCE_MINOR: '100000',
  PROMOTIONS_BUDGET_MINOR: '1000000000000000',
  ROULETTE_TABLES: '0',
  CRASH_ROOMS: '1',
  CRASH_BETTING_WINDOW_MS: '40000',
  CRASH_PAUSE_MS: '2000',
  CRASH_CHAIN_LENGTH: '1000',
  CRASH_LIABILITY_CAP_MINOR: '1000000000000',
  SIM_SCHEDULE: 'off',
  PSP_SANDBOX: 'off',
  PRICING_REFIT_EVERY_MS: '0',
};

const say = (line: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${line}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The room's chain, from the seed in its journal (the room journals it when it is created, just after the server is up). */
async function chainOfRoom(dataDir: string): Promise<HashChain> {
  for (let tries = 0; tries < 100; tries++) {
    const db = new DatabaseSync(path.join(dataDir, 'casino.sqlite'), { readOnly: true, timeout: 5000 });
    try {
      const row = db.prepare("SELECT data FROM journal WHERE room_id = 'crash-1' AND type = 'CrashChainSeed' ORDER BY seq LIMIT 1").get();
      if (row) {
        const seed = JSON.parse(String(row.data)) as { seed: string; length: number };
        return new HashChain(seed.seed, seed.length);
      }
    } finally {
      db.close();
    }
    await sleep(100);
  }
  throw new Error('crash-1 journaled no chain seed');
}

async function inBatches<T>(items: T[], size: number, fn: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(fn));
}

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'casino-bench-crash-'));
const resultsDir = path.join('load-tests', 'results', `${new Date().toISOString().replace(/[:.]/g, '-')}-crash-bench`);
fs.mkdirSync(resultsDir, { recursive: true });
const env = { ...ENV, DATA_DIR: dataDir };
say(`seeding ${PLAYERS} players…`);
const accounts = await seedPlayers(dataDir, env, PLAYERS);
const srv = await startOurServer(PORT, env, path.join(resultsDir, 'server.log'));
const rooms: Room[] = [];
try {
  const chain = await chainOfRoom(dataDir);

  // Receipts of the `cashouts` broadcast: per cash-out (by player name), how many players got it and when.
  const pending = new Map<string, { sentAt: number; received: number; lastAt: number }>();
  const receipt = newHistogram();
  say(`joining ${PLAYERS} players to crash-1…`);
  const joinStart = Date.now();
  await inBatches(accounts.map((a, i) => [a, i] as const), 25, async ([a, i]) => {
    const client = new Client(srv.url);
    client.auth.token = a.token;
    const room = await client.joinById('crash-1');
    room.onMessage('*', () => undefined);
    room.onMessage('cashouts', (m: CrashCashOutsMessage) => {
      const now = Date.now();
      for (const item of m.items) {
        const p = pending.get(item.name);
        if (!p) continue;
        p.received++;
        p.lastAt = Math.max(p.lastAt, now);
        recordMs(receipt, now - p.sentAt);
      }
    });
    rooms[i] = room; // by account: the cash-outs below name accounts[j]
  });
  say(`joined in ${((Date.now() - joinStart) / 1000).toFixed(1)} s`);
  const watch = rooms[0]!;
  const state = () => watch.state as unknown as { phase: string; roundNumber: number; chainIndex: number; startsAt: number; crashElapsedMs: number };

  // A round whose crash point leaves room for every cash-out, still ahead of us with its betting window open.
  let target = -1;
  for (let waited = 0; target < 0 && waited < 600_000; waited += 200) {
    const s = state();
    if (s?.phase === 'betting' && s.startsAt - Date.now() > 20_000) {
      const p = crashPointOf(chain.roundHash(s.chainIndex), SALT);
      if (!p.instant && p.crashCents >= MIN_CRASH_CENTS && p.crashCents <= MAX_CRASH_CENTS) target = s.roundNumber;
      else say(`round ${s.roundNumber} would crash at ${(p.crashCents / 100).toFixed(2)}×: waiting for the next`);
      if (target < 0) while (state().roundNumber === s.roundNumber) await sleep(200);
    } else await sleep(200);
  }
  if (target < 0) throw new Error('no suitable round within 10 minutes');
  const crashCents = crashPointOf(chain.roundHash(state().chainIndex), SALT).crashCents;
  say(`round ${target} (crash ${(crashCents / 100).toFixed(2)}×): ${PLAYERS} bets…`);
  const betAck = newHistogram();
  let betFailures = 0;
  const betsStart = Date.now();
  await inBatches(rooms.map((r, i) => [r, i] as const), 250, async ([room, i]) => {
    const t0 = performance.now();
    const reply = (await room.request('bet', { betId: `b${target}-${i}`, stakeMinor: 100 })) as CrashMessages['bet']['reply'];
    if (reply.ok) recordMs(betAck, performance.now() - t0);
    else betFailures++;
  });
  say(`bets acknowledged in ${((Date.now() - betsStart) / 1000).toFixed(1)} s (${betFailures} refused)`);
  while (state().phase !== 'running') await sleep(20);
  const startsAt = state().startsAt;
  const runMs = Math.min(20_000, (Math.log(crashCents / 100) / 0.00006) - 1500);
  const confirm = newHistogram();
  let cashOutFailures = 0;
  say(`running: ${CASHOUTS} cash-outs over ${(runMs / 1000).toFixed(1)} s…`);
  await Promise.all(Array.from({ length: CASHOUTS }, async (_, j) => {
    const at = startsAt + 500 + (j * (runMs - 500)) / CASHOUTS;
    await sleep(at - Date.now());
    const room = rooms[j]!;
    const name = accounts[j]!.username;
    const sentAt = Date.now();
    pending.set(name, { sentAt, received: 0, lastAt: 0 });
    const t0 = performance.now();
    const reply = (await room.request('cashOut', {})) as CrashMessages['cashOut']['reply'];
    if (reply.ok) recordMs(confirm, performance.now() - t0);
    else cashOutFailures++;
  }));
  while (state().phase !== 'crashed') await sleep(50);
  await sleep(2000);
  const allInformed = newHistogram();
  let incomplete = 0;
  for (const p of pending.values()) {
    if (p.received >= PLAYERS) recordMs(allInformed, p.lastAt - p.sentAt);
    else incomplete++;
  }
  const result = {
    players: PLAYERS, cashOuts: CASHOUTS, round: target, crashPoint: crashCents / 100,
    betAck: summarize(betAck), betFailures,
    cashOutConfirm: summarize(confirm), cashOutFailures,
    allPlayersInformed: summarize(allInformed), cashOutsNotSeenByEveryone: incomplete,
    receiptPerPlayer: summarize(receipt),
    machine: { cpus: os.cpus().length, load1: os.loadavg()[0] },
  };
  fs.writeFileSync(path.join(resultsDir, 'result.json'), JSON.stringify(result, null, 2));
  const row = (name: string, s: LatencySummary) => `${name.padEnd(34)} ${String(s.count).padStart(8)} ${s.p50Ms.toFixed(1).padStart(8)} ${s.p95Ms.toFixed(1).padStart(8)} ${s.p99Ms.toFixed(1).padStart(8)} ${s.maxMs.toFixed(1).padStart(8)}`;
  console.log(`\ncrash fan-out: ${PLAYERS} players in one room, ${CASHOUTS} manual cash-outs (crash at ${(crashCents / 100).toFixed(2)}×)`);
  console.log(`${'latency ms'.padEnd(34)} ${'count'.padStart(8)} ${'p50'.padStart(8)} ${'p95'.padStart(8)} ${'p99'.padStart(8)} ${'max'.padStart(8)}`);
  console.log(row('bet ack', result.betAck));
  console.log(row('cash-out → confirmation', result.cashOutConfirm));
  console.log(row('cash-out → every player informed', result.allPlayersInformed));
  console.log(row('cash-out → each player (receipt)', result.receiptPerPlayer));
  console.log(`refused bets ${betFailures}, refused cash-outs ${cashOutFailures}, cash-outs not seen by every player ${incomplete}; ${resultsDir}/result.json`);
} finally {
  await Promise.all(rooms.map((r) => r.leave().catch(() => undefined)));
  await srv.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
