/**
 * Self-exclusion's return of funds (LCCP SR 3.5.3) through the sandbox PSP process: once the
 * player's accepted stakes have settled, their cash goes back to the card of their latest deposit
 * by the cashier's payout path, once per exclusion; an unverified player gets back what they
 * deposited and the rest is flagged; a player with no deposit is flagged; an active bonus is forfeited.
 */
import { expect } from 'chai';
import { bootWithCashier, captureDeposit, type CashierServer } from '../support/cashier.ts';
import { waitFor } from '../support/psp.ts';
import { http, registerPlayer, type TestServer } from '../support/server.ts';
import { SYSTEM_ACCOUNTS } from '../../server/store/types.ts';
import { bonusAccountId } from '../../server/store/wallet-input.ts';
import { DEFAULT_CONTRIBUTION } from '../../actors/promotions/contribution.ts';

describe('self-exclusion: the player\'s funds are returned to their deposit card', function () {
  this.timeout(60_000);
  let cashier: CashierServer;
  let srv: TestServer;
  let admin: string;

  before(async () => {
    cashier = await bootWithCashier({ DEMO_BALANCE_MINOR: '0', KYC_REQUIRED_FOR: 'withdrawal', SELF_EXCLUSION_RETURN_SWEEP_SECONDS: '0' }, { username: 'rg_ops', password: 'rg-ops-pass-1' });
    ({ srv, admin } = cashier);
  });
  after(async () => cashier?.stop());

  const returns = () => srv.app.features.fundsReturns!;
  const payments = () => srv.app.features.payments!;
  const ledger = () => srv.app.services.store.wallet;
  const account = (userId: string) => `player:${userId}`;

  const deposit = (p: { token: string }, amountMinor: number, card?: string) => captureDeposit(cashier, p.token, amountMinor, card);
  const payoutPaid = (paymentId: string) => waitFor(async () => { const v = await payments().get(paymentId); return v?.status === 'paid' && v.settled; }, 15_000, 'payout paid');
  async function verify(token: string, fullName: string) {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]);
    const query = new URLSearchParams({ fullName, dateOfBirth: '1980-01-02', country: 'GB', documentNumber: `P${Math.floor(Math.random() * 1e7)}` });
    const res = await fetch(`${srv.url}/kyc/documents?${query}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'image/png' }, body: png });
    expect(((await res.json()) as { status: string }).status).to.equal('verified');
  }
  const exclude = async (token: string) => expect((await http(srv.url, 'POST', '/protection/self-exclusion', { months: 6 }, token)).status).to.equal(200);
  const withdrawals = async (userId: string) => (await payments().listForPlayer(userId)).filter((p) => p.kind === 'withdrawal');
  const available = async (userId: string) => (await ledger().getAccount(account(userId)))!.balanceMinor;
  const win = async (userId: string, key: string, amountMinor: number) =>
    expect((await ledger().apply([{ type: 'transfer', key, fromAccountId: SYSTEM_ACCOUNTS.house, toAccountId: account(userId), amountMinor, kind: 'payout' }]))[0]!.ok).to.equal(true);

  it('waits for open stakes to settle, then pays the whole balance of a verified player to their latest card, once, audited', async () => {
    const p = await registerPlayer(srv, 'sxr');
    await verify(p.token, 'Ada Returned');
    await deposit(p, 3_000, '4000056655665556');
    await deposit(p, 2_000);
    const stake = `roulette:sx-table:bet:${p.userId}`;
    expect((await ledger().apply([{ type: 'reserve', key: stake, accountId: account(p.userId), amountMinor: 1_000 }]))[0]!.ok).to.equal(true);

    await exclude(p.token);
    expect(await returns().sweep()).to.be.greaterThan(0);
    expect(await withdrawals(p.userId), 'nothing paid while a stake is open').to.have.length(0);
    const waiting = (await http(srv.url, 'GET', '/admin/protection/funds-returns?status=waiting', undefined, admin)).body.items;
    expect(waiting.map((r: any) => r.userId)).to.include(p.userId);

    // The accepted bet stands and settles (a win), then the sweep returns everything.
    expect((await ledger().apply([{ type: 'capture', key: `${stake}:lose`, holdId: stake, toAccountId: SYSTEM_ACCOUNTS.house }]))[0]!.ok).to.equal(true);
    await win(p.userId, `sx-win:${p.userId}`, 1_500);
    await returns().sweep();
    const [w] = await withdrawals(p.userId);
    expect(w, 'one withdrawal').to.not.equal(undefined);
    expect(w!.amountMinor).to.equal(5_500); // 5,000 deposited, 1,000 lost, 1,500 won
    const cards = await payments().instruments(p.userId);
    const latest = (await payments().listForPlayer(p.userId)).find((x) => x.kind === 'deposit')!.instrument!;
    expect(cards).to.have.length(2);
    expect(w!.method, 'the card of the latest deposit').to.equal(`${latest.brand} ${latest.last4}`);
    expect(latest.last4).to.equal('4242');
    await payoutPaid(w!.paymentId);

    await returns().sweep();
    await returns().sweep();
    expect(await withdrawals(p.userId), 'idempotent: one return per exclusion').to.have.length(1);
    expect(await available(p.userId)).to.equal(0);
    const done = (await http(srv.url, 'GET', '/admin/protection/funds-returns?status=completed', undefined, admin)).body.items.find((r: any) => r.userId === p.userId);
    expect(done).to.deep.include({ status: 'completed', returnedMinor: 5_500 });
    // Taking the exclusion again (a longer one) does not pay twice: nothing is left.
    await returns().onBlocked(p.userId, (await srv.app.services.protection.record(p.userId)));
    expect(await withdrawals(p.userId)).to.have.length(1);
    const audit = (await http(srv.url, 'GET', '/admin/audit?limit=200', undefined, admin)).body.items.filter((e: any) => e.target === `user:${p.userId}`).map((e: any) => e.action);
    expect(audit).to.include.members(['protection.funds_return_requested', 'protection.funds_return_payment', 'protection.funds_return_completed']);
  });

  it('forfeits an active bonus, returns an unverified player\'s deposits and flags the winnings above them', async () => {
    const p = await registerPlayer(srv, 'sxu');
    await deposit(p, 2_000);
    await win(p.userId, `sxu-win:${p.userId}`, 1_500);
    await ledger().ensureAccount(bonusAccountId(account(p.userId)), 'player', srv.app.services.wallet.currency);
    expect((await ledger().apply([{
      type: 'bonusGrant', key: `sxu-bonus:${p.userId}`, accountId: account(p.userId), fromAccountId: SYSTEM_ACCOUNTS.promotions, amountMinor: 700,
      wageringRequiredMinor: 10_000, maxBetMinor: 0, conversionCapMinor: 10_000, expiresAt: Date.now() + 3_600_000, contribution: DEFAULT_CONTRIBUTION,
    }]))[0]!.ok).to.equal(true);

    await exclude(p.token);
    expect((await ledger().bonusGrant(account(p.userId)))!.status, 'bonus forfeited').to.equal('forfeited');
    const [w] = await withdrawals(p.userId);
    expect(w!.amountMinor, 'their own deposit back, without KYC').to.equal(2_000);
    await payoutPaid(w!.paymentId);
    await returns().sweep();
    const { state } = await returns().load(p.userId);
    expect(state).to.deep.include({ status: 'flagged', reason: 'kyc_unverified', flaggedMinor: 1_500 });
    expect(await available(p.userId), 'the winnings wait for an operator').to.equal(1_500);
  });

  it('flags a player with no deposit on record (demo credit only) and pays nothing', async () => {
    const p = await registerPlayer(srv, 'sxd');
    expect((await ledger().apply([{ type: 'transfer', key: `sxd-demo:${p.userId}`, fromAccountId: SYSTEM_ACCOUNTS.promotions, toAccountId: account(p.userId), amountMinor: 4_000, kind: 'promotion' }]))[0]!.ok).to.equal(true);
    await exclude(p.token);
    const flagged = (await http(srv.url, 'GET', '/admin/protection/funds-returns?status=flagged', undefined, admin)).body.items.find((r: any) => r.userId === p.userId);
    expect(flagged).to.deep.include({ status: 'flagged', reason: 'no_deposit', flaggedMinor: 4_000 });
    expect(await withdrawals(p.userId)).to.have.length(0);
    expect((await http(srv.url, 'GET', '/admin/protection/funds-returns?status=nope', undefined, admin)).body.error.code).to.equal('http/invalid_query');
    const fresh = (await http(srv.url, 'POST', '/auth/login', { username: p.username, password: 'correct-horse-1' })).body.token;
    expect((await http(srv.url, 'GET', '/admin/protection/funds-returns', undefined, fresh)).status, 'operators only').to.equal(403);
  });

  it('keeps the demo credit (the operator\'s money) and returns the rest', async () => {
    const p = await registerPlayer(srv, 'sxm');
    await verify(p.token, 'Demo Keeper');
    // What registration credits when DEMO_BALANCE_MINOR is set (server/wallet/service.ts).
    expect((await ledger().apply([{ type: 'transfer', key: `promo:signup:${p.userId}`, fromAccountId: SYSTEM_ACCOUNTS.promotions, toAccountId: account(p.userId), amountMinor: 10_000, kind: 'promotion' }]))[0]!.ok).to.equal(true);
    await deposit(p, 2_500);
    await exclude(p.token);
    const [w] = await withdrawals(p.userId);
    expect(w!.amountMinor).to.equal(2_500);
    await payoutPaid(w!.paymentId);
    await returns().sweep();
    expect((await returns().load(p.userId)).state).to.deep.include({ status: 'completed', returnedMinor: 2_500, retainedMinor: 10_000 });
  });

  it('keeps the books balanced', async () => {
    const r = await ledger().reconcile();
    expect(r.sumOfBalancesMinor).to.equal(0);
    expect((await ledger().getAccount('sys:psp-clearing'))!.balanceMinor).to.equal(0);
  });
});
