/**
 * Property tests of bonus money in the ledger (docs/PROMOTIONS.md §2) over random sequences of
 * deposits, grants, bets, settlements, releases, withdrawals (with forfeiture) and expiries,
 * against the real SQLite store with an injected clock. After every step: no negative balance,
 * the books balance, each bonus account's ledger equals its balance, wagering progress equals
 * the weighted sum of the qualifying stakes, a grant converts at most once and within its cap,
 * and a bonus that is no longer active holds no money.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import { openSqliteStore } from '../../server/store/sqlite/index.ts';
import { SYSTEM_ACCOUNTS, type BonusGrant, type Store, type WalletOp } from '../../server/store/types.ts';
import { bonusAccountId } from '../../server/store/wallet-input.ts';
import { makeTempDir } from './tmpdir.ts';
import { TEST_CONTRIBUTION, wagerFor } from './contract/bonus.ts';

const temp = makeTempDir('bonus-properties');
after(() => temp.cleanup());

const PLAYERS = ['player:a', 'player:b'];
const BUDGET = 'promo:campaign:test';

type Step =
  | { t: 'deposit'; p: number; amount: number }
  | { t: 'grant'; p: number; amount: number; wagering: number; cap: number; maxBet: number; lifeMs: number }
  | { t: 'bet'; p: number; stake: number }
  | { t: 'settle'; bet: number; multiplierPct: number; pct: 0 | 10 | 50 | 100 }
  | { t: 'release'; bet: number }
  | { t: 'withdraw'; p: number; amount: number }
  | { t: 'tick'; ms: number }
  | { t: 'expire'; p: number };

const player = fc.integer({ min: 0, max: PLAYERS.length - 1 });
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ t: fc.constant('deposit' as const), p: player, amount: fc.integer({ min: 1, max: 2_000 }) }),
  fc.record({
    t: fc.constant('grant' as const), p: player, amount: fc.integer({ min: 1, max: 3_000 }), wagering: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 2_000 })),
    cap: fc.integer({ min: 0, max: 5_000 }), maxBet: fc.integer({ min: 0, max: 1_000 }), lifeMs: fc.integer({ min: 1, max: 20_000 }),
  }),
  fc.record({ t: fc.constant('bet' as const), p: player, stake: fc.oneof(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 1, max: 1_500 })) }),
  fc.record({ t: fc.constant('bet' as const), p: player, stake: fc.integer({ min: 1, max: 1_500 }) }),
  fc.record({ t: fc.constant('settle' as const), bet: fc.nat(20), multiplierPct: fc.constantFrom(0, 0, 150, 200, 360, 3_600), pct: fc.constantFrom(0 as const, 10 as const, 50 as const, 100 as const) }),
  fc.record({ t: fc.constant('settle' as const), bet: fc.nat(20), multiplierPct: fc.constantFrom(0, 200), pct: fc.constant(100 as const) }),
  fc.record({ t: fc.constant('release' as const), bet: fc.nat(20) }),
  fc.record({ t: fc.constant('withdraw' as const), p: player, amount: fc.integer({ min: 1, max: 1_000 }) }),
  fc.record({ t: fc.constant('tick' as const), ms: fc.integer({ min: 1, max: 3_000 }) }),
  fc.record({ t: fc.constant('expire' as const), p: player }),
);

interface Bet {
  id: string;
  p: number;
  stake: number;
  open: boolean;
}

/** The model's view: what each grant's wagering must be, from the stakes it saw settle while live. */
interface Model {
  bets: Bet[];
  wagered: Map<string, number>;
  n: number;
}

async function run(steps: Step[]): Promise<void> {
  let clock = 1_800_000_000_000;
  const store = await openSqliteStore({ path: temp.file(`run-${Date.now()}-${Math.random().toString(36).slice(2)}`), now: () => clock });
  try {
    const w = store.wallet;
    await w.ensureAccount(BUDGET, 'promotions', 'EUR').catch(async () => w.ensureAccount(BUDGET, 'promotions', (await w.getAccount(SYSTEM_ACCOUNTS.escrow))!.currency));
    const currency = (await w.getAccount(SYSTEM_ACCOUNTS.escrow))!.currency;
    for (const p of PLAYERS) {
      await w.ensureAccount(p, 'player', currency);
      await w.ensureAccount(bonusAccountId(p), 'player', currency);
    }
    await w.apply([
      { type: 'transfer', key: 'fund:budget', fromAccountId: SYSTEM_ACCOUNTS.world, toAccountId: BUDGET, amountMinor: 1_000_000, kind: 'funding' },
      { type: 'transfer', key: 'fund:house', fromAccountId: SYSTEM_ACCOUNTS.world, toAccountId: SYSTEM_ACCOUNTS.house, amountMinor: 10_000_000, kind: 'funding' },
    ]);
    const model: Model = { bets: [], wagered: new Map(), n: 0 };
    for (const s of steps) {
      await apply(store, model, s, clock);
      if (s.t === 'tick') clock += s.ms;
      await check(store, model);
    }
  } finally {
    await store.close();
  }
}

