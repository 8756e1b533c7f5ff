/**
 * Crash rooms killed with SIGKILL in the betting and running phases (real processes, the real
 * store): the documented recovery rule (docs/FAIRNESS.md, crash) settles every stake exactly once.
 * The test reads each room's chain seed from the journal (as an auditor could) to pick a room whose
 * first round crashes in the range a case needs, instead of waiting on random rounds.
 */
import { expect } from 'chai';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { Client, type Room } from '@colyseus/sdk';
import { DatabaseSync } from 'node:sqlite';
import { HashChain, crashElapsedMs, crashPointOf } from '../../actors/crash/index.ts';
import { openSqliteStore } from '../../server/store/sqlite/index.ts';
import { waitFor } from '../support/cluster.ts';
import { startServerProcess, type ServerProcess } from '../support/process.ts';
import { http } from '../support/server.ts';
import { waitForState } from '../support/wait.ts';

const ROOMS = 40;
const SALT = 'casino-live-crash-v1';

async function player(srv: ServerProcess, name: string) {
  const reg = await http(srv.url, 'POST', '/auth/register', { username: name, password: 'recover123' });
  expect(reg.status, JSON.stringify(reg.body)).to.equal(201);
  return { token: reg.body.token as string, userId: reg.body.userId as string };
}

async function join(srv: ServerProcess, token: string, tableId: string): Promise<Room> {
  const client = new Client(srv.wsUrl);
  client.auth.token = token;
  const room = await client.join('crash', { tableId });
  room.onMessage('*', () => undefined);
  room.reconnection.enabled = false; // these tests kill the server on purpose
  return room;
}

function readJournal(dataDir: string, roomId: string, type: string): any[] {
  const db = new DatabaseSync(path.join(dataDir, 'casino.sqlite'), { readOnly: true });
  try {
    return db.prepare('SELECT data FROM journal WHERE room_id = ? AND type = ? ORDER BY seq').all(roomId, type).map((r: any) => JSON.parse(String(r.data)));
  } finally {
    db.close();
  }
}

/** The first room whose first round crashes (not instantly) within [minCents, maxCents]. */
function pickRoom(dataDir: string, minCents: number, maxCents: number): { tableId: string; crashCents: number } {
  for (let i = 1; i <= ROOMS; i++) {
    const [seed] = readJournal(dataDir, `crash-${i}`, 'CrashChainSeed');
    const p = crashPointOf(new HashChain(seed.seed, seed.length).roundHash(1), SALT);
    if (!p.instant && p.crashCents >= minCents && p.crashCents <= maxCents) return { tableId: `crash-${i}`, crashCents: p.crashCents };
  }
  throw new Error(`no room's first round crashes in ${minCents}..${maxCents}`);
}

async function books(dataDir: string) {
  const store = await openSqliteStore({ path: path.join(dataDir, 'casino.sqlite') });
  try {
    return await store.wallet.reconcile();
  } finally {
    await store.close();
  }
}

const wallet = async (srv: ServerProcess, token: string) => (await http(srv.url, 'GET', '/wallet', undefined, token)).body;

