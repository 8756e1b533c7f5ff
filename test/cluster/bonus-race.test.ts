/**
 * Bonus money raced across processes (docs/PROMOTIONS.md §2): one player with bonus money only
 * bets at two roulette tables hosted by two server processes (real processes, real Redis, one
 * shared SQLite file), all bets fired at once. The ledger decides each stake inside its write
 * transaction, so the bonus is never spent twice, and after both tables settle it converts
 * exactly once, within its cap.
 */
import { expect } from 'chai';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, type Room } from '@colyseus/sdk';
import { DEFAULT_CONTRIBUTION } from '../../actors/promotions/index.ts';
import { openSqliteStore } from '../../server/store/sqlite/index.ts';
import { SYSTEM_ACCOUNTS, type Store } from '../../server/store/types.ts';
import { bonusAccountId } from '../../server/store/wallet-input.ts';
import type { ServerProcess } from '../support/process.ts';
import { http, scrapeMetrics } from '../support/server.ts';
import { cleanRedis, startClusterNode, testPrefix, waitFor } from '../support/cluster.ts';

const BONUS = 1_000;
/** Ten stakes fit in the bonus, eight are fired at each table: both processes must spend some of it. */
const STAKE = 100;
const BETS_PER_TABLE = 8;
const CAP = 700;

const roomsOn = async (node: ServerProcess): Promise<number> => Number(/casino_rooms (\d+)/.exec(await scrapeMetrics(node.url))?.[1] ?? -1);

