/**
 * The chaos suite: real server processes on a private Redis, players betting through any process
 * and following their rooms, and one fault per case. After each, the full books check
 * (test/support/chaos.ts) and ownership stability: at most one ownership change per room per fault.
 */
import { expect } from 'chai';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { ServerProcess } from '../support/process.ts';
import { http } from '../support/server.ts';
import { waitFor } from '../support/cluster.ts';
import { PrivateRedis, checkBooks, registerBots, roomsOn, startNode, type Acked, type Bot } from '../support/chaos.ts';

const ROOMS = [
  { kind: 'roulette' as const, roomId: 'roulette-1' },
  { kind: 'roulette' as const, roomId: 'roulette-2' },
  { kind: 'market' as const, roomId: 'chaos-1' },
];

function ownershipCounts(dataDir: string): Map<string, number> {
  const db = new DatabaseSync(path.join(dataDir, 'casino.sqlite'), { readOnly: true });
  try {
    const rows = db.prepare("SELECT room_id, COUNT(*) AS n FROM journal WHERE type = 'OwnershipTaken' GROUP BY room_id").all() as Array<{ room_id: string; n: number }>;
    return new Map(rows.map((r) => [String(r.room_id), Number(r.n)]));
  } finally {
    db.close();
  }
}

describe('cluster chaos: faults under betting load, then the books (real processes, private Redis)', function () {
  this.timeout(240_000);
  let redis: PrivateRedis;
  let dataDir: string;
  let nodes: ServerProcess[];
  let bots: Bot[];
  let acked: Acked;
  const live = () => nodes.filter((n) => n.child.exitCode === null && n.child.signalCode === null);
  const env = () => ({
    DATA_DIR: dataDir, ROULETTE_TABLES: '2', ROULETTE_BETTING_WINDOW_MS: '1500', ROULETTE_SPIN_MS: '200', ROULETTE_PAUSE_MS: '300',
    BET_DELAY_MS: '0', CLIENT_MESSAGES_PER_SECOND: '200', ADMIN_USERNAME: 'ops', ADMIN_PASSWORD: 'ops-pass-1',
  });

  /** Two processes sharing the three rooms (the second gets its share by hand-over), bots betting on all. */
  async function startCluster(): Promise<void> {
    const a = await startNode(redis, env());
    nodes.push(a);
    const admin = (await http(a.url, 'POST', '/auth/login', { username: 'ops', password: 'ops-pass-1' })).body.token;
    const created = await http(a.url, 'POST', '/admin/events', { eventId: 'chaos-1', league: 'E0', home: 'Arsenal', away: 'Chelsea', startsAt: Date.now() + 3_600_000 }, admin);
    expect(created.status, JSON.stringify(created.body)).to.equal(201);
    await waitFor('all rooms on the first process', async () => (await roomsOn(a)) === 3, 20_000);
    nodes.push(await startNode(redis, env()));
    bots = await registerBots(a, 6, ROOMS, live, acked);
    for (const b of bots) b.start();
    await waitFor('rooms spread over both processes by hand-over', async () => {
      const counts = await Promise.all(nodes.map(roomsOn));
      return counts.every((c) => c >= 1) && counts.reduce((x, y) => x + y, 0) === 3;
    }, 60_000, 200);
  }

  async function totalRooms(): Promise<number> {
    return (await Promise.all(live().map(roomsOn))).reduce((x, y) => x + Math.max(0, y), 0);
  }

  async function betsFlowing(ms: number): Promise<void> {
    const before = count(acked);
    await new Promise((r) => setTimeout(r, ms));
    expect(count(acked), 'bets acknowledged meanwhile').to.be.greaterThan(before);
  }

  /** Stops the bots and every process gracefully (rooms finish their rounds and hand over), then checks the books. */
  async function finish(): Promise<Map<string, number>> {
    await Promise.all(bots.map((b) => b.stop()));
    for (const n of live()) await n.kill('SIGTERM');
    const { ownershipChanges } = checkBooks(dataDir, acked);
    // Defect seen before: the matchmaker built a leased room on another process, whose lease holder then found no room.
    for (const n of nodes) expect(n.output(), 'no room built on a process without its lease').to.not.match(/could not create an acquired room[^\n]*not_found|not_found[^\n]*could not create an acquired room/);
    return ownershipChanges;
  }

  beforeEach(async () => {
    redis = await PrivateRedis.start();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'casino-chaos-'));
    nodes = [];
    bots = [];
    acked = { roulette: new Map(), market: new Map() };
  });

  afterEach(async function () {
    await Promise.all(bots.map((b) => b.stop()));
    await Promise.all(nodes.map((n) => n.kill('SIGKILL')));
    await redis.stop();
    if (this.currentTest?.state === 'failed') for (const n of nodes) console.log(n.output().split('\n').filter((l) => /"level":(40|50|60)/.test(l)).slice(-30).join('\n'));
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps one owner per room with no fault: at most one move per room (rebalancing), every bet in the books', async () => {
    await startCluster();
    const settled = ownershipCounts(dataDir);
    await betsFlowing(8000);
    expect(ownershipCounts(dataDir), 'no ownership change without a fault').to.deep.equal(settled);
    const changes = await finish();
    for (const { roomId } of ROOMS) expect(changes.get(roomId), `owners of ${roomId}`).to.be.at.most(2);
  });

  it('kill -9 of an owner under load: its rooms back on the survivor, no acknowledged bet lost, books exact', async () => {
    await startCluster();
    const before = ownershipCounts(dataDir);
    const victim = (await roomsOn(nodes[0]!)) >= (await roomsOn(nodes[1]!)) ? nodes[0]! : nodes[1]!;
    const killedAt = Date.now();
    await victim.kill('SIGKILL');
    await waitFor('every room on the survivor', async () => (await totalRooms()) === 3, 20_000, 20);
    console.log(`      kill -9: rooms serving on the survivor after ${Date.now() - killedAt} ms`);
    await betsFlowing(3000);
    const after = await finish();
    for (const { roomId } of ROOMS) expect((after.get(roomId) ?? 0) - (before.get(roomId) ?? 0), `ownership changes of ${roomId}`).to.be.at.most(1);
  });

  it('SIGSTOP of an owner past its lease, then SIGCONT: the paused process moves no money, no stake is left held', async () => {
    await startCluster();
    const before = ownershipCounts(dataDir);
    const victim = (await roomsOn(nodes[0]!)) >= (await roomsOn(nodes[1]!)) ? nodes[0]! : nodes[1]!;
    const other = victim === nodes[0] ? nodes[1]! : nodes[0]!;
    victim.child.kill('SIGSTOP');
    // With the embedded SQLite store shared by the processes, a process frozen in the middle of a
    // write transaction holds the file's write lock: the others then cannot write (nor take its
    // rooms) until it resumes. Safety does not depend on it (the fence does); the takeover waits.
    const tookOver = await waitFor('the other process took every room', async () => (await roomsOn(other)) === 3, 8_000, 50).then(() => true, () => false);
    await new Promise((r) => setTimeout(r, 1500));
    victim.child.kill('SIGCONT');
    console.log(`      SIGSTOP: rooms ${tookOver ? 'taken over during the pause' : 'kept: the paused process held the SQLite write lock'}`);
    await waitFor('each room on exactly one process', async () => (await totalRooms()) === 3, 20_000, 100);
    await betsFlowing(4000);
    const after = await finish();
    // Each room moves at most once for the pause, and once more when rebalancing gives the resumed
    // process its share back. When the paused process held the SQLite write lock, a takeover that
    // had claimed the room's fence may have timed out creating the room behind the lock and let the
    // lease go: one more move (docs/OPERATIONS.md: the SQLite frozen-writer limitation).
    const most = tookOver ? 2 : 3;
    for (const { roomId } of ROOMS) expect((after.get(roomId) ?? 0) - (before.get(roomId) ?? 0), `ownership changes of ${roomId}`).to.be.at.most(most);
    if (tookOver) expect(victim.output(), 'the resumed process learned it lost its rooms').to.match(/stale_fence|lease lost to another process/);
  });

  it('Redis stopped for 10 s and restarted empty: rooms keep their owners, players keep playing, books exact', async () => {
    await startCluster();
    const before = ownershipCounts(dataDir);
    await redis.stop();
    await new Promise((r) => setTimeout(r, 10_000));
    await redis.restart();
    await waitFor('every process ready again', async () => (await Promise.all(nodes.map((n) => http(n.url, 'GET', '/readyz').then((r) => r.status, () => 0)))).every((s) => s === 200), 30_000, 200);
    await betsFlowing(4000);
    expect(ownershipCounts(dataDir), 'no room changed hands across the Redis restart').to.deep.equal(before);
    expect(await totalRooms()).to.equal(3);
    await finish();
  });

  it('rolling restart of one process under load: its rooms hand over with nothing lost, then it gets its share back', async () => {
    await startCluster();
    const before = ownershipCounts(dataDir);
    const leaving = nodes[1]!;
    await leaving.kill('SIGINT');
    expect(leaving.child.exitCode, 'graceful exit').to.equal(0);
    await waitFor('every room on the remaining process', async () => (await totalRooms()) === 3, 40_000, 50);
    nodes.push(await startNode(redis, env()));
    await waitFor('the new process got its share', async () => (await roomsOn(nodes[2]!)) >= 1, 60_000, 200);
    await betsFlowing(2000);
    const after = await finish();
    for (const { roomId } of ROOMS) expect((after.get(roomId) ?? 0) - (before.get(roomId) ?? 0), `ownership changes of ${roomId}`).to.be.at.most(2);
  });
});

function count(acked: Acked): number {
  let n = 0;
  for (const m of [acked.roulette, acked.market]) for (const s of m.values()) n += s.size;
  return n;
}
