/**
 * Player protection across a cluster: two real server processes sharing one store and the real
 * Redis (a private key prefix), each owning one roulette table. Parallel bets at both tables can
 * never pass a wager limit between them (the limit is checked inside the store's reserve), and a
 * self-exclusion taken through one process removes the player from the table on the other within
 * a second (Redis pub/sub). A reality check due reaches the player at both tables, pauses betting at
 * both until it is acknowledged (over HTTP, at either process), and the acknowledgement resumes both.
 */
import { expect } from 'chai';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, type Room } from '@colyseus/sdk';
import type { ServerProcess } from '../support/process.ts';
import { cleanRedis, startClusterNode, testPrefix, waitFor } from '../support/cluster.ts';
import { roomsOn } from '../support/chaos.ts';
import { http } from '../support/server.ts';
import { waitForMessage, waitForState } from '../support/wait.ts';
import { PROTECTION_CLOSE_CODE } from '../../rooms/protection.ts';
import { openSqliteStore } from '../../server/store/sqlite/index.ts';
import { playerAccountId } from '../../server/wallet/service.ts';

describe('player protection across processes (two servers, real Redis)', function () {
  this.timeout(120_000);
  let prefix: string;
  let dataDir: string;
  let nodes: ServerProcess[] = [];

  before(async () => {
    prefix = testPrefix('protection');
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'casino-protection-'));
    const env = {
      DATA_DIR: dataDir, REDIS_PREFIX: prefix, ROULETTE_TABLES: '2', ROULETTE_BETTING_WINDOW_MS: '30000', ROULETTE_SPIN_MS: '100', ROULETTE_PAUSE_MS: '100',
      DEMO_BALANCE_MINOR: '100000', CLIENT_MESSAGES_PER_SECOND: '500',
    };
    nodes.push(await startClusterNode(env));
    await waitFor('both tables on the first process', async () => (await roomsOn(nodes[0]!)) === 2, 30_000);
    nodes.push(await startClusterNode(env));
    await waitFor('one table on each process', async () => (await roomsOn(nodes[0]!)) === 1 && (await roomsOn(nodes[1]!)) === 1, 60_000, 200);
  });

  after(async () => {
    await Promise.all(nodes.map((n) => n.kill('SIGKILL')));
    nodes = [];
    await cleanRedis(prefix);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  async function player(name: string): Promise<{ token: string; userId: string; username: string; rooms: Room[] }> {
    const username = `${name}${process.pid}${Date.now().toString(36)}`;
    const reg = await http(nodes[0]!.url, 'POST', '/auth/register', { username, password: 'correct-horse-1' });
    expect(reg.status, JSON.stringify(reg.body)).to.equal(201);
    const rooms: Room[] = [];
    for (const [i, tableId] of ['roulette-1', 'roulette-2'].entries()) {
      const client = new Client(nodes[i]!.wsUrl);
      client.auth.token = reg.body.token;
      const room = await client.joinById(tableId);
      room.onMessage('*', () => undefined);
      room.reconnection.enabled = false;
      rooms.push(room);
    }
    return { token: reg.body.token, userId: reg.body.userId, username, rooms };
  }

  it('never lets parallel bets at tables on two processes pass a wager limit', async () => {
    const p = await player('race');
    const set = await http(nodes[1]!.url, 'PUT', '/protection/limits', { metric: 'wager', period: 'day', valueMinor: 1_000 }, p.token);
    expect(set.status, JSON.stringify(set.body)).to.equal(200);
    await Promise.all(p.rooms.map((r) => waitForState(r, (s: any) => s.phase === 'betting', 20_000, 'betting')));
    // One bet at each table first: both processes are serving this player's stakes.
    for (const [t, room] of p.rooms.entries()) expect(await room.request('bet', { betId: `first-${t}`, spot: { kind: 'red' }, stakeMinor: 100 })).to.include({ ok: true });
    // Interleaved, so both processes reserve at the same time.
    const replies: any[] = await Promise.all(Array.from({ length: 20 }, (_, i) => p.rooms.map((room, t) =>
      room.request('bet', { betId: `race-${t}-${i}`, spot: { kind: 'red' }, stakeMinor: 100 }))).flat());
    const accepted = replies.filter((r) => r.ok);
    const codes = new Set(replies.filter((r) => !r.ok).map((r) => r.error.code));
    expect(accepted.length, `${JSON.stringify([...codes])}: 200 used before, 800 left`).to.equal(8);
    expect([...codes]).to.deep.equal(['protection/wager_limit']);
    const perTable = [0, 1].map((t) => accepted.filter((r) => r.bet.betId.startsWith(`race-${t}-`)).length);
    console.log(`      wager limit 1,000 (200 used): the parallel burst got ${perTable.join(' + ')} bets of 100 accepted at the two processes' tables, ${replies.length - accepted.length} refused`);
    const wallet = await http(nodes[0]!.url, 'GET', '/wallet', undefined, p.token);
    expect(wallet.body.heldMinor).to.equal(1_000);
    const status = await http(nodes[0]!.url, 'GET', '/protection', undefined, p.token);
    expect(status.body.usage.counters.wager.day).to.equal(1_000);
    for (const r of p.rooms) await r.leave();
  });

  it('shows a due reality check at the tables on both processes, pauses betting at both until it is acknowledged, and the acknowledgement resumes both', async () => {
    const p = await player('rc');
    // The processes run on the real clock and the shortest interval is 5 minutes: the session is
    // made to have started 5 minutes ago in the shared store (as a long session would have), so the
    // check falls due as soon as the player chooses the interval.
    const store = await openSqliteStore({ path: path.join(dataDir, 'casino.sqlite') });
    try {
      const record = (await store.protection.get(playerAccountId(p.userId)))!;
      const saved = await store.protection.save({ ...record, version: record.version + 1, controls: { ...record.controls, sessionStartedAt: Date.now() - 5 * 60_000 - 1_000 } });
      expect(saved).to.equal(true);
    } finally {
      await store.close();
    }
    const checks = p.rooms.map((r) => waitForMessage(r, 'realityCheck', () => true, 5_000));
    const started = Date.now();
    const set = await http(nodes[0]!.url, 'PUT', '/protection/reality-check', { minutes: 5 }, p.token);
    expect(set.status, JSON.stringify(set.body)).to.equal(200);
    const shown = await Promise.all(checks);
    console.log(`      reality check: shown at both processes' tables ${Date.now() - started} ms after the interval that made it due was set`);
    for (const check of shown) {
      expect(check.sessionMs).to.be.at.least(5 * 60_000);
      expect(check).to.include({ paused: true, netResultMinor: 0 });
    }
    expect(shown[1]).to.deep.equal(shown[0], 'one check, decided once, delivered to both');
    await Promise.all(p.rooms.map((r) => waitForState(r, (s: any) => s.phase === 'betting', 20_000, 'betting')));
    for (const [t, room] of p.rooms.entries()) {
      const paused: any = await room.request('bet', { betId: `rc-paused-${t}`, spot: { kind: 'red' }, stakeMinor: 100 });
      expect(paused.error?.code, `table on process ${t}`).to.equal('protection/reality_check_pending');
    }
    const ack = await http(nodes[1]!.url, 'POST', '/protection/reality-check/ack', {}, p.token);
    expect(ack.status, JSON.stringify(ack.body)).to.equal(200);
    expect(ack.body.bettingPaused).to.equal(false);
    await Promise.all(p.rooms.map((r) => waitForState(r, (s: any) => s.phase === 'betting', 20_000, 'betting')));
    for (const [t, room] of p.rooms.entries()) {
      const resumed: any = await room.request('bet', { betId: `rc-resumed-${t}`, spot: { kind: 'red' }, stakeMinor: 100 });
      expect(resumed, `table on process ${t}: ${JSON.stringify(resumed)}`).to.include({ ok: true });
    }
    const wallet = await http(nodes[0]!.url, 'GET', '/wallet', undefined, p.token);
    expect(wallet.body.heldMinor).to.equal(200);
    for (const r of p.rooms) await r.leave();
  });

  it('removes a self-excluded player from the table on the other process within a second', async () => {
    const p = await player('sx');
    const closed = p.rooms.map((r) => new Promise<{ code: number; at: number }>((resolve) => r.onLeave((code) => resolve({ code, at: Date.now() }))));
    const started = Date.now();
    const res = await http(nodes[0]!.url, 'POST', '/protection/self-exclusion', { months: 'permanent' }, p.token);
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    const leaves = await Promise.all(closed);
    expect(leaves.map((l) => l.code)).to.deep.equal([PROTECTION_CLOSE_CODE, PROTECTION_CLOSE_CODE]);
    const slowest = Math.max(...leaves.map((l) => l.at - started));
    console.log(`      self-exclusion: removed from both processes' tables ${slowest} ms after the request`);
    expect(slowest).to.be.lessThan(1_000);
    const other = await http(nodes[1]!.url, 'GET', '/wallet', undefined, p.token);
    expect(other.body.error.code, 'the token is revoked on the other process too').to.equal('auth/token_revoked');
  });
});
