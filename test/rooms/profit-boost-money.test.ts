/**
 * The ledger side of profit-boost tokens in a live event (docs/PROMOTIONS.md §3), on a real SQLite
 * store: the token (a hold of its cap on the campaign) is consumed in the bet's atomic reserve and
 * cannot be used twice; settlement pays the extra from the campaign and returns the rest of the
 * reserve; a loss, void, refusal or cash-out returns all of it; re-settlement corrects the extra
 * with the player's correction and squares the campaign with the house; a rebuilt room releases a
 * boosted bet never journaled. Every case ends with balanced books and no open hold.
 */
import { expect } from 'chai';
import type { BetOutcome, EventState, ProfitBoostTerms, SportsEvent } from '../../actors/sportsbook/index.ts';
import { setIn, emptySharded } from '../../actors/sportsbook/sharded.ts';
import { HoldResolutions, completeOpenHolds, openHoldIds } from '../../rooms/holds.ts';
import { boostLookup, holdId, holdPrefix, moveEventMoney, reserveOp, resolvingOps } from '../../rooms/market/money.ts';
import { boostHoldId } from '../../rooms/money-keys.ts';
import { profitBoostReserveOps } from '../../rooms/market/profit-boost.ts';
import { createLogger } from '../../server/logger.ts';
import { openSqliteStore } from '../../server/store/sqlite/index.ts';
import { SYSTEM_ACCOUNTS, type Store, type WalletOp } from '../../server/store/types.ts';
import { playerAccountId, WalletService } from '../../server/wallet/service.ts';
import { makeTempDir } from '../store/tmpdir.ts';

const temp = makeTempDir('profit-boost-money');
after(() => temp.cleanup());

const EV = 'ev-pb';
const CAMPAIGN = 'promo:campaign:pb';
const TERMS: ProfitBoostTerms = { campaignId: 'pb', boostPct: 25, maxExtraMinor: 300 };
const token = (user: string) => `promo:pb:claim:${user}`;

/** The room's state as far as money reads it: the bets (with their boosts) and each market's re-settlement count. */
function stateWith(bets: Array<{ betId: string; profitBoost?: ProfitBoostTerms }>, resettlements = 0): EventState {
  let sharded = emptySharded<unknown>();
  for (const b of bets) sharded = setIn(sharded, b.betId, { ...b, selectionId: 'home' });
  return { bets: sharded, markets: [{ marketId: '1x2', resettlements }] } as unknown as EventState;
}

const outcome = (betId: string, outcome: BetOutcome['outcome'], payoutMinor: number, stakeMinor = 1_000): BetOutcome => ({ betId, playerId: 'p1', stakeMinor, payoutMinor, outcome, priceMilli: 3_000 });
const settled = (outcomes: BetOutcome[]): SportsEvent => ({ type: 'MarketSettled', marketId: '1x2', result: { kind: 'winner', selectionId: 'home' }, outcomes, totals: { betCount: 0, stakeMinor: 0, payoutMinor: 0 }, at: 1 } as unknown as SportsEvent);
const resettled = (betId: string, from: [BetOutcome['outcome'], number], to: [BetOutcome['outcome'], number]): SportsEvent => ({
  type: 'MarketResettled', marketId: '1x2', previous: { kind: 'winner', selectionId: 'away' }, result: { kind: 'winner', selectionId: 'home' }, reason: 'corrected', by: 'op', at: 2,
  corrections: [{ betId, playerId: 'p1', stakeMinor: 1_000, previousOutcome: from[0], outcome: to[0], previousPayoutMinor: from[1], payoutMinor: to[1], deltaMinor: to[1] - from[1] }],
} as unknown as SportsEvent);