async function apply(store: Store, m: Model, s: Step, now: number): Promise<void> {
  const w = store.wallet;
  const key = `k${m.n++}`;
  switch (s.t) {
    case 'deposit':
      await w.apply([{ type: 'transfer', key, fromAccountId: SYSTEM_ACCOUNTS.world, toAccountId: PLAYERS[s.p]!, amountMinor: s.amount, kind: 'deposit' }]);
      return;
    case 'grant': {
      const [o] = await w.apply([{
        type: 'bonusGrant', key, accountId: PLAYERS[s.p]!, fromAccountId: BUDGET, amountMinor: s.amount, wageringRequiredMinor: s.wagering,
        maxBetMinor: s.maxBet, conversionCapMinor: s.cap, expiresAt: now + s.lifeMs, contribution: TEST_CONTRIBUTION,
      }]);
      if (o!.ok) m.wagered.set(key, 0);

      return;
    }
    case 'bet': {
      const [o] = await w.apply([{ type: 'reserve', key, accountId: PLAYERS[s.p]!, amountMinor: s.stake, bonus: true }]);
      if (o!.ok) m.bets.push({ id: key, p: s.p, stake: s.stake, open: true });
      return;
    }
    case 'settle':
    case 'release': {
      const open = m.bets.filter((b) => b.open);
      const bet = open[s.bet % Math.max(1, open.length)];
      if (!bet) return;
      const ops: WalletOp[] = [];
      if (s.t === 'release') ops.push({ type: 'release', key: `${bet.id}:release`, holdId: bet.id });
      else {
        ops.push({ type: 'capture', key: `${bet.id}:capture`, holdId: bet.id, toAccountId: SYSTEM_ACCOUNTS.house, wager: wagerFor(s.pct) });
        const payout = Math.floor((bet.stake * s.multiplierPct) / 100);
        if (payout > 0) ops.push({ type: 'transfer', key: `${bet.id}:payout`, fromAccountId: SYSTEM_ACCOUNTS.house, toAccountId: PLAYERS[bet.p]!, amountMinor: payout, kind: 'payout', stakeHoldId: bet.id });
        // The model: a stake counts when it settles while the player's grant is live.
        const g = await w.bonusGrant(PLAYERS[bet.p]!);
        if (g && g.status === 'active' && now < g.expiresAt) m.wagered.set(g.grantId, (m.wagered.get(g.grantId) ?? 0) + Math.floor((bet.stake * s.pct) / 100));
      }
      const outcomes = await w.apply(ops, { atomic: true });
      expect(outcomes.every((o) => o.ok), JSON.stringify(outcomes)).to.equal(true);
      bet.open = false;
      return;
    }
    case 'withdraw': {
      // Withdrawal forfeits an active bonus (the configurable rule), in the same atomic step.
      const g = await w.bonusGrant(PLAYERS[s.p]!);
      const ops: WalletOp[] = [];
      if (g?.status === 'active') ops.push({ type: 'bonusClose', key: `${key}:forfeit`, accountId: PLAYERS[s.p]!, grantId: g.grantId, reason: 'forfeited' });
      ops.push({ type: 'transfer', key, fromAccountId: PLAYERS[s.p]!, toAccountId: SYSTEM_ACCOUNTS.world, amountMinor: s.amount, kind: 'withdrawal' });
      await w.apply(ops, { atomic: true });
      return;
    }
    case 'expire':
      for (const g of await w.expiredBonusGrants(now, 10)) {
        const [o] = await w.apply([{ type: 'bonusClose', key: `${g.grantId}:expire`, accountId: g.ownerAccountId, grantId: g.grantId, reason: 'expired' }]);
        expect(o!.ok, JSON.stringify(o)).to.equal(true);
      }
      return;
    case 'tick':
      return;
  }
}

async function check(store: Store, m: Model): Promise<void> {
  const w = store.wallet;
  const books = await w.reconcile();
  expect(books.ok, JSON.stringify(books)).to.equal(true);
  expect(books.negativeAccounts).to.deep.equal([]);
  let liability = 0;
  for (const p of PLAYERS) {
    const bonus = (await w.getAccount(bonusAccountId(p)))!;
    liability += bonus.balanceMinor + bonus.heldMinor;
    // The bonus account's ledger explains its balance exactly.
    const page = await w.listTransfers(bonus.id, { limit: 200 });
    const net = page.items.reduce((s, t) => s + (t.toAccountId === bonus.id ? t.amountMinor : -t.amountMinor), 0);
    if (page.nextCursor === null) expect(net).to.equal(bonus.balanceMinor);
    const g: BonusGrant | null = await w.bonusGrant(p);
    if (!g) continue;
    expect(g.wageredMinor, `wagering of ${g.grantId}`).to.equal(m.wagered.get(g.grantId));
    expect(g.convertedMinor).to.be.at.most(g.conversionCapMinor);
    const conversions = page.items.filter((t) => t.kind === 'conversion' && t.key.startsWith(`${g.grantId}:`));
    expect(conversions.length).to.be.at.most(1);
    if (g.status !== 'active') expect(bonus.balanceMinor, `no money left in an ended bonus ${g.status}`).to.equal(0);
    if (g.status === 'converted') expect(g.wageredMinor).to.be.at.least(g.wageringRequiredMinor);
  }
  expect(books.bonusLiabilityMinor).to.equal(liability);
}

describe('bonus money properties (random sequences against the SQLite store)', function () {
  this.timeout(120_000);
  it('keeps balances non-negative, the books balanced, wagering exact and conversion single and capped', async () => {
    await fc.assert(fc.asyncProperty(fc.array(step, { minLength: 5, maxLength: 40 }), run), { numRuns: 40 });
  });
});
