/**
 * Blackjack tables in a cluster (real processes, real Redis): one owner per table, reached through
 * any process; when the owner is killed mid-hand the survivor takes the table over and the hand
 * continues there (same cards, same turn), then settles once; the books balance.
 */
import { expect } from 'chai';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, type Room } from '@colyseus/sdk';
import { openSqliteStore } from '../../server/store/sqlite/index.ts';
import { handCards, standToTheEnd, untilMidHand } from '../support/blackjack.ts';
import { cleanRedis, startClusterNode, testPrefix, waitFor } from '../support/cluster.ts';
import type { ServerProcess } from '../support/process.ts';
import { http, scrapeMetrics } from '../support/server.ts';
import { waitForState } from '../support/wait.ts';

const roomsOn = async (node: ServerProcess): Promise<number> => Number(/casino_rooms (\d+)/.exec(await scrapeMetrics(node.url))?.[1] ?? -1);

async function join(node: ServerProcess, token: string): Promise<Room> {
  const client = new Client(node.wsUrl);
  client.auth.token = token;
  const room = await client.joinById('blackjack-1');
  room.onMessage('*', () => undefined);
  room.reconnection.enabled = false; // re-joined by id after the failover, as documented
  return room;
}

describe('cluster: blackjack table ownership and failover mid-hand (real processes, real Redis)', function () {
  this.timeout(180_000);
  let dataDir: string;
  let prefix: string;
  const nodes: ServerProcess[] = [];

  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'casino-bj-cluster-'));
    prefix = testPrefix('bjfail');
  });
  afterEach(async () => {
    await Promise.all(nodes.splice(0).map((n) => n.kill('SIGKILL')));
    await cleanRedis(prefix);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('hosts the table on one process and continues its hand on the survivor after kill -9', async () => {
    const env = {
      DATA_DIR: dataDir, REDIS_PREFIX: prefix, ROULETTE_TABLES: '0', BLACKJACK_TABLES: '1', DEMO_BALANCE_MINOR: '100000',
      BLACKJACK_BETTING_WINDOW_MS: '1500', BLACKJACK_DECISION_MS: '60000', BLACKJACK_PAUSE_MS: '500',
    };
    const owner = await startClusterNode(env);
    nodes.push(owner);
    await waitFor('the table on the first process', async () => (await roomsOn(owner)) === 1);
    const survivor = await startClusterNode(env);
    nodes.push(survivor);
    await new Promise((r) => setTimeout(r, 600)); // the survivor's ownership loop ran: no second copy
    expect(await roomsOn(survivor)).to.equal(0);

    const register = async (name: string) => (await http(survivor.url, 'POST', '/auth/register', { username: `${name}${Date.now().toString(36)}`, password: 'cluster123' })).body.token as string;
    const [ta, tb] = [await register('bjfa'), await register('bjfb')];
    let ra = await join(survivor, ta); // through the survivor, hosted by the owner
    let rb = await join(survivor, tb);
    expect((ra.connection.transport as any).ws.url).to.include(`:${owner.port}/`);
    const mid = await untilMidHand(ra, rb, 1000);
    const before = await waitForState(ra, (s: any) => s.turnSeat === mid.turn.seat && s.turnHand === mid.turn.hand, 3000, 'the turn after seat 0 acted');
    const cards = handCards(before);
    // The reply came after the decision was journaled (write-ahead): killing now loses nothing acknowledged.

    await owner.kill('SIGKILL');
    await waitFor('the survivor owns the table', async () => (await roomsOn(survivor)) === 1, 15_000, 100);
    ra = await join(survivor, ta);
    rb = await join(survivor, tb);
    const resumed = await waitForState(ra, (s: any) => s.roundId === mid.roundId && s.phase === 'playing', 5000, 'the rebuilt table');
    expect(handCards(resumed), 'the same cards, nothing dealt again').to.deep.equal(cards);
    expect([resumed.turnSeat, resumed.turnHand], 'the same turn').to.deep.equal([mid.turn.seat, mid.turn.hand]);
    await standToTheEnd([ra, rb], mid.roundId);
    await waitFor('stakes settled', async () => (await http(survivor.url, 'GET', '/wallet', undefined, ta)).body.heldMinor === 0, 5000, 50);
    await rb.leave();
    const room = ra;
    await room.leave();
    await survivor.kill('SIGTERM');
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
