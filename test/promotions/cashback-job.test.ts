/**
 * The automatic cash-back job against the real SQLite store with an injected clock
 * (docs/PROMOTIONS.md §4): at the end of each period every eligible player with a net loss in it
 * is paid once (the ledger key names the period), blocked and untargeted players get nothing,
 * each run does bounded work, a run that dies before recording its progress is resumed without
 * paying twice, and a process that does not hold the cluster lease does nothing.
 */
import { expect } from 'chai';
import { openSqliteStore } from '../../server/store/sqlite/index.ts';
import { SYSTEM_ACCOUNTS, StoreError, type JournalStore, type Store } from '../../server/store/types.ts';
import { WalletService, playerAccountId } from '../../server/wallet/service.ts';
import { CampaignBook } from '../../server/promotions/campaigns.ts';
import { PromotionsService } from '../../server/promotions/service.ts';
import { Redis } from 'ioredis';
import { CashBackJob, cashBackJournalId, redisJobLease, type JobLease } from '../../server/promotions/cashback-job.ts';
import { LeaseManager } from '../../server/cluster/lease.ts';
import { REDIS_URL, cleanRedis, testPrefix } from '../support/cluster.ts';
import { ProfileService } from '../../server/profiles/service.ts';
import { createLogger } from '../../server/logger.ts';
import type { Campaign } from '../../actors/promotions/index.ts';
import { makeTempDir } from '../store/tmpdir.ts';

const temp = makeTempDir('cashback-job');
after(() => temp.cleanup());

const HOUR = 3_600_000;
const T0 = 1_900_000_000_000;
const log = createLogger('silent');

function cashBack(over: Partial<Campaign> = {}): Campaign {
  return {
    id: 'weekly-cb', name: 'Cash-back', status: 'active', startsAt: T0, endsAt: T0 + 3 * HOUR, optIn: false, budgetMinor: 100_000, eligibility: {},
    terms: { kind: 'cash_back', sharePct: 10, periodMs: HOUR, maxMinor: 500, paidAs: 'cash', wageringMultiplier: 0, validForMs: HOUR },
    ...over,
  };
}

