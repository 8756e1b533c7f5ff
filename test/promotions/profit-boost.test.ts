/**
 * Profit-boost tokens through a real market room with real SDK clients (docs/PROMOTIONS.md §3):
 * claimed over HTTP (one per player, the cap reserved from the budget), listed with their terms,
 * used on a bet with `profitBoostId`; a win pays the payout plus the capped extra from the
 * campaign, a loss returns the reserve, a re-settlement corrects both; bad tokens are typed errors
 * that change nothing; expiry returns the reserve. The books reconcile at the end.
 */
import { expect } from 'chai';
import type { Room } from '@colyseus/sdk';
import { bootTestServer, http, registerPlayer, type TestServer } from '../support/server.ts';
import { until, waitForState } from '../support/wait.ts';

const DAY = 86_400_000;
const EVENT = 'promo-market-pb';

describe('profit-boost tokens through a market room', function () {
  this.timeout(60_000);
  let srv: TestServer;
  let admin: string;

  before(async () => {
    srv = await bootTestServer({ DEMO_BALANCE_MINOR: '10000', ADMIN_USERNAME: 'pb_admin', ADMIN_PASSWORD: 'correct-horse-battery-9', BONUS_EXPIRY_SWEEP_MS: '0' });
    admin = (await http(srv.url, 'POST', '/auth/login', { username: 'pb_admin', password: 'correct-horse-battery-9' })).body.token;
  });
  after(async () => srv?.stop());

  const campaign = (id: string, terms: Record<string, unknown>, budgetMinor = 10_000) => ({
    id, name: id, status: 'active', startsAt: new Date(Date.now() - 60_000).toISOString(), endsAt: new Date(Date.now() + DAY).toISOString(), budgetMinor, reason: 'test',
    terms: { kind: 'profit_boost', boostPct: 50, maxExtraMinor: 400, minPriceMilli: 1_500, validForMs: DAY, ...terms },
  });
  const budgetOf = async (id: string) => (await http(srv.url, 'GET', '/admin/promotions', undefined, admin)).body.items.find((i: any) => i.campaign.id === id);
  const wallet = async (token: string) => (await http(srv.url, 'GET', '/wallet', undefined, token)).body;
  const tokensOf = async (token: string) => (await http(srv.url, 'GET', '/promotions/tokens', undefined, token)).body.items;

  it('pays a won boosted bet its payout plus the capped extra from the campaign; returns a lost one\'s reserve; corrects both on re-settlement; refuses bad tokens', async () => {
    expect((await http(srv.url, 'POST', '/admin/events', { eventId: EVENT, league: 'E0', home: 'Leeds', away: 'Burnley', startsAt: Date.now() + 3_600_000 }, admin)).status).to.equal(201);
    for (const c of [campaign('pb', {}), campaign('pb-small', {}, 700), campaign('pb-exp', { validForMs: 1 })]) {
      const made = await http(srv.url, 'POST', '/admin/promotions', c, admin);
      expect(made.status, JSON.stringify(made.body)).to.equal(201);
    }
    const p = await registerPlayer(srv, 'pbw');
    const q = await registerPlayer(srv, 'pbl');

    // Claims: one per player; the token reserves its cap, so a budget that cannot cover it refuses.
    const claimed = await http(srv.url, 'POST', '/promotions/pb/claim', {}, p.token);
    expect(claimed.status, JSON.stringify(claimed.body)).to.equal(201);
    expect(claimed.body.award).to.deep.include({ type: 'profit_boost', boostPct: 50, maxExtraMinor: 400, minPriceMilli: 1_500 });
    expect((await http(srv.url, 'POST', '/promotions/pb/claim', {}, p.token)).body.error.code).to.equal('promo/already_claimed');
    expect((await http(srv.url, 'POST', '/promotions/pb/claim', {}, q.token)).status).to.equal(201);
    expect((await http(srv.url, 'POST', '/promotions/pb-small/claim', {}, p.token)).status).to.equal(201);
    expect((await http(srv.url, 'POST', '/promotions/pb-small/claim', {}, q.token)).body.error.code).to.equal('promo/budget_spent');
    const [token] = (await tokensOf(p.token)).filter((t: any) => t.campaignId === 'pb');
    expect(token).to.deep.include({ kind: 'profit_boost', tokenId: `promo:pb:claim:${p.userId}`, boostPct: 50, maxExtraMinor: 400, minPriceMilli: 1_500 });
    expect(Date.parse(token.expiresAt)).to.be.greaterThan(Date.now() + DAY - 60_000);
    const qToken = (await tokensOf(q.token))[0].tokenId;

    const roomOf = async (player: typeof p) => {
      const room: Room = await player.client.join('market', { eventId: EVENT });
      room.onMessage('*', () => undefined);
      await waitForState(room, (s: any) => s.markets?.get('1x2')?.status === 'open', 5000, 'markets');
      return room;
    };
    const [room, qRoom] = [await roomOf(p), await roomOf(q)];
    const price = (sel: string) => (room.state as any).markets.get('1x2').selections.get(sel).priceMilli as number;
    const bet = (r: Room, betId: string, sel: string, extra: Record<string, unknown>, priceMilli = price(sel), acceptance = 'exact') =>
      r.request('bet', { betId, marketId: '1x2', selectionId: sel, stakeMinor: 1_000, priceMilli, acceptance, ...extra }) as Promise<any>;

    // Bad inputs: typed errors, no money moved, the token still there.
    const before = await wallet(p.token);
    expect((await bet(qRoom, 'q-steal', 'draw', { profitBoostId: token.tokenId })).error.code).to.equal('promo/no_token');
    expect((await bet(room, 'p-cheap', 'draw', { profitBoostId: token.tokenId }, 1_400, 'better')).error.code).to.equal('promo/profit_boost_min_price');
    expect((await bet(room, 'p-any', 'draw', { profitBoostId: token.tokenId }, price('draw'), 'any')).error.code).to.equal('promo/profit_boost_min_price');
    expect((await bet(room, 'p-both', 'draw', { profitBoostId: token.tokenId, freeBetId: 'promo:x:claim:y' })).error.code).to.equal('promo/invalid_bet');
    expect((await bet(room, 'p-other', 'draw', { profitBoostId: 'promo:pb-small:claim:someone' })).error.code).to.equal('promo/no_token');
    expect((await http(srv.url, 'POST', '/promotions/pb-exp/claim', {}, p.token)).status).to.equal(201);
    expect((await bet(room, 'p-expired', 'draw', { profitBoostId: `promo:pb-exp:claim:${p.userId}` })).error.code).to.equal('promo/token_expired');
    expect(await wallet(p.token)).to.deep.equal(before);
    expect((await tokensOf(p.token)).map((t: any) => t.campaignId).sort()).to.deep.equal(['pb', 'pb-exp', 'pb-small']);

    // The boosted bet: the player's own stake, the token consumed with it.
    const draw = price('draw');
    const placed = await bet(room, 'p-draw', 'draw', { profitBoostId: token.tokenId });
    expect(placed, JSON.stringify(placed)).to.include({ ok: true, status: 'accepted', priceMilli: draw });
    expect(placed.profitBoost).to.deep.equal({ boostPct: 50, maxExtraMinor: 400 });
    expect(await wallet(p.token)).to.deep.include({ balanceMinor: 10_000, availableMinor: 9_000, heldMinor: 1_000 });
    expect((await tokensOf(p.token)).map((t: any) => t.campaignId).sort()).to.deep.equal(['pb-exp', 'pb-small']);
    expect((await bet(room, 'p-again', 'draw', { profitBoostId: token.tokenId })).error.code).to.equal('promo/no_token');
    expect(await bet(qRoom, 'q-home', 'home', { profitBoostId: qToken })).to.include({ ok: true, status: 'accepted' });

    // Expiry returns the expired token's cap to its campaign.
    expect(await srv.app.features.promotions.sweepExpiredTokens()).to.equal(1);
    expect(await budgetOf('pb-exp')).to.deep.include({ spentMinor: 0, remainingMinor: 10_000 });

    let seq = 0;
    for (const msg of [{ type: 'kick_off', minute: 0 }, { type: 'half_time', minute: 45 }, { type: 'second_half_kick_off', minute: 45 }, { type: 'full_time', minute: 90 }]) {
      expect((await http(srv.url, 'POST', '/admin/feed', { eventId: EVENT, seq: ++seq, at: Date.now(), ...msg }, admin)).status).to.equal(202);
    }
    // 0-0: the draw wins. Payout plus 50% of the winnings, at most 400; the home bet lost, its reserve returned.
    const gross = Math.floor((1_000 * draw) / 1000);
    const extra = Math.min(Math.floor(((gross - 1_000) * 50) / 100), 400);
    const expected = 9_000 + gross + extra;
    await until(async () => { const w = await wallet(p.token); return w.heldMinor === 0 && w.balanceMinor === expected ? w : null; }, 10_000, `balance ${expected}`);
    await until(async () => ((await wallet(q.token)).heldMinor === 0 ? true : null), 10_000, 'q settled');
    expect((await wallet(q.token)).balanceMinor).to.equal(9_000);
    await until(async () => ((await budgetOf('pb')).spentMinor === extra ? true : null), 10_000, 'campaign settled');
    expect(await budgetOf('pb')).to.deep.include({ fundedMinor: 10_000, spentMinor: extra, remainingMinor: 10_000 - extra });

    // The league awards the match to the home side: p's draw bet lost (payout and extra taken back,
    // the extra to the campaign), q's home bet won (payout from the house, the extra from the campaign).
    const corrected = await http(srv.url, 'POST', `/admin/events/${EVENT}/markets/1x2/resettle`, { reason: 'awarded to the home side', result: { winner: 'home' } }, admin);
    expect(corrected.status, JSON.stringify(corrected.body)).to.equal(200);
    const qBet = (await qRoom.request('myBets', {}) as any).bets.find((b: any) => b.betId === 'q-home');
    const qGross = Math.floor((1_000 * qBet.priceMilli) / 1000);
    const qExtra = Math.min(Math.floor(((qGross - 1_000) * 50) / 100), 400);
    await until(async () => ((await wallet(q.token)).balanceMinor === 9_000 + qGross + qExtra ? true : null), 10_000, 'q corrected');
    await until(async () => ((await wallet(p.token)).balanceMinor === 9_000 ? true : null), 10_000, 'p corrected');
    expect(await budgetOf('pb')).to.deep.include({ spentMinor: qExtra, remainingMinor: 10_000 - qExtra });
    const books = await srv.app.services.store.wallet.reconcile();
    expect(books.ok, JSON.stringify(books)).to.equal(true);
    expect(books.openHoldCount).to.equal(1); // the unused pb-small token
    await room.leave();
    await qRoom.leave();
  });
});
