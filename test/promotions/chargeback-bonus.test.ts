/**
 * A chargeback takes back the bonus its deposit bought (docs/PROMOTIONS.md §2.9), through the
 * real server and the sandbox PSP process: a claimed deposit match is forfeited when its deposit
 * is charged back (duplicated webhooks included) and what an open bonus stake brings back later
 * is forfeited as it arrives; a late repeated webhook changes nothing; a chargeback of another
 * deposit leaves the bonus alone; an automatic match already converted to cash is clawed back.
 * The books reconcile after every case.
 */
import { expect } from 'chai';
import { bootWithCashier, captureDeposit, type CashierServer } from '../support/cashier.ts';
import type { PspProcess } from '../support/psp.ts';
import { http, registerPlayer, type TestServer } from '../support/server.ts';
import { until } from '../support/wait.ts';
import { ChargebackBonusRule, chargebackBonus } from '../../server/promotions/chargeback.ts';
import { bonusAccountId, receivableAccountId } from '../../server/store/wallet-input.ts';
import { SYSTEM_ACCOUNTS } from '../../server/store/types.ts';
import { playerAccountId } from '../../server/wallet/service.ts';
import type { SettledWager } from '../../actors/promotions/contribution.ts';

const DAY = 86_400_000;
const CONTRIBUTION = { sportsbookSinglePct: 100, sportsbookAccaPct: 100, minPriceMilli: 1500, roulettePct: 10, cashOutPct: 0 };
const WIN: SettledWager = { game: 'sportsbook', legPricesMilli: [2_000], cashedOut: false };

function match(id: string, optIn: boolean) {
  return {
    id, name: `${id} match`, status: 'active', startsAt: new Date(Date.now() - 60_000).toISOString(), endsAt: new Date(Date.now() + DAY).toISOString(),
    optIn, budgetMinor: 100_000, eligibility: {}, reason: 'test campaign',
    terms: {
      kind: 'deposit_match', matchPct: 50, maxBonusMinor: 10_000, minDepositMinor: 500, wageringMultiplier: 1, contribution: CONTRIBUTION,
      maxBetMinor: 3_000, conversionCapMinor: 10_000, validForMs: DAY,
    },
  };
}