describe('crash recovery after kill -9 (real processes)', function () {
  this.timeout(180_000);
  let dataDir: string;
  let srv: ServerProcess | null = null;
  beforeEach(() => (dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'casino-crash-recovery-'))));
  afterEach(async () => {
    await srv?.kill('SIGKILL');
    srv = null;
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const env = (dir: string, windowMs: number, pauseMs = 60_000) => ({ DATA_DIR: dir, ROULETTE_TABLES: '0', CRASH_ROOMS: String(ROOMS), CRASH_CHAIN_LENGTH: '100', CRASH_BETTING_WINDOW_MS: String(windowMs), CRASH_PAUSE_MS: String(pauseMs), DEMO_BALANCE_MINOR: '10000' });

  it('betting was open: the round is voided, every stake released, its hash revealed; the chain goes on', async () => {
    const e = env(dataDir, 60_000, 500);
    srv = await startServerProcess(e);
    const a = await player(srv, 'crkill_bet_a');
    const b = await player(srv, 'crkill_bet_b');
    const ra = await join(srv, a.token, 'crash-1');
    const rb = await join(srv, b.token, 'crash-1');
    const open = await waitForState(ra, (s: any) => s.phase === 'betting', 5000);
    const terminal: string = open.terminalHash;
    expect(await ra.request('bet', { betId: 'a1', stakeMinor: 1500, autoCashOut: 2 })).to.include({ ok: true });
    expect(await rb.request('bet', { betId: 'b1', stakeMinor: 2500 })).to.include({ ok: true });
    expect((await wallet(srv, a.token)).heldMinor).to.equal(1500);
    await waitFor('bets durable', async () => readJournal(dataDir, 'crash-1', 'BetPlaced').length === 2, 5000, 20);

    await srv.kill('SIGKILL');
    srv = await startServerProcess(e);
    for (const who of [a, b]) expect(await wallet(srv, who.token), 'stakes released').to.deep.include({ balanceMinor: 10000, heldMinor: 0 });
    const voided = (await http(srv.url, 'GET', '/fairness/rounds/crash-1%3A1')).body;
    expect(voided).to.include({ status: 'voided', chainIndex: 1, terminalHash: terminal, crashCents: null });
    expect(createHash('sha256').update(voided.roundHash).digest('hex')).to.equal(terminal);
    // Each player's record: the stake refunded, no result, the balance unchanged by the release.
    const [recall] = (await http(srv.url, 'GET', '/games/recent', undefined, a.token)).body.items;
    expect(recall).to.deep.include({ roundId: 'crash-1:1', game: 'crash', result: null, stakeMinor: 1500, winningsMinor: 1500, balanceBeforeMinor: 10000, balanceAfterMinor: 10000 });
    expect(recall.bets[0]).to.include({ betId: 'a1', voided: true });
    expect(recall.proof).to.include({ status: 'voided', roundHash: voided.roundHash });

    const again = await join(srv, a.token, 'crash-1');
    const next = await waitForState(again, (s: any) => s.phase === 'betting' && s.roundNumber === 2, 5000);
    expect(next.chainIndex).to.equal(2);
    await again.leave();
    await srv.kill('SIGTERM');
    srv = null;
    const result = await books(dataDir);
    expect(result.ok, JSON.stringify(result)).to.equal(true);
    expect(result.openHoldCount).to.equal(0);
  });

  it('running, back after the crash time: the auto cash-out below the crash point pays, the bet still in loses, once', async () => {
    const e = env(dataDir, 1500);
    srv = await startServerProcess(e);
    const { tableId, crashCents } = pickRoom(dataDir, 105, 160);
    const a = await player(srv, 'crkill_after_a');
    const b = await player(srv, 'crkill_after_b');
    const ra = await join(srv, a.token, tableId);
    const rb = await join(srv, b.token, tableId);
    await waitForState(ra, (s: any) => s.phase === 'betting', 5000);
    expect(await ra.request('bet', { betId: 'a1', stakeMinor: 1000, autoCashOut: 1.02 })).to.include({ ok: true });
    expect(await rb.request('bet', { betId: 'b1', stakeMinor: 1000 })).to.include({ ok: true });
    await waitFor('the auto cash-out journaled', async () => readJournal(dataDir, tableId, 'CashedOut').length === 1, 10_000, 10);
    const [opened] = readJournal(dataDir, tableId, 'RoundOpened');
    expect(opened.crashCents).to.equal(crashCents);
    await srv.kill('SIGKILL');
    // Back only after the crash instant: the recovery itself crashes the round.
    const crashAt = opened.startsAt + crashElapsedMs({ crashCents, instant: false });
    await waitFor('crash time passed', async () => Date.now() > crashAt + 100, 20_000, 50);
    srv = await startServerProcess(e);
    const proof = (await http(srv.url, 'GET', `/fairness/rounds/${tableId}%3A1`)).body;
    expect(proof).to.include({ status: 'crashed', crashCents });
    const [crashed] = readJournal(dataDir, tableId, 'RoundCrashed');
    expect(crashed.at).to.equal(crashAt);
    expect(crashed.lost.map((l: any) => l.betId)).to.deep.equal(['b1']);
    expect(await wallet(srv, a.token)).to.deep.include({ balanceMinor: 10000 - 1000 + 1020, heldMinor: 0 });
    expect(await wallet(srv, b.token)).to.deep.include({ balanceMinor: 9000, heldMinor: 0 });
    // The records quote each bet's settlement: the cash-out the first process paid, the loss the recovery took.
    const recall = async (token: string) => (await http(srv!.url, 'GET', '/games/recent', undefined, token)).body.items;
    expect((await recall(a.token))[0]).to.deep.include({ roundId: `${tableId}:1`, result: crashCents, stakeMinor: 1000, winningsMinor: 1020, balanceBeforeMinor: 10000, balanceAfterMinor: 10020 });
    expect((await recall(b.token))[0]).to.deep.include({ roundId: `${tableId}:1`, result: crashCents, stakeMinor: 1000, winningsMinor: 0, balanceBeforeMinor: 10000, balanceAfterMinor: 9000 });

    // A second restart settles nothing again.
    await srv.kill('SIGKILL');
    srv = await startServerProcess(e);
    expect((await wallet(srv, a.token)).balanceMinor).to.equal(10020);
    expect((await recall(a.token)).map((r: any) => r.roundId)).to.deep.equal([`${tableId}:1`]);
    await srv.kill('SIGTERM');
    srv = null;
    const result = await books(dataDir);
    expect(result.ok, JSON.stringify(result)).to.equal(true);
    expect(result.openHoldCount).to.equal(0);
  });

  it('running, back before the crash time: the round goes on, a manual cash-out and an auto target are paid on the new process', async () => {
    const e = env(dataDir, 1500);
    srv = await startServerProcess(e);
    const { tableId, crashCents } = pickRoom(dataDir, 250, 600);
    const a = await player(srv, 'crkill_before_a');
    const b = await player(srv, 'crkill_before_b');
    let ra = await join(srv, a.token, tableId);
    const rb = await join(srv, b.token, tableId);
    await waitForState(ra, (s: any) => s.phase === 'betting', 5000);
    expect(await ra.request('bet', { betId: 'a1', stakeMinor: 1000 })).to.include({ ok: true });
    expect(await rb.request('bet', { betId: 'b1', stakeMinor: 1000, autoCashOut: 2.2 })).to.include({ ok: true });
    await waitForState(ra, (s: any) => s.phase === 'running', 5000);
    await waitFor('the start durable', async () => readJournal(dataDir, tableId, 'RoundStarted').length === 1, 5000, 10);
    await srv.kill('SIGKILL');
    srv = await startServerProcess(e);
    ra = await join(srv, a.token, tableId);
    const running = await waitForState(ra, (s: any) => s.phase === 'running' && s.roundNumber === 1, 5000);
    expect(running.startsAt).to.equal(readJournal(dataDir, tableId, 'RoundOpened')[0].startsAt); // the same curve
    const out = await ra.request('cashOut', {});
    expect(out, JSON.stringify(out)).to.include({ ok: true, reason: 'manual' });
    expect(out.multiplierCents).to.be.above(100).and.below(220);
    await waitForState(ra, (s: any) => s.phase === 'crashed', 40_000);
    const record = await waitFor('the crash recorded', async () => {
      const r = (await http(srv!.url, 'GET', `/fairness/rounds/${tableId}%3A1`)).body;
      return r.status === 'crashed' && r;
    }, 5000, 50);
    expect(record).to.include({ crashCents });
    expect(await wallet(srv, a.token)).to.deep.include({ balanceMinor: 9000 + out.payoutMinor, heldMinor: 0 });
    expect(await wallet(srv, b.token)).to.deep.include({ balanceMinor: 9000 + 2200, heldMinor: 0 });
    await srv.kill('SIGTERM');
    srv = null;
    const result = await books(dataDir);
    expect(result.ok, JSON.stringify(result)).to.equal(true);
    expect(result.openHoldCount).to.equal(0);
  });
});
