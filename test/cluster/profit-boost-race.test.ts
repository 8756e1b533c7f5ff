/**
 * One profit-boost token raced across processes (docs/PROMOTIONS.md §3): a player fires boosted
 * bets with the same token at two events hosted by two server processes (real processes, real
 * Redis, one shared SQLite file), at once. The token is consumed inside the stake's atomic wallet
 * call, so exactly one bet is placed with it; the other is `promo/no_token` and moved no money.
 */
import { expect } from 'chai';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, type Room } from '@colyseus/sdk';
import { openSqliteStore } from '../../server/store/sqlite/index.ts';
import type { ServerProcess } from '../support/process.ts';
import { http } from '../support/server.ts';
import { cleanRedis, startClusterNode, testPrefix, waitFor } from '../support/cluster.ts';

const DAY = 86_400_000;

describe('a profit-boost token raced across two server processes (real processes, real Redis)', function () {
  this.timeout(120_000);
  let dataDir: string;
  let prefix: string;
  const nodes: ServerProcess[] = [];

  before(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'casino-boost-race-'));
    prefix = testPrefix('boost_race');
  });
  after(async () => {
    await Promise.all(nodes.map((n) => n.kill('SIGKILL')));
    await cleanRedis(prefix);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('places exactly one of two boosted bets fired with one token at events on different processes', async () => {
    const env = { DATA_DIR: dataDir, REDIS_PREFIX: prefix, ROULETTE_TABLES: '0', DEMO_BALANCE_MINOR: '10000', BET_DELAY_MS: '0', ADMIN_USERNAME: 'ops', ADMIN_PASSWORD: 'ops-pass-1', BONUS_EXPIRY_SWEEP_MS: '0' };
    const b = await startClusterNode(env);
    nodes.push(b);
    const admin = (await http(b.url, 'POST', '/auth/login', { username: 'ops', password: 'ops-pass-1' })).body.token;
    const event = (node: ServerProcess, eventId: string) => http(node.url, 'POST', '/admin/events', { eventId, league: 'E0', home: 'Hull', away: 'Stoke', startsAt: Date.now() + 3_600_000 }, admin);
    expect((await event(b, 'race-b')).status).to.equal(201);
    const a = await startClusterNode(env);
    nodes.push(a);
    expect((await event(a, 'race-a')).status).to.equal(201);
    const campaign = {
      id: 'race-pb', name: 'Race boost', status: 'active', startsAt: new Date(Date.now() - 60_000).toISOString(), endsAt: new Date(Date.now() + DAY).toISOString(), budgetMinor: 10_000, reason: 'race test',
      terms: { kind: 'profit_boost', boostPct: 50, maxExtraMinor: 400, minPriceMilli: 1_010, validForMs: DAY },
    };
    expect((await http(b.url, 'POST', '/admin/promotions', campaign, admin)).status).to.equal(201);

    const reg = await http(a.url, 'POST', '/auth/register', { username: `boostrace${Date.now().toString(36)}`, password: 'cluster123' });
    expect(reg.status, JSON.stringify(reg.body)).to.equal(201);
    const { token, userId } = reg.body;
    const claimed = await waitFor('the claim on A (the campaign journal followed)', async () => {
      const r = await http(a.url, 'POST', '/promotions/race-pb/claim', {}, token);
      return r.status === 201 || r.body?.error?.code === 'promo/already_claimed' ? r : null;
    });
    expect(claimed.status, JSON.stringify(claimed.body)).to.equal(201);
    const tokenId = `promo:race-pb:claim:${userId}`;

    const join = async (eventId: string): Promise<Room> => {
      const client = new Client(a.wsUrl);
      client.auth.token = token;
      const room = await client.joinById(eventId);
      room.onMessage('*', () => undefined);
      room.reconnection.enabled = false;
      return room;
    };
    const rooms = [await waitFor('race-a listed', () => join('race-a')), await waitFor('race-b listed', () => join('race-b'))];
    const host = (r: Room) => /:(\d+)\//.exec((r.connection.transport as any).ws.url as string)![1];
    expect(host(rooms[0]!), 'the two events are hosted by different processes').not.to.equal(host(rooms[1]!));
    for (const r of rooms) await waitFor('markets open', async () => (r.state as any).markets?.get('1x2')?.status === 'open');

    const fire = (r: Room, betId: string) => {
      const priceMilli = (r.state as any).markets.get('1x2').selections.get('home').priceMilli as number;
      return r.request('bet', { betId, marketId: '1x2', selectionId: 'home', stakeMinor: 1_000, priceMilli, acceptance: 'exact', profitBoostId: tokenId }) as Promise<any>;
    };
    const replies = await Promise.all([fire(rooms[0]!, 'race-1'), fire(rooms[1]!, 'race-2')]);
    const placed = replies.filter((r) => r.ok);
    expect(placed, JSON.stringify(replies)).to.have.length(1);
    expect(replies.find((r) => !r.ok).error.code).to.equal('promo/no_token');
    expect(placed[0].profitBoost).to.deep.equal({ boostPct: 50, maxExtraMinor: 400 });

    const store = await openSqliteStore({ path: path.join(dataDir, 'casino.sqlite') });
    try {
      // One stake held, one boost reserve held; the campaign's other money untouched.
      expect(await store.wallet.getAccount(`player:${userId}`)).to.deep.include({ balanceMinor: 9_000, heldMinor: 1_000 });
      expect(await store.wallet.getAccount('promo:campaign:race-pb')).to.deep.include({ balanceMinor: 9_600, heldMinor: 400 });
      const books = await store.wallet.reconcile();
      expect(books.ok, JSON.stringify(books)).to.equal(true);
    } finally {
      await store.close();
    }
    await Promise.all(rooms.map((r) => r.leave()));
  });
});