describe('automatic cash-back job (SQLite store, injected clock)', function () {
  this.timeout(30_000);
  let clock: number;
  let store: Store;
  let wallet: WalletService;
  let promos: PromotionsService;
  let profiles: ProfileService;
  const blocked = new Set<string>();
  let bet = 0;

  beforeEach(async () => {
    clock = T0 - HOUR;
    blocked.clear();
    store = await openSqliteStore({ path: temp.file('cb'), now: () => clock });
    wallet = new WalletService(store.wallet, 'EUR');
    await wallet.bootstrap({ houseFloatMinor: 10_000_000, promotionsBudgetMinor: 1_000_000 });
    profiles = new ProfileService(store.journal, () => clock);
    promos = new PromotionsService(store, wallet, new CampaignBook(store.journal), log, () => clock, { withdrawalRule: 'forfeit', expirySweepMs: 0, cashBackJobMs: 0 }, {
      blocked: async (userId) => (blocked.has(userId) ? 'time_out' : null),
      profile: (userId) => profiles.forPromotions(userId),
    });
  });
  afterEach(async () => {
    const books = await store.wallet.reconcile();
    expect(books.ok, JSON.stringify(books)).to.equal(true);
    await store.close();
  });

  async function player(name: string, role: 'player' | 'operator' = 'player'): Promise<string> {
    const id = `u-${name}`;
    await store.users.create({ id, username: name, passwordHash: 'x', role, status: 'active', createdAt: clock });
    await wallet.openPlayerAccount(id, 0);
    const [o] = await wallet.apply([{ type: 'transfer', key: `dep:${id}`, fromAccountId: SYSTEM_ACCOUNTS.world, toAccountId: playerAccountId(id), amountMinor: 20_000, kind: 'deposit' }]);
    expect(o!.ok).to.equal(true);
    return id;
  }

  /** A settled stake: lost, or paid `payoutMinor` back. */
  async function stake(userId: string, amountMinor: number, payoutMinor = 0): Promise<void> {
    const id = `bet-${++bet}`;
    const outcomes = await wallet.apply([
      { type: 'reserve', key: id, accountId: playerAccountId(userId), amountMinor },
      { type: 'capture', key: `${id}:capture`, holdId: id, toAccountId: SYSTEM_ACCOUNTS.house },
      ...(payoutMinor > 0 ? [{ type: 'transfer' as const, key: `${id}:payout`, fromAccountId: SYSTEM_ACCOUNTS.house, toAccountId: playerAccountId(userId), amountMinor: payoutMinor, kind: 'payout' as const }] : []),
    ], { atomic: true });
    expect(outcomes.every((o) => o.ok), JSON.stringify(outcomes)).to.equal(true);
  }

  const cash = async (userId: string) => (await wallet.view(userId)).balanceMinor;
  const paidFor = async (userId: string, period: number) => (await store.wallet.transferByKey(`promo:weekly-cb:cashback:p${period}:${userId}`))?.amountMinor ?? null;

  it('pays each player with a net loss in an ended period once, and nobody blocked, winning or not a player', async () => {
    await promos.create(cashBack(), 'op');
    const [a, b, c, d, e, op] = [await player('ann'), await player('bob'), await player('cyd'), await player('dee'), await player('eve'), await player('opa', 'operator')];
    clock = T0 + 10 * 60_000;
    await stake(a, 1_000);
    await stake(b, 3_000, 500);
    await stake(c, 8_000);
    await stake(d, 1_000);
    await stake(e, 1_000, 2_500);
    await stake(op, 1_000);
    blocked.add(d);
    const job = new CashBackJob(promos, store.users, store.journal, store.wallet, log, () => clock, { pageSize: 2, pagesPerRun: 100 });

    clock = T0 + 30 * 60_000;
    expect(await job.run(), 'the period has not ended').to.deep.include({ pages: 0, paid: 0 });
    // A stake in the next period counts there, not here.
    clock = T0 + HOUR;
    await stake(a, 5_000);
    const first = await job.run();
    expect(first).to.deep.include({ paid: 3, paidMinor: 100 + 250 + 500, periodsCompleted: 1, refused: 1 });
    expect(first.pages).to.equal(4);
    expect([await paidFor(a, 0), await paidFor(b, 0), await paidFor(c, 0), await paidFor(d, 0), await paidFor(e, 0), await paidFor(op, 0)]).to.deep.equal([100, 250, 500, null, null, null]);
    expect(await cash(a)).to.equal(20_000 - 1_000 - 5_000 + 100);

    // A second run pays nothing more (the period is done, and each player's key is taken).
    expect(await job.run()).to.deep.include({ pages: 0, paid: 0 });

    // The next period: only what was lost in it.
    clock = T0 + 2 * HOUR;
    expect(await job.run()).to.deep.include({ paid: 1, paidMinor: 500, periodsCompleted: 1 });
    expect(await paidFor(a, 1)).to.equal(500);
    expect(await paidFor(c, 1)).to.equal(null);
  });

  it('targets by country and VIP tier at the period\'s end', async () => {
    await promos.create(cashBack({ eligibility: { countries: ['GB'], vipTiers: ['gold', 'platinum'] } }), 'op');
    const [gbGold, gbSilver, deGold] = [await player('gg'), await player('gs'), await player('dg')];
    await profiles.recordCountry(gbGold, 'GB', 'registration');
    await profiles.recordCountry(gbSilver, 'GB', 'registration');
    await profiles.recordCountry(deGold, 'DE', 'registration');
    await profiles.setVipTier(gbGold, 'gold', 'op', 'vip');
    await profiles.setVipTier(gbSilver, 'silver', 'op', 'vip');
    await profiles.setVipTier(deGold, 'gold', 'op', 'vip');
    clock = T0 + 1_000;
    for (const u of [gbGold, gbSilver, deGold]) await stake(u, 2_000);
    clock = T0 + HOUR;
    const job = new CashBackJob(promos, store.users, store.journal, store.wallet, log, () => clock);
    expect(await job.run()).to.deep.include({ paid: 1, paidMinor: 200, refused: 2 });
    expect([await paidFor(gbGold, 0), await paidFor(gbSilver, 0), await paidFor(deGold, 0)]).to.deep.equal([200, null, null]);
  });

  it('bounds each run, resumes where the last one recorded its progress, and never pays twice after a crash', async () => {
    await promos.create(cashBack(), 'op');
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(await player(`p${i}`));
    clock = T0 + 1_000;
    for (const u of ids) await stake(u, 1_000);
    clock = T0 + HOUR;
    // The first run "crashes" after paying its page, before recording it.
    let failNext = true;
    const crashing: JournalStore = {
      ...store.journal,
      append: async (roomId, firstSeq, events, opts) => {
        if (roomId === cashBackJournalId('weekly-cb') && failNext) {
          failNext = false;
          throw new StoreError('store/unavailable', 'the process died here');
        }
        return store.journal.append(roomId, firstSeq, events, opts);
      },
    };
    const job = new CashBackJob(promos, store.users, crashing, store.wallet, log, () => clock, { pageSize: 2, pagesPerRun: 1 });
    let error: unknown = null;
    await job.run().catch((err) => (error = err));
    expect((error as StoreError).code).to.equal('store/unavailable');
    expect(await paidFor(ids[0]!, 0)).to.equal(100);
    const runs = [];
    for (let i = 0; i < 5; i++) runs.push(await job.run());
    expect(runs.map((r) => r.pages)).to.deep.equal([1, 1, 1, 0, 0]);
    expect(runs.map((r) => r.paid)).to.deep.equal([0, 2, 1, 0, 0]);
    for (const u of ids) expect(await cash(u)).to.equal(20_000 - 1_000 + 100);
  });

  it('does nothing on a process that does not hold the cluster lease, and nothing for a paused campaign', async () => {
    await promos.create(cashBack(), 'op');
    const u = await player('solo');
    clock = T0 + 1_000;
    await stake(u, 1_000);
    clock = T0 + HOUR;
    const held: JobLease = { acquire: async () => false, release: async () => undefined };
    expect(await new CashBackJob(promos, store.users, store.journal, store.wallet, log, () => clock, { lease: held }).run()).to.deep.include({ skipped: 'lease_held', paid: 0 });
    await promos.act('weekly-cb', 'pause', 'op');
    const job = new CashBackJob(promos, store.users, store.journal, store.wallet, log, () => clock);
    expect(await job.run()).to.deep.include({ pages: 0, paid: 0 });
    await promos.act('weekly-cb', 'resume', 'op');
    expect(await job.run()).to.deep.include({ paid: 1, paidMinor: 100 });
    // An automatic cash-back is not claimed (a claim would be a second payment).
    let code = '';
    await promos.claim(u, 'weekly-cb', {}).catch((err) => (code = err.code));
    expect(code).to.equal('promo/automatic');
  });
  it('runs on one process of a cluster at a time: the Redis lease job:promotions-cashback', async () => {
    await promos.create(cashBack(), 'op');
    const u = await player('pair');
    clock = T0 + 1_000;
    await stake(u, 1_000);
    clock = T0 + HOUR;
    const prefix = testPrefix('cashback-lease');
    const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
    try {
      const other = new LeaseManager(redis, prefix, 'other-process', 10_000);
      const fence = await other.acquire('job:promotions-cashback');
      expect(fence).to.be.a('number');
      const job = new CashBackJob(promos, store.users, store.journal, store.wallet, log, () => clock, { lease: redisJobLease(new LeaseManager(redis, prefix, 'this-process', 10_000), 'promotions-cashback') });
      expect(await job.run()).to.deep.include({ skipped: 'lease_held', paid: 0 });
      await other.release('job:promotions-cashback', fence!);
      expect(await job.run()).to.deep.include({ paid: 1, paidMinor: 100 });
      // ... and gives the lease back after its run.
      expect((await other.state('job:promotions-cashback')).holder).to.equal(null);
    } finally {
      await cleanRedis(prefix);
      redis.disconnect();
    }
  });
});