describe('a chargeback takes back the bonus its deposit bought (PSP, claims, automatic awards)', function () {
  this.timeout(90_000);
  let cashier: CashierServer;
  let srv: TestServer;
  let psp: PspProcess;
  let admin: string;

  before(async () => {
    cashier = await bootWithCashier({ DEMO_BALANCE_MINOR: '0', ROULETTE_TABLES: '0' }, { username: 'cb_admin', password: 'correct-horse-battery-9' });
    ({ srv, psp, admin } = cashier);
    expect((await http(srv.url, 'POST', '/admin/promotions', match('cb-claimed', true), admin)).status).to.equal(201);
  });
  after(async () => cashier?.stop());
  afterEach(async () => {
    await psp.faults({ duplicate: 1 });
    const books = await srv.app.services.store.wallet.reconcile();
    expect(books.ok, JSON.stringify(books)).to.equal(true);
  });

  const store = () => srv.app.services.store;
  const payments = () => srv.app.features.payments!;
  const grant = (userId: string) => srv.app.features.promotions.grant(userId);
  const balance = async (id: string) => (await store().wallet.getAccount(id))!;
  const outcomes = async () => Object.fromEntries((await chargebackBonus.get()).values.map((v) => [v.labels.outcome, v.value]));
  const auditOf = async (userId: string) => (await store().audit.list({ limit: 200 })).items.filter((e) => e.target === `user:${userId}` && e.action.startsWith('player.bonus_'));

  const deposit = (token: string, amountMinor: number) => captureDeposit(cashier, token, amountMinor);

  async function chargeBack(d: { paymentId: string; pspId: string }): Promise<void> {
    expect((await psp.api('POST', `/v1/sandbox/payments/${d.pspId}/chargeback`)).status).to.equal(200);
    await until(async () => { const v = await payments().get(d.paymentId); return (v?.status === 'charged_back' && v.settled) || null; }, 15_000, 'chargeback applied');
  }

  it('forfeits a claimed match when its deposit is charged back (duplicated webhooks), then the late winnings of its open stake; a repeated webhook changes nothing', async () => {
    const p = await registerPlayer(srv, 'cbk');
    const dep = await deposit(p.token, 2_000);
    const claim = await http(srv.url, 'POST', '/promotions/cb-claimed/claim', { paymentId: dep.paymentId }, p.token);
    expect(claim.status, JSON.stringify(claim.body)).to.equal(201);
    expect((await store().wallet.transferByKey(`promo:cb-claimed:claim:${p.userId}`))?.memo).to.contain(dep.paymentId);
    // A stake of 2,500 spends the 2,000 cash and 500 of the 1,000 bonus, and stays open.
    const cash = playerAccountId(p.userId);
    const [bet] = await srv.app.services.wallet.apply([{ type: 'reserve', key: `cbk-bet-${p.userId}`, accountId: cash, amountMinor: 2_500, bonus: true }]);
    expect(bet!.ok, JSON.stringify(bet)).to.equal(true);
    expect(await grant(p.userId)).to.deep.include({ status: 'active', balanceMinor: 500, heldMinor: 500 });
    const campaignBefore = (await balance('promo:campaign:cb-claimed')).balanceMinor;
    const before = await outcomes();

    await psp.faults({ duplicate: 3 });
    await chargeBack(dep);
    await until(async () => (await payments().get(dep.paymentId))?.settled && (await store().users.findById(p.userId))?.status === 'locked' || null, 10_000, 'player locked');
    expect(await grant(p.userId)).to.deep.include({ status: 'forfeited', balanceMinor: 0, heldMinor: 500, forfeitedMinor: 500 });
    expect((await balance('promo:campaign:cb-claimed')).balanceMinor).to.equal(campaignBefore + 500);
    // The cash was all staked: the chargeback's 2,000 is the player's debt.
    expect((await payments().get(dep.paymentId))!.debtMinor).to.equal(2_000);
    const audit = await auditOf(p.userId);
    expect(audit).to.have.length(1);
    expect(audit[0]).to.deep.include({ action: 'player.bonus_forfeit', actorName: 'promotions', reason: `deposit ${dep.paymentId} charged back` });
    expect(audit[0]!.details).to.deep.include({ paymentId: dep.paymentId, forfeitedMinor: 500, grantId: `promo:cb-claimed:claim:${p.userId}` });
    expect((await outcomes()).forfeited).to.equal((before.forfeited ?? 0) + 1);

    // The open stake wins 5,000: the bonus share (1,000) goes back to the campaign as it arrives; the cash share pays the debt down.
    const settled = await srv.app.services.wallet.apply([
      { type: 'capture', key: `cbk-bet-${p.userId}:capture`, holdId: `cbk-bet-${p.userId}`, toAccountId: SYSTEM_ACCOUNTS.house, wager: WIN },
      { type: 'transfer', key: `cbk-bet-${p.userId}:payout`, fromAccountId: SYSTEM_ACCOUNTS.house, toAccountId: cash, amountMinor: 5_000, kind: 'payout', stakeHoldId: `cbk-bet-${p.userId}` },
    ], { atomic: true });
    expect(settled.every((o) => o.ok), JSON.stringify(settled)).to.equal(true);
    expect(await grant(p.userId)).to.deep.include({ status: 'forfeited', balanceMinor: 0, heldMinor: 0, forfeitedMinor: 1_500, convertedMinor: 0 });
    expect((await balance(bonusAccountId(cash))).balanceMinor).to.equal(0);
    expect((await balance('promo:campaign:cb-claimed')).balanceMinor).to.equal(campaignBefore + 1_500);
    expect((await balance(cash)).balanceMinor).to.equal(4_000 - 2_000);

    // A late repeated chargeback webhook (the lock is done): nothing more is forfeited, audited or counted.
    const again = await payments().applyPsp(dep.paymentId, await payments().provider.fetchStatus('payment', dep.pspId));
    expect(again.status).to.equal('charged_back');
    expect(await auditOf(p.userId)).to.have.length(1);
    expect((await balance('promo:campaign:cb-claimed')).balanceMinor).to.equal(campaignBefore + 1_500);
    expect((await outcomes()).forfeited).to.equal((before.forfeited ?? 0) + 1);
  });

  it('leaves the bonus alone when another deposit is charged back', async () => {
    const p = await registerPlayer(srv, 'cbk');
    const first = await deposit(p.token, 1_000);
    const second = await deposit(p.token, 2_000);
    expect((await http(srv.url, 'POST', '/promotions/cb-claimed/claim', { paymentId: second.paymentId }, p.token)).status).to.equal(201);
    const before = await outcomes();
    await chargeBack(first);
    await until(async () => (await store().users.findById(p.userId))?.status === 'locked' || null, 10_000, 'player locked');
    expect(await grant(p.userId)).to.deep.include({ status: 'active', balanceMinor: 1_000, forfeitedMinor: 0 });
    expect(await auditOf(p.userId)).to.have.length(0);
    expect((await outcomes()).none).to.equal((before.none ?? 0) + 1);
    // The chargeback itself took its 1,000 from the cash.
    expect((await balance(playerAccountId(p.userId))).balanceMinor).to.equal(2_000);
  });

  it('never fails the chargeback: a store error taking the bonus back is logged and counted', async () => {
    const broken = { ...store(), wallet: { ...store().wallet, bonusGrant: async () => { throw new Error('store down'); } } } as unknown as ReturnType<typeof store>;
    const rule = new ChargebackBonusRule(srv.app.features.promotions, broken, srv.app.services.wallet, srv.app.services.log, srv.app.services.now);
    const before = await outcomes();
    await rule.onChargedBack('nobody', 'dep_nonexistent0');
    expect((await outcomes()).failed).to.equal((before.failed ?? 0) + 1);
  });

  it('claws back an automatic match already converted to cash, up to the balance (the rest is debt)', async () => {
    expect((await http(srv.url, 'POST', '/admin/promotions', match('cb-auto', false), admin)).status).to.equal(201);
    const p = await registerPlayer(srv, 'cbk');
    const dep = await deposit(p.token, 2_000);
    await until(async () => (await grant(p.userId)) ?? null, 10_000, 'automatic bonus');
    const cash = playerAccountId(p.userId);
    // 2,500 staked (2,000 cash + 500 bonus) wins 5,000: 1,000 to the bonus, wagering met, 1,500 converted.
    const key = `cbk-auto-${p.userId}`;
    const placed = await srv.app.services.wallet.apply([{ type: 'reserve', key, accountId: cash, amountMinor: 2_500, bonus: true }]);
    expect(placed[0]!.ok).to.equal(true);
    await srv.app.services.wallet.apply([
      { type: 'capture', key: `${key}:capture`, holdId: key, toAccountId: SYSTEM_ACCOUNTS.house, wager: WIN },
      { type: 'transfer', key: `${key}:payout`, fromAccountId: SYSTEM_ACCOUNTS.house, toAccountId: cash, amountMinor: 5_000, kind: 'payout', stakeHoldId: key },
    ], { atomic: true });
    expect(await grant(p.userId)).to.deep.include({ status: 'converted', convertedMinor: 1_500 });
    expect((await balance(cash)).balanceMinor).to.equal(5_500);
    // Spend most of it so the balance cannot cover both the deposit and the converted bonus.
    const spent = await srv.app.services.wallet.apply([{ type: 'reserve', key: `${key}:open`, accountId: cash, amountMinor: 3_000 }]);
    expect(spent[0]!.ok).to.equal(true);
    const campaignBefore = (await balance('promo:campaign:cb-auto')).balanceMinor;

    await chargeBack(dep);
    await until(async () => (await store().users.findById(p.userId))?.status === 'locked' || null, 10_000, 'player locked');
    // The chargeback takes its 2,000 of the 2,500 available; the converted 1,500 takes the last 500 and leaves 1,000 of debt.
    expect(await balance(cash)).to.deep.include({ balanceMinor: 0, heldMinor: 3_000 });
    expect((await balance('promo:campaign:cb-auto')).balanceMinor).to.equal(campaignBefore + 500);
    expect((await balance(receivableAccountId(cash))).balanceMinor).to.equal(1_000);
    const audit = await auditOf(p.userId);
    expect(audit.map((e) => e.action)).to.deep.equal(['player.bonus_clawback']);
    expect(audit[0]!.details).to.deep.include({ paymentId: dep.paymentId, convertedMinor: 1_500, takenMinor: 500, debtMinor: 1_000 });
    // Repeating it moves nothing (the clawback's key is the grant's).
    const rule = new ChargebackBonusRule(srv.app.features.promotions, store(), srv.app.services.wallet, srv.app.services.log, srv.app.services.now);
    expect(await rule.apply(p.userId, dep.paymentId)).to.deep.include({ outcome: 'clawed_back', replayed: true, takenMinor: 500, debtMinor: 1_000 });
    expect((await balance(receivableAccountId(cash))).balanceMinor).to.equal(1_000);
    expect(await auditOf(p.userId)).to.have.length(1);
    await srv.app.services.wallet.apply([{ type: 'release', key: `${key}:open:release`, holdId: `${key}:open` }]);
    expect((await http(srv.url, 'POST', '/admin/promotions/cb-auto/end', { reason: 'test over' }, admin)).status).to.equal(200);
  });
});
