/**
 * A crash room in a cluster (real processes, real Redis): one owner, reachable through any
 * process; after kill -9 of its owner the survivor rebuilds it from the journal and the bet placed
 * before the kill is settled exactly once by the crash recovery rule.
 */
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

async function join(node: ServerProcess, token: string): Promise<Room> {
  const client = new Client(node.wsUrl);
  client.auth.token = token;
  const room = await client.joinById('crash-1');
  room.onMessage('*', () => undefined);
  room.reconnection.enabled = false;
  return room;
}

describe('crash room in a cluster (real processes, real Redis)', function () {
  this.timeout(120_000);
  let dataDir: string;
  let prefix: string;
  const nodes: ServerProcess[] = [];
  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'casino-crash-cluster-'));
    prefix = testPrefix('crash_cluster');
  });
  afterEach(async () => {
    await Promise.all(nodes.splice(0).map((n) => n.kill('SIGKILL')));
    await cleanRedis(prefix);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('has one owner, is played through the other process, and comes back on the survivor after kill -9 with the stake settled once', async () => {
    const env = { DATA_DIR: dataDir, REDIS_PREFIX: prefix, ROULETTE_TABLES: '0', CRASH_ROOMS: '1', CRASH_CHAIN_LENGTH: '100', CRASH_BETTING_WINDOW_MS: '60000', CRASH_PAUSE_MS: '500', DEMO_BALANCE_MINOR: '10000' };
    const owner = await startClusterNode(env);
    nodes.push(owner);
    await waitFor('crash-1 on the first process', async () => (await roomsOn(owner)) === 1);
    const other = await startClusterNode(env);
    nodes.push(other);
    // The second process takes no copy: one owner.
    await new Promise((r) => setTimeout(r, 1500));
    expect(await roomsOn(other)).to.equal(0);

    const reg = await http(other.url, 'POST', '/auth/register', { username: `crcl${Date.now().toString(36)}`, password: 'cluster123' });
    const token = reg.body.token as string;
    const room = await join(other, token); // matchmaking through the other process reaches the owner
    await waitFor('betting', async () => (room.state as any)?.phase === 'betting', 10_000, 50);
    expect(await room.request('bet', { betId: 'c1', stakeMinor: 700 })).to.include({ ok: true });
    expect((await http(other.url, 'GET', '/wallet', undefined, token)).body.heldMinor).to.equal(700);

    await owner.kill('SIGKILL');
    await waitFor('crash-1 rebuilt on the survivor', async () => (await roomsOn(other)) === 1, 15_000, 100);
    // Killed while betting was open: the round is voided and the stake released, once.
    await waitFor('stake released', async () => (await http(other.url, 'GET', '/wallet', undefined, token)).body.heldMinor === 0, 10_000, 100);
    expect((await http(other.url, 'GET', '/wallet', undefined, token)).body.balanceMinor).to.equal(10000);
    const record = (await http(other.url, 'GET', '/fairness/rounds/crash-1%3A1')).body;
    expect(record.status).to.equal('voided');
    await other.kill('SIGTERM');
    nodes.splice(0);
    const store = await openSqliteStore({ path: path.join(dataDir, 'casino.sqlite') });
    try {
      const books = await store.wallet.reconcile();
      expect(books.ok, JSON.stringify(books)).to.equal(true);
      expect(books.openHoldCount).to.equal(0);
    } finally {
      await store.close();
    }
  });
});
