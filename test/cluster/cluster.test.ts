import { expect } from 'chai';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, type Room } from '@colyseus/sdk';
import { openSqliteStore } from '../../server/store/sqlite/index.ts';
import type { ServerProcess } from '../support/process.ts';
import { http, scrapeMetrics } from '../support/server.ts';
import { cleanRedis, startClusterNode, testPrefix, waitFor } from '../support/cluster.ts';

const roomsOn = async (node: ServerProcess): Promise<number> => Number(/casino_rooms (\d+)/.exec(await scrapeMetrics(node.url))?.[1] ?? -1);

async function register(node: ServerProcess, name: string): Promise<string> {
  const res = await http(node.url, 'POST', '/auth/register', { username: `${name}${Date.now().toString(36)}`, password: 'cluster123' });
  expect(res.status, JSON.stringify(res.body)).to.equal(201);
  return res.body.token;
}

async function join(node: ServerProcess, token: string, roomId: string): Promise<Room> {
  const client = new Client(node.wsUrl);
  client.auth.token = token;
  const room = await client.joinById(roomId);
  room.onMessage('*', () => undefined);
  room.reconnection.enabled = false; // these tests re-join by room id, as documented for failover
  return room;
}

async function readStore<T>(dataDir: string, fn: (s: Awaited<ReturnType<typeof openSqliteStore>>) => Promise<T>): Promise<T> {
  const store = await openSqliteStore({ path: path.join(dataDir, 'casino.sqlite') });
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

describe('cluster: Redis presence, one owner per room, failover (real processes, real Redis)', function () {
  this.timeout(180_000);
  let dataDir: string;
  let prefix: string;
  let nodes: ServerProcess[] = [];

  beforeEach(function () {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'casino-cluster-'));
    prefix = testPrefix(this.currentTest!.title.slice(0, 12).replace(/\W/g, '_'));
    nodes = [];
  });
  afterEach(async () => {
    await Promise.all(nodes.map((n) => n.kill('SIGKILL')));
    await cleanRedis(prefix);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('lets a client connected through process A join and play at a table hosted by process B', async () => {
    const env = { DATA_DIR: dataDir, REDIS_PREFIX: prefix, ROULETTE_TABLES: '2', ROULETTE_BETTING_WINDOW_MS: '20000' };
    const b = await startClusterNode(env);
    nodes.push(b);
    await waitFor('both tables on B', async () => (await roomsOn(b)) === 2);
    const a = await startClusterNode(env);
    nodes.push(a);
    await new Promise((r) => setTimeout(r, 600)); // A's ownership loop ran: it must not duplicate B's tables
    expect(await roomsOn(a)).to.equal(0);

    const token = await register(a, 'viaA');
    const room = await join(a, token, 'roulette-1');
    expect((room.connection.transport as any).ws.url).to.include(`:${b.port}/`);
    await waitFor('betting', async () => (room.state as any).phase === 'betting');
    expect(await room.request('bet', { betId: 'cross-1', spot: { kind: 'odd' }, stakeMinor: 250 })).to.include({ ok: true });
    expect((await http(a.url, 'GET', '/wallet', undefined, token)).body.heldMinor).to.equal(250);

    const lobby = await new Client(a.wsUrl);
    lobby.auth.token = token;
    const l = await lobby.joinOrCreate('lobby');
    const listed: any[] = await new Promise((resolve) => l.onMessage('rooms', resolve));
    expect(listed.filter((r) => r.name === 'roulette').map((r) => r.roomId).sort()).to.deep.equal(['roulette-1', 'roulette-2']);
    await l.leave();
    await room.leave();
  });

  it('brings a killed process\'s table and market back on the survivor under betting load, losing no acknowledged bet', async () => {
    const env = { DATA_DIR: dataDir, REDIS_PREFIX: prefix, ROULETTE_TABLES: '1', ROULETTE_BETTING_WINDOW_MS: '2500', ROULETTE_SPIN_MS: '200', ROULETTE_PAUSE_MS: '300', BET_DELAY_MS: '0', ADMIN_USERNAME: 'ops', ADMIN_PASSWORD: 'ops-pass-1', CLIENT_MESSAGES_PER_SECOND: '200' };
    const b = await startClusterNode(env);
    nodes.push(b);
    const admin = (await http(b.url, 'POST', '/auth/login', { username: 'ops', password: 'ops-pass-1' })).body.token;
    expect((await http(b.url, 'POST', '/admin/events', { eventId: 'fail-1', league: 'E0', home: 'Arsenal', away: 'Chelsea', startsAt: Date.now() + 3_600_000 }, admin)).status).to.equal(201);
    await waitFor('table and event on B', async () => (await roomsOn(b)) === 2);
    const a = await startClusterNode(env);
    nodes.push(a);

    const acked = { roulette: new Set<string>(), market: new Set<string>() };
    const bots = await Promise.all(
      [0, 1, 2, 3].map(async (i) => {
        const token = await register(a, `bot${i}_`);
        return { i, token, table: await join(a, token, 'roulette-1'), market: await join(a, token, 'fail-1') };
      }),
    );
    let stop = false;
    let n = 0;
    const load = bots.map(async (bot) => {
      while (!stop) {
        const id = `b${bot.i}-${n++}`;
        try {
          const r: any = await bot.table.request('bet', { betId: id, spot: { kind: 'red' }, stakeMinor: 10 }, { timeout: 2000 });
          if (r.ok) acked.roulette.add(id);
          const m = bot.market.state as any;
          const price = m.markets?.get('1x2')?.selections.get('home')?.priceMilli;
          if (price) {
            const mr: any = await bot.market.request('bet', { betId: `m${id}`, marketId: '1x2', selectionId: 'home', stakeMinor: 10, priceMilli: price, acceptance: 'any' }, { timeout: 2000 });
            if (mr.ok) acked.market.add(`m${id}`);
          }
        } catch {
          return; // the connection died with the process
        }
        await new Promise((r) => setTimeout(r, 20));
      }
    });
    await waitFor('bets acknowledged before the kill', async () => acked.roulette.size > 20, 20_000, 20);
    expect(acked.roulette.size, 'bets acknowledged before the kill').to.be.greaterThan(20);

    const killedAt = Date.now();
    await b.kill('SIGKILL');
    stop = true;
    await Promise.all(load);
    const token = await register(a, 'rejoin');
    await waitFor('both rooms rebuilt on the survivor', async () => (await roomsOn(a)) === 2, 10_000, 20);
    const recoveredMs = Date.now() - killedAt;
    // Documented re-join: by the stable room id, through any live process. A join that reaches the
    // matchmaker before the takeover waits out Colyseus' 2 s IPC timeout to the dead process.
    const table = await waitFor('table back on the survivor', () => join(a, token, 'roulette-1'), 10_000, 50);
    const market = await waitFor('market back on the survivor', () => join(a, token, 'fail-1'), 10_000, 50);
    console.log(`      failover: rooms serving again on the survivor ${recoveredMs} ms after kill -9; client re-joined both after ${Date.now() - killedAt} ms`);
    if (process.env.DEBUG_FAILOVER) console.log(killedAt, a.output().split("\n").filter((l) => /acquired|handed|rebalanc|completing|rebuilt|finishing/.test(l)).join("\n"));
    expect(recoveredMs).to.be.lessThan(5000);
    await waitFor('a new round', async () => (table.state as any).phase === 'betting');
    expect(await table.request('bet', { betId: 'after-failover', spot: { kind: 'even' }, stakeMinor: 10 })).to.include({ ok: true });
    expect(await market.request('myBets', {})).to.have.property('ok', true);
    await table.leave();
    await market.leave();
    await a.kill('SIGTERM');

    await readStore(dataDir, async (store) => {
      const books = await store.wallet.reconcile();
      expect(books.ok, JSON.stringify(books)).to.equal(true);
      const journal = await store.journal.read('roulette-1', { limit: 10_000 });
      const placed = journal.filter((r) => r.type === 'BetPlaced').map((r) => (r.data as { betId: string }).betId);
      for (const id of acked.roulette) expect(placed.filter((p) => p === id), `roulette bet ${id}`).to.have.length(1);
      for (const id of acked.roulette) expect(await store.wallet.getHold(`roulette:roulette-1:bet:${id}`), `hold of ${id}`).to.not.equal(null);
      const events = await store.journal.read('fail-1', { limit: 10_000 });
      const requested = events.filter((r) => r.type === 'BetRequested').map((r) => (r.data as { betId: string }).betId);
      for (const id of acked.market) expect(requested.filter((p) => p === id), `market bet ${id}`).to.have.length(1);
      const owners = [...journal, ...events].filter((r) => r.type === 'OwnershipTaken').map((r) => (r.data as { fence: number }).fence);
      expect(owners.length).to.be.greaterThanOrEqual(4);
    });
  });

  it('refuses journal appends from a stale owner paused past its lease', async () => {
    // A long betting window keeps A's writes rare: A must not be frozen inside a write transaction,
    // where it would hold the shared SQLite file's write lock and B could not take over until it
    // resumes (docs/OPERATIONS.md, failure behaviour; the chaos suite covers that case).
    const env = { DATA_DIR: dataDir, REDIS_PREFIX: prefix, ROULETTE_TABLES: '1', ROULETTE_BETTING_WINDOW_MS: '20000', ROULETTE_SPIN_MS: '100', ROULETTE_PAUSE_MS: '100' };
    const a = await startClusterNode(env);
    nodes.push(a);
    await waitFor('table on A', async () => (await roomsOn(a)) === 1);
    const token = await register(a, 'stale');
    const seated = await join(a, token, 'roulette-1'); // keeps rounds turning on A
    await waitFor('rounds on A', async () => (seated.state as any).roundNumber >= 1);
    const b = await startClusterNode(env);
    nodes.push(b);

    a.child.kill('SIGSTOP');
    await waitFor('B took the table over', async () => (await roomsOn(b)) === 1, 10_000);
    a.child.kill('SIGCONT');
    await waitFor('A gave the table up', async () => (await roomsOn(a)) === 0, 10_000);
    const out = a.output();
    expect(out, 'A learned it lost the table').to.match(/journal\/stale_fence|lease lost to another process/);

    await b.kill('SIGTERM');
    await a.kill('SIGTERM');
    await readStore(dataDir, async (store) => {
      const journal = await store.journal.read('roulette-1', { limit: 10_000 });
      const fences = journal.filter((r) => r.type === 'OwnershipTaken').map((r) => (r.data as { fence: number }).fence);
      expect(fences.length).to.be.greaterThanOrEqual(2);
      expect([...fences].sort((x, y) => x - y), 'fences only increase').to.deep.equal(fences);
      // After B's takeover every record follows B's fence: no round was opened twice.
      const opened = journal.filter((r) => r.type === 'RoundOpened').map((r) => (r.data as { number: number }).number);
      expect(new Set(opened).size, 'each round opened once').to.equal(opened.length);
      expect(opened.every((v, i) => i === 0 || v === opened[i - 1]! + 1)).to.equal(true);
      expect((await store.wallet.reconcile()).ok).to.equal(true);
    });
  });

  it('re-opens a finished event whose room has closed, on some process, so an operator can re-settle it', async () => {
    const env = { DATA_DIR: dataDir, REDIS_PREFIX: prefix, ROULETTE_TABLES: '1', EVENT_LINGER_MS: '1500', BET_DELAY_MS: '0', ADMIN_USERNAME: 'ops', ADMIN_PASSWORD: 'ops-pass-1' };
    const a = await startClusterNode(env);
    nodes.push(a);
    const admin = (await http(a.url, 'POST', '/auth/login', { username: 'ops', password: 'ops-pass-1' })).body.token;
    expect((await http(a.url, 'POST', '/admin/events', { eventId: 'late-1', league: 'E0', home: 'Leeds', away: 'Spurs', startsAt: Date.now() + 60_000 }, admin)).status).to.equal(201);
    await waitFor('the event room', async () => (await roomsOn(a)) === 2);
    let seq = 0;
    for (const body of [{ type: 'kick_off', minute: 0 }, { type: 'full_time', minute: 90 }]) {
      const res = await http(a.url, 'POST', '/admin/feed', { eventId: 'late-1', seq: ++seq, at: Date.now(), ...body }, admin);
      expect(res.status, JSON.stringify(res.body)).to.equal(202);
    }
    await waitFor('the finished event room to close', async () => (await roomsOn(a)) === 1, 15_000);

    const resettled = await http(a.url, 'POST', '/admin/events/late-1/markets/1x2/resettle', { reason: 'result corrected by the league', result: { winner: 'home' } }, admin);
    expect(resettled.status, JSON.stringify(resettled.body)).to.equal(200);
    expect(resettled.body.events).to.include('MarketResettled');
    await readStore(dataDir, async (store) => {
      const journal = await store.journal.read('late-1', { limit: 10_000 });
      expect(journal.filter((r) => r.type === 'MarketResettled')).to.have.length(1);
    });
  });
});
