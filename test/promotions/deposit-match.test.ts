/**
 * Deposit-match wagering cycles through real rooms with real SDK clients (docs/PROMOTIONS.md):
 * a real deposit through the sandbox PSP, a claim over HTTP, bets that spend cash first and then
 * bonus money, bonus-funded winnings paid to the bonus, wagering counted by the campaign's
 * weights, and conversion to cash up to the cap, with every amount checked exactly.
 */
import { expect } from 'chai';
import type { Room } from '@colyseus/sdk';
import { bootWithCashier, captureDeposit, type CashierServer } from '../support/cashier.ts';
import { http, registerPlayer, type TestServer } from '../support/server.ts';
import { until, waitForState } from '../support/wait.ts';

const DAY = 86_400_000;
const RED = new Set([1, 3, 5, 7, 9, 12, 14, 16, 18, 19, 21, 23, 25, 27, 30, 32, 34, 36]);
const CONTRIBUTION = { sportsbookSinglePct: 100, sportsbookAccaPct: 100, minPriceMilli: 1500, roulettePct: 10, cashOutPct: 0 };

function depositMatch(id: string, t: { matchPct: number; maxBonusMinor: number; conversionCapMinor: number }) {
  return {
    id, name: `${id} welcome`, status: 'active', startsAt: new Date(Date.now() - 60_000).toISOString(), endsAt: new Date(Date.now() + DAY).toISOString(),
    optIn: true, budgetMinor: 100_000, eligibility: { maxDeposits: 0 }, reason: 'test campaign',
    terms: {
      kind: 'deposit_match', matchPct: t.matchPct, maxBonusMinor: t.maxBonusMinor, minDepositMinor: 500, wageringMultiplier: 1, contribution: CONTRIBUTION,
      maxBetMinor: 3_000, conversionCapMinor: t.conversionCapMinor, validForMs: DAY,
    },
  };
}