describe('profit-boost money in a market', () => {
  let store: Store;
  let wallet: WalletService;
  const balance = async (id: string) => (await store.wallet.getAccount(id))!;
  const ok = async (ops: WalletOp[]) => { for (const o of await wallet.apply(ops, { atomic: true })) expect(o.ok, JSON.stringify(o)).to.equal(true); };
  const grant = (user = 'p1') => ({ tokenHoldId: token(user), fundingAccountId: CAMPAIGN, campaignId: 'pb', boostPct: 25, maxExtraMinor: 300 });
  /** Claims the token and places a boosted bet of 1,000 with it. */
  const placeBoosted = async (betId: string) => {
    await ok([{ type: 'reserve', key: token('p1'), accountId: CAMPAIGN, amountMinor: 300 }]);
    await ok(profitBoostReserveOps(holdId(EV, betId), grant(), reserveOp(EV, { betId, playerId: 'p1', stakeMinor: 1_000 })));
  };

  beforeEach(async () => {
    store = await openSqliteStore({ path: temp.file('m') });
    wallet = new WalletService(store.wallet, 'EUR');
    await wallet.bootstrap({ houseFloatMinor: 1_000_000, promotionsBudgetMinor: 1_000_000 });
    await wallet.openPlayerAccount('p1', 5_000);
    await wallet.openPlayerAccount('p2', 5_000);
    await store.wallet.ensureAccount(CAMPAIGN, 'promotions', 'EUR');
    await ok([{ type: 'transfer', key: 'fund-pb', fromAccountId: SYSTEM_ACCOUNTS.promotions, toAccountId: CAMPAIGN, amountMinor: 10_000, kind: 'funding' }]);
  });
  afterEach(async () => {
    const books = await store.wallet.reconcile();
    await store.close();
    expect(books.ok, JSON.stringify(books)).to.equal(true);
    expect(books.openHoldCount).to.equal(0);
  });

  it('pays a won boosted bet its payout plus the capped extra from the campaign, once; the rest of the reserve returns', async () => {
    await placeBoosted('b1');
    expect(await balance(CAMPAIGN)).to.deep.include({ balanceMinor: 9_700, heldMinor: 300 });
    expect((await store.wallet.getHold(token('p1')))!.status).to.equal('released');
    const e = settled([outcome('b1', 'won', 3_000)]);
    const state = stateWith([{ betId: 'b1', profitBoost: TERMS }]);
    await moveEventMoney(wallet, EV, [e], state);
    await moveEventMoney(wallet, EV, [e], state); // a re-drive is a replay
    // Winnings 2,000 × 25% = 500, capped at 300.
    expect(await balance(playerAccountId('p1'))).to.deep.include({ balanceMinor: 5_000 - 1_000 + 3_000 + 300, heldMinor: 0 });
    expect(await balance(CAMPAIGN)).to.deep.include({ balanceMinor: 9_700, heldMinor: 0 });
  });

  it('pays an uncapped extra and returns the unused part of the reserve', async () => {
    await placeBoosted('b1');
    // Stake 1,000 at 1.80: winnings 800 × 25% = 200 of the 300 reserved.
    await moveEventMoney(wallet, EV, [settled([{ ...outcome('b1', 'won', 1_800), priceMilli: 1_800 }])], stateWith([{ betId: 'b1', profitBoost: TERMS }]));
    expect((await balance(playerAccountId('p1'))).balanceMinor).to.equal(5_000 - 1_000 + 1_800 + 200);
    expect((await balance(CAMPAIGN)).balanceMinor).to.equal(9_800);
  });

  for (const [name, e] of [
    ['a loss', settled([outcome('b1', 'lost', 0)])],
    ['a void', { type: 'MarketVoided', marketId: '1x2', reason: 'x', outcomes: [outcome('b1', 'void', 1_000)], at: 1 } as unknown as SportsEvent],
    ['a cash-out (the boost is lost)', { type: 'CashOutExecuted', betId: 'b1', playerId: 'p1', outcome: outcome('b1', 'cashed_out', 2_500), at: 1 } as unknown as SportsEvent],
    ['a refusal at the end of the delay', { type: 'BetRejected', betId: 'b1', playerId: 'p1', code: 'bet/price_changed', message: 'x', at: 1 } as unknown as SportsEvent],
  ] as const) {
    it(`returns the whole reserve to the campaign on ${name}`, async () => {
      await placeBoosted('b1');
      await moveEventMoney(wallet, EV, [e], stateWith([{ betId: 'b1', profitBoost: TERMS }]));
      expect(await balance(CAMPAIGN)).to.deep.include({ balanceMinor: 10_000, heldMinor: 0 });
      expect((await store.wallet.getHold(boostHoldId(holdId(EV, 'b1'))))!.status).to.equal('released');
      const payout = name.startsWith('a void') || name.startsWith('a refusal') ? 1_000 : name.startsWith('a cash') ? 2_500 : 0;
      expect((await balance(playerAccountId('p1'))).balanceMinor).to.equal(4_000 + payout);
    });
  }

  it('consumes a token once: a second bet with it fails whole and changes nothing', async () => {
    await placeBoosted('b1');
    const before = [await balance(playerAccountId('p1')), await balance(CAMPAIGN)];
    const outcomes = await wallet.apply(profitBoostReserveOps(holdId(EV, 'b2'), grant(), reserveOp(EV, { betId: 'b2', playerId: 'p1', stakeMinor: 1_000 })), { atomic: true });
    expect(outcomes[0]).to.deep.include({ ok: false, code: 'wallet/hold_resolved' });
    expect(await store.wallet.getHold(holdId(EV, 'b2'))).to.equal(null);
    expect([await balance(playerAccountId('p1')), await balance(CAMPAIGN)]).to.deep.equal(before);
    await moveEventMoney(wallet, EV, [settled([outcome('b1', 'lost', 0)])], stateWith([{ betId: 'b1', profitBoost: TERMS }]));
  });

  it('lets only one of two bets racing with one token through', async () => {
    await ok([{ type: 'reserve', key: token('p1'), accountId: CAMPAIGN, amountMinor: 300 }]);
    const race = await Promise.all(['r1', 'r2'].map((betId) =>
      wallet.apply(profitBoostReserveOps(holdId(EV, betId), grant(), reserveOp(EV, { betId, playerId: 'p1', stakeMinor: 1_000 })), { atomic: true })));
    const funded = race.filter((outcomes) => outcomes.every((o) => o.ok));
    expect(funded).to.have.length(1);
    expect(await balance(CAMPAIGN)).to.deep.include({ balanceMinor: 9_700, heldMinor: 300 });
    expect((await balance(playerAccountId('p1'))).heldMinor).to.equal(1_000);
    const winner = race[0]!.every((o) => o.ok) ? 'r1' : 'r2';
    await moveEventMoney(wallet, EV, [settled([outcome(winner, 'lost', 0)])], stateWith([{ betId: winner, profitBoost: TERMS }]));
  });

  it('a rebuilt room pays a journaled win whose money a crash interrupted, extra included', async () => {
    await placeBoosted('b1');
    const ids = await openHoldIds(store.wallet, holdPrefix(EV));
    const resolutions = new HoldResolutions(ids);
    // What the replay records: the settlement, decided on the state that holds the boosted bet.
    for (const [hold, ops] of resolvingOps(EV, settled([outcome('b1', 'won', 3_000)]), boostLookup(stateWith([{ betId: 'b1', profitBoost: TERMS }])))) resolutions.record(hold, ops);
    const done = await completeOpenHolds({ wallet: store.wallet, prefix: holdPrefix(EV), isLive: () => false, resolutions, fence: undefined, log: createLogger('silent'), roomId: EV });
    expect(done).to.deep.equal({ completed: 1, released: 0 });
    expect((await balance(playerAccountId('p1'))).balanceMinor).to.equal(4_000 + 3_000 + 300);
    expect(await balance(CAMPAIGN)).to.deep.include({ balanceMinor: 9_700, heldMinor: 0 });
  });

  it('re-settlement takes the extra back to the campaign (won → lost) and pays it again from it (lost → won)', async () => {
    await placeBoosted('b1');
    const boosted = [{ betId: 'b1', profitBoost: TERMS }];
    await moveEventMoney(wallet, EV, [settled([outcome('b1', 'won', 3_000)])], stateWith(boosted));
    const lost = resettled('b1', ['won', 3_000], ['lost', 0]);
    await moveEventMoney(wallet, EV, [lost], stateWith(boosted, 0));
    await moveEventMoney(wallet, EV, [lost], stateWith(boosted, 0), undefined, true); // a rebuild re-drives it: a replay
    expect((await balance(playerAccountId('p1'))).balanceMinor).to.equal(4_000);
    expect((await balance(CAMPAIGN)).balanceMinor).to.equal(10_000);
    await moveEventMoney(wallet, EV, [resettled('b1', ['lost', 0], ['won', 3_000])], stateWith(boosted, 1));
    expect((await balance(playerAccountId('p1'))).balanceMinor).to.equal(4_000 + 3_000 + 300);
    expect((await balance(CAMPAIGN)).balanceMinor).to.equal(9_700);
  });

  it('leaves a grown extra to the house when the campaign has spent its budget', async () => {
    await placeBoosted('b1');
    const boosted = [{ betId: 'b1', profitBoost: TERMS }];
    await moveEventMoney(wallet, EV, [settled([outcome('b1', 'lost', 0)])], stateWith(boosted));
    await ok([{ type: 'transfer', key: 'drain', fromAccountId: CAMPAIGN, toAccountId: SYSTEM_ACCOUNTS.promotions, amountMinor: 10_000, kind: 'funding' }]);
    await moveEventMoney(wallet, EV, [resettled('b1', ['lost', 0], ['won', 3_000])], stateWith(boosted));
    expect((await balance(playerAccountId('p1'))).balanceMinor).to.equal(4_000 + 3_300);
    expect((await balance(CAMPAIGN)).balanceMinor).to.equal(0);
  });

  it('a rebuilt room releases the stake and the reserve of a boosted bet never journaled', async () => {
    await placeBoosted('orphan');
    const ids = await openHoldIds(store.wallet, holdPrefix(EV));
    expect(ids).to.deep.equal([holdId(EV, 'orphan')]);
    const done = await completeOpenHolds({
      wallet: store.wallet, prefix: holdPrefix(EV), isLive: () => false, resolutions: new HoldResolutions(ids), fence: undefined, log: createLogger('silent'), roomId: EV,
    });
    expect(done).to.deep.equal({ completed: 0, released: 1 });
    expect(await balance(CAMPAIGN)).to.deep.include({ balanceMinor: 10_000, heldMinor: 0 });
    expect((await balance(playerAccountId('p1'))).balanceMinor).to.equal(5_000);
  });
});