async function withStore<T>(dataDir: string, fn: (s: Store) => Promise<T>): Promise<T> {
  const store = await openSqliteStore({ path: path.join(dataDir, 'casino.sqlite') });
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

describe('bonus spending raced across two server processes (real processes, real Redis)', function () {
  this.timeout(120_000);
  let dataDir: string;
  let prefix: string;
  const nodes: ServerProcess[] = [];

  before(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'casino-bonus-race-'));
    prefix = testPrefix('bonus_race');
  });
  after(async () => {
    await Promise.all(nodes.map((n) => n.kill('SIGKILL')));
    await cleanRedis(prefix);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('never spends one bonus twice and converts it once, with its stakes placed on two processes at once', async () => {
    const env = { DATA_DIR: dataDir, REDIS_PREFIX: prefix, DEMO_BALANCE_MINOR: '0', ROULETTE_BETTING_WINDOW_MS: '4000', ROULETTE_SPIN_MS: '100', ROULETTE_PAUSE_MS: '60000' };
    // Two tables, two processes: the fair share is one table each (B starts with both, hands one over).
    const b = await startClusterNode({ ...env, ROULETTE_TABLES: '2' });
    nodes.push(b);
    const a = await startClusterNode({ ...env, ROULETTE_TABLES: '2' });
    nodes.push(a);
    await waitFor('one table per process', async () => (await roomsOn(a)) === 1 && (await roomsOn(b)) === 1, 40_000);

    const reg = await http(a.url, 'POST', '/auth/register', { username: `race${Date.now().toString(36)}`, password: 'cluster123' });
    expect(reg.status, JSON.stringify(reg.body)).to.equal(201);
    const { token, userId } = reg.body;
    const cash = `player:${userId}`;
    // The bonus, written straight into the shared ledger: 1,000 with 100% roulette wagering of 100.
    await withStore(dataDir, async (s) => {
      await s.wallet.ensureAccount(bonusAccountId(cash), 'player', (await s.wallet.getAccount(cash))!.currency);
      const [o] = await s.wallet.apply([{
        type: 'bonusGrant', key: `race:${userId}`, accountId: cash, fromAccountId: SYSTEM_ACCOUNTS.promotions, amountMinor: BONUS, wageringRequiredMinor: 100,
        maxBetMinor: 0, conversionCapMinor: CAP, expiresAt: Date.now() + 3_600_000, contribution: { ...DEFAULT_CONTRIBUTION, roulettePct: 100 },
      }]);
      expect(o!.ok, JSON.stringify(o)).to.equal(true);
    });

    const join = async (node: ServerProcess, tableId: string): Promise<Room> => {
      const client = new Client(node.wsUrl);
      client.auth.token = token;
      const room = await client.joinById(tableId);
      room.onMessage('*', () => undefined);
      return room;
    };
    const r1 = await join(a, 'roulette-1');
    const r2 = await join(a, 'roulette-2');
    const host = (r: Room) => /:(\d+)\//.exec((r.connection.transport as any).ws.url as string)![1];
    expect(host(r1), 'the two tables are hosted by different processes').not.to.equal(host(r2));
    await waitFor('betting at both tables', async () => (r1.state as any).phase === 'betting' && (r2.state as any).phase === 'betting');
    const round1 = (r1.state as any).roundId;
    const round2 = (r2.state as any).roundId;

    // Interleaved, so both processes reserve against the same bonus at the same moments.
    const fire = (room: Room, table: string, i: number) => room.request('bet', { betId: `${table}-${i}`, spot: { kind: 'straight', numbers: [i] }, stakeMinor: STAKE }) as Promise<any>;
    const sent = Array.from({ length: BETS_PER_TABLE }, (_, i) => [fire(r1, 't1', i), fire(r2, 't2', i)]);
    const replies = await Promise.all([...sent.map((p) => p[0]!), ...sent.map((p) => p[1]!)]);
    const accepted = replies.filter((r) => r.ok);
    const refused = replies.filter((r) => !r.ok);
    // 1,000 of bonus covers ten stakes of 100, whichever process asked first.
    expect(accepted.length).to.equal(Math.floor(BONUS / STAKE));
    expect(refused.every((r) => r.error.code === 'wallet/insufficient_funds'), JSON.stringify(refused)).to.equal(true);
    const perTable = [replies.slice(0, BETS_PER_TABLE), replies.slice(BETS_PER_TABLE)].map((rs) => rs.filter((r) => r.ok).length);
    expect(perTable.every((n) => n > 0), `both processes spent bonus money: ${perTable.join(' / ')}`).to.equal(true);

    await withStore(dataDir, async (s) => {
      const bonus = (await s.wallet.getAccount(bonusAccountId(cash)))!;
      expect(bonus).to.deep.include({ balanceMinor: BONUS - accepted.length * STAKE, heldMinor: accepted.length * STAKE });
    });

    await waitFor('both rounds settled', async () => (r1.state as any).phase === 'settled' && (r1.state as any).roundId === round1 && (r2.state as any).phase === 'settled' && (r2.state as any).roundId === round2, 20_000);
    const pockets = [(r1.state as any).pocket as number, (r2.state as any).pocket as number];
    // A straight pays 36× gross, all of it bonus money (no cash was staked).
    const winnings = [0, 1].reduce((sum, t) => sum + (pockets[t]! < BETS_PER_TABLE && replies[t * BETS_PER_TABLE + pockets[t]!]!.ok ? 36 * STAKE : 0), 0);
    const bonusLeft = BONUS - accepted.length * STAKE + winnings;
    const converted = Math.min(bonusLeft, CAP);

    const grant = await waitFor('conversion', async () => {
      const g = await withStore(dataDir, (s) => s.wallet.bonusGrant(cash));
      return g?.status === 'converted' ? g : null;
    }, 20_000);
    expect(grant).to.deep.include({ wageredMinor: accepted.length * STAKE, convertedMinor: converted, forfeitedMinor: bonusLeft - converted });
    await withStore(dataDir, async (s) => {
      const conversions = (await s.wallet.listTransfers(cash, { limit: 50 })).items.filter((t) => t.kind === 'conversion');
      expect(conversions.map((t) => t.amountMinor)).to.deep.equal(converted > 0 ? [converted] : []);
      expect((await s.wallet.getAccount(cash))!.balanceMinor).to.equal(converted);
      const books = await s.wallet.reconcile();
      expect(books.ok, JSON.stringify(books)).to.equal(true);
      expect(books.bonusLiabilityMinor).to.equal(0);
    });
    console.log(`      bets accepted per process: ${perTable.join(' / ')}; pockets ${pockets.join(', ')}`);
    await Promise.all([r1.leave(), r2.leave()]);
  });
});