describe('deposit match through the rooms (PSP, HTTP claim, roulette and sportsbook)', function () {
  this.timeout(90_000);
  let cashier: CashierServer;
  let srv: TestServer;
  let admin: string;

  before(async () => {
    cashier = await bootWithCashier({
      DEMO_BALANCE_MINOR: '0', ROULETTE_TABLES: '1', ROULETTE_BETTING_WINDOW_MS: '1500', ROULETTE_SPIN_MS: '100', ROULETTE_PAUSE_MS: '60000', BET_DELAY_MS: '300', MARKET_RESUME_AFTER_MS: '300',
    }, { username: 'promo_admin', password: 'correct-horse-battery-9' });
    ({ srv, admin } = cashier);
  });
  after(async () => cashier?.stop());
  afterEach(async () => {
    const books = await srv.app.services.store.wallet.reconcile();
    expect(books.ok, JSON.stringify(books)).to.equal(true);
  });

  async function depositAndClaim(campaignId: string, amountMinor: number) {
    const p = await registerPlayer(srv, 'dm');
    const { paymentId } = await captureDeposit(cashier, p.token, amountMinor);
    const claim = await http(srv.url, 'POST', `/promotions/${campaignId}/claim`, { paymentId }, p.token);
    expect(claim.status, JSON.stringify(claim.body)).to.equal(201);
    const again = await http(srv.url, 'POST', `/promotions/${campaignId}/claim`, { paymentId }, p.token);
    expect(again.status).to.equal(409);
    expect(again.body.error.code).to.equal('promo/already_claimed');
    return { ...p, claim: claim.body };
  }

  const wallet = async (token: string) => (await http(srv.url, 'GET', '/wallet', undefined, token)).body;
  const bonus = async (token: string) => (await http(srv.url, 'GET', '/promotions/bonus', undefined, token)).body.bonus;

  it('roulette: a stake of cash then bonus, winnings split by stake share, 10% wagering, conversion capped', async () => {
    expect((await http(srv.url, 'POST', '/admin/promotions', depositMatch('casino', { matchPct: 10, maxBonusMinor: 100, conversionCapMinor: 150 }), admin)).status).to.equal(201);
    const p = await depositAndClaim('casino', 1_000);
    expect(p.claim.award).to.deep.include({ type: 'bonus', amountMinor: 100, wageringRequiredMinor: 100 });
    expect(p.claim.bonus).to.deep.include({ status: 'active', balanceMinor: 100, wageredMinor: 0, wageringRequiredMinor: 100 });

    const room: Room = await p.client.join('roulette', { tableId: 'roulette-1' });
    room.onMessage('*', () => undefined);
    const betting = await waitForState(room, (s: any) => s.phase === 'betting', 10_000, 'betting');
    // 1,100 on red: 1,000 cash, then 100 bonus.
    const reply: any = await room.request('bet', { betId: 'dm-red', spot: { kind: 'red' }, stakeMinor: 1_100 });
    expect(reply, JSON.stringify(reply)).to.include({ ok: true });
    expect(await wallet(p.token)).to.deep.include({ balanceMinor: 1_000, availableMinor: 0 });
    expect(await bonus(p.token)).to.deep.include({ balanceMinor: 0, heldMinor: 100 });
    const settled: any = await waitForState(room, (s: any) => s.phase === 'settled' && s.roundId === betting.roundId, 15_000, 'settlement');
    const won = RED.has(settled.pocket);
    // Red pays 2× gross: 2,200, of which floor(2,200 × 100 / 1,100) = 200 to the bonus. Wagering 10% of 1,100 = 110 ≥ 100, and
    // no bonus stake is open: the bonus converts, at most 150; the rest is forfeited.
    const bonusWinnings = won ? 200 : 0;
    const converted = Math.min(bonusWinnings, 150);
    const expectedCash = (won ? 2_000 : 0) + converted;
    const b = await until(async () => { const v = await bonus(p.token); return v.status === 'converted' ? v : null; }, 10_000, 'conversion');
    expect(b).to.deep.include({ wageredMinor: 110, convertedMinor: converted, forfeitedMinor: bonusWinnings - converted, balanceMinor: 0, heldMinor: 0 });
    expect(await wallet(p.token)).to.deep.include({ balanceMinor: expectedCash, heldMinor: 0 });
    await room.leave();
  });

  it('sportsbook: a single at 1.50 or more counts 100%, its bonus share of winnings converts once wagering is met', async () => {
    expect((await http(srv.url, 'POST', '/admin/promotions', depositMatch('sports', { matchPct: 100, maxBonusMinor: 1_000, conversionCapMinor: 1_500 }), admin)).status).to.equal(201);
    const p = await depositAndClaim('sports', 1_000);
    expect(p.claim.award).to.deep.include({ amountMinor: 1_000, wageringRequiredMinor: 1_000 });

    const eventId = 'promo-ev-1';
    expect((await http(srv.url, 'POST', '/admin/events', { eventId, league: 'E0', home: 'Arsenal', away: 'Everton', startsAt: Date.now() + 3_600_000 }, admin)).status).to.equal(201);
    let seq = 0;
    const feed = async (msg: Record<string, unknown>) => expect((await http(srv.url, 'POST', '/admin/feed', { eventId, seq: ++seq, at: Date.now(), ...msg }, admin)).status).to.equal(202);
    const room: Room = await p.client.join('market', { eventId });
    room.onMessage('*', () => undefined);
    await waitForState(room, (s: any) => s.markets?.get('1x2')?.status === 'open', 5000, 'markets open');
    const price = (room.state as any).markets.get('1x2').selections.get('draw').priceMilli as number;
    expect(price).to.be.at.least(1_500);
    // A stake above the max bet using bonus money is refused; 1,600 = 1,000 cash + 600 bonus is taken.
    const tooBig: any = await room.request('bet', { betId: 'dm-big', marketId: '1x2', selectionId: 'draw', stakeMinor: 3_001, priceMilli: price, acceptance: 'exact' });
    expect(tooBig.error?.code).to.be.oneOf(['wallet/bonus_max_bet', 'wallet/insufficient_funds']);
    const bet: any = await room.request('bet', { betId: 'dm-draw', marketId: '1x2', selectionId: 'draw', stakeMinor: 1_600, priceMilli: price, acceptance: 'exact' });
    expect(bet, JSON.stringify(bet)).to.include({ ok: true, status: 'accepted' });
    expect(await bonus(p.token)).to.deep.include({ balanceMinor: 400, heldMinor: 600 });

    await feed({ type: 'kick_off', minute: 0 });
    await feed({ type: 'half_time', minute: 45 });
    await feed({ type: 'second_half_kick_off', minute: 45 });
    await feed({ type: 'full_time', minute: 90 });
    const gross = Math.floor((1_600 * price) / 1_000);
    const bonusShare = Math.floor((gross * 600) / 1_600);
    const bonusBalance = 400 + bonusShare;
    const converted = Math.min(bonusBalance, 1_500);
    const b = await until(async () => { const v = await bonus(p.token); return v.status === 'converted' ? v : null; }, 10_000, 'conversion');
    expect(b).to.deep.include({ wageredMinor: 1_600, convertedMinor: converted, forfeitedMinor: bonusBalance - converted, balanceMinor: 0 });
    expect(await wallet(p.token)).to.deep.include({ balanceMinor: gross - bonusShare + converted, heldMinor: 0 });

    const listed = await http(srv.url, 'GET', '/admin/promotions', undefined, admin);
    const sports = listed.body.items.find((i: any) => i.campaign.id === 'sports');
    expect(sports).to.deep.include({ fundedMinor: 100_000, spentMinor: 1_000 - (bonusBalance - converted) });
    const claims = await http(srv.url, 'GET', '/admin/promotions/sports/claims', undefined, admin);
    expect(claims.body.items).to.have.length(1);
    expect(claims.body.items[0]).to.deep.include({ userId: p.userId, awardedMinor: 1_000 });
    const books = await srv.app.services.store.wallet.reconcile();
    expect(books.bonusConvertedMinor).to.be.at.least(converted);
    await room.leave();
  });
});
