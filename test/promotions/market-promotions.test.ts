/**
 * A free bet and an odds boost through a real market room with real SDK clients
 * (docs/PROMOTIONS.md §3): the free bet is claimed over HTTP and staked from its token (the
 * player's cash untouched), its win pays the winnings only; the boosted bet stands at the boosted
 * price within the per-player max stake, its liability counted at that price; exact payouts.
 */
import { expect } from 'chai';
import type { Room } from '@colyseus/sdk';
import { bootTestServer, http, registerPlayer, type TestServer } from '../support/server.ts';
import { until, waitForState } from '../support/wait.ts';

const DAY = 86_400_000;
const EVENT = 'promo-market-1';

describe('free bet and odds boost through a market room', function () {
  this.timeout(60_000);
  let srv: TestServer;
  let admin: string;

  before(async () => {
    srv = await bootTestServer({ DEMO_BALANCE_MINOR: '10000', ADMIN_USERNAME: 'mp_admin', ADMIN_PASSWORD: 'correct-horse-battery-9', BET_DELAY_MS: '300' });
    admin = (await http(srv.url, 'POST', '/auth/login', { username: 'mp_admin', password: 'correct-horse-battery-9' })).body.token;
  });
  after(async () => srv?.stop());

  const campaign = (id: string, terms: Record<string, unknown>) => ({
    id, name: id, status: 'active', startsAt: new Date(Date.now() - 60_000).toISOString(), endsAt: new Date(Date.now() + DAY).toISOString(), budgetMinor: 10_000, reason: 'test', terms,
  });

  it('stakes a free bet from its token and pays only its winnings; takes a boosted bet at the boost within its max stake', async () => {
    expect((await http(srv.url, 'POST', '/admin/events', { eventId: EVENT, league: 'E0', home: 'Spurs', away: 'Brentford', startsAt: Date.now() + 3_600_000 }, admin)).status).to.equal(201);
    const p = await registerPlayer(srv, 'mp');
    const room: Room = await p.client.join('market', { eventId: EVENT });
    room.onMessage('*', () => undefined);
    await waitForState(room, (s: any) => s.markets?.get('1x2')?.status === 'open', 5000, 'markets');
    const price = (sel: string) => (room.state as any).markets.get('1x2').selections.get(sel).priceMilli as number;
    const draw = price('draw');
    const boosted = draw + 1_000;

    expect((await http(srv.url, 'POST', '/admin/promotions', campaign('fb', { kind: 'free_bet', stakeMinor: 500, minPriceMilli: 1_500, validForMs: DAY }), admin)).status).to.equal(201);
    expect((await http(srv.url, 'POST', '/admin/promotions', campaign('boost', { kind: 'odds_boost', eventId: EVENT, marketId: '1x2', selectionId: 'draw', boostedPriceMilli: boosted, maxStakePerPlayerMinor: 1_500 }), admin)).status).to.equal(201);

    const claimed = await http(srv.url, 'POST', '/promotions/fb/claim', {}, p.token);
    expect(claimed.status, JSON.stringify(claimed.body)).to.equal(201);
    expect(claimed.body.award).to.deep.include({ type: 'free_bet', stakeMinor: 500, minPriceMilli: 1_500 });
    const tokens = (await http(srv.url, 'GET', '/promotions/tokens', undefined, p.token)).body.items;
    expect(tokens).to.have.length(1);
    const tokenId = tokens[0].tokenId;

    const bet = (betId: string, sel: string, stakeMinor: number, extra: Record<string, unknown>, priceMilli = price(sel)) =>
      room.request('bet', { betId, marketId: '1x2', selectionId: sel, stakeMinor, priceMilli, acceptance: 'exact', ...extra }) as Promise<any>;
    // A free bet stakes exactly its token, at its minimum price or more.
    expect((await bet('fb-wrong', 'draw', 400, { freeBetId: tokenId })).error.code).to.equal('promo/free_bet_stake');
    expect((await bet('fb-other', 'draw', 500, { freeBetId: `promo:fb:claim:someone-else` })).error.code).to.equal('promo/no_token');
    const free = await bet('fb-1', 'draw', 500, { freeBetId: tokenId });
    expect(free, JSON.stringify(free)).to.include({ ok: true, status: 'accepted' });
    expect((await http(srv.url, 'GET', '/wallet', undefined, p.token)).body).to.deep.include({ balanceMinor: 10_000, heldMinor: 0 });
    expect((await http(srv.url, 'GET', '/promotions/tokens', undefined, p.token)).body.items).to.deep.equal([]);
    expect((await bet('fb-2', 'draw', 500, { freeBetId: tokenId })).error.code).to.equal('promo/no_token');

    // The boost: at the boosted price, up to 1,500 per player; the price asked must be the boost.
    expect((await bet('bo-stale', 'draw', 1_000, { boostId: 'boost' }, draw)).error.code).to.equal('promo/boost_changed');
    expect((await bet('bo-home', 'home', 1_000, { boostId: 'boost' })).error.code).to.equal('promo/no_boost');
    const b1 = await bet('bo-1', 'draw', 1_000, { boostId: 'boost' }, boosted);
    expect(b1, JSON.stringify(b1)).to.include({ ok: true, status: 'accepted', priceMilli: boosted });
    expect((await bet('bo-2', 'draw', 600, { boostId: 'boost' }, boosted)).error.code).to.equal('promo/boost_limit');
    expect(await bet('bo-3', 'draw', 500, { boostId: 'boost' }, boosted)).to.include({ ok: true, priceMilli: boosted });

    // Liability on the draw counts the free bet at the market price and the boosted bets at the boost.
    const risk = (await http(srv.url, 'GET', `/admin/risk/events/${EVENT}`, undefined, admin)).body;
    const drawRisk = risk.markets.find((m: any) => m.marketId === '1x2').selections.find((s: any) => s.selectionId === 'draw');
    const liability = (stake: number, priceMilli: number) => Math.floor((stake * priceMilli) / 1000) - stake;
    expect(drawRisk.liabilityMinor).to.equal(liability(500, draw) + liability(1_500, boosted));

    let seq = 0;
    for (const msg of [{ type: 'kick_off', minute: 0 }, { type: 'half_time', minute: 45 }, { type: 'second_half_kick_off', minute: 45 }, { type: 'full_time', minute: 90 }]) {
      expect((await http(srv.url, 'POST', '/admin/feed', { eventId: EVENT, seq: ++seq, at: Date.now(), ...msg }, admin)).status).to.equal(202);
    }
    // 0-0: the draw wins. The free bet pays its winnings only; the boosted bets their gross at the boost.
    const expected = 10_000 - 1_500 + Math.floor((1_000 * boosted) / 1000) + Math.floor((500 * boosted) / 1000) + (Math.floor((500 * draw) / 1000) - 500);
    await until(async () => { const w = (await http(srv.url, 'GET', '/wallet', undefined, p.token)).body; return w.heldMinor === 0 && w.balanceMinor === expected ? w : null; }, 10_000, `balance ${expected}`);
    const fb = (await http(srv.url, 'GET', '/admin/promotions', undefined, admin)).body.items.find((i: any) => i.campaign.id === 'fb');
    expect(fb).to.deep.include({ spentMinor: 500, remainingMinor: 9_500 });
    const books = await srv.app.services.store.wallet.reconcile();
    expect(books.ok, JSON.stringify(books)).to.equal(true);
    expect(books.openHoldCount).to.equal(0);
    await room.leave();
  });

  it('pays cash-back on the net cash loss over the period, once', async () => {
    const eventId = 'promo-market-cb';
    expect((await http(srv.url, 'POST', '/admin/events', { eventId, league: 'E0', home: 'Hull', away: 'Stoke', startsAt: Date.now() + 3_600_000 }, admin)).status).to.equal(201);
    expect((await http(srv.url, 'POST', '/admin/promotions', campaign('cb', { kind: 'cash_back', sharePct: 10, periodMs: DAY, maxMinor: 5_000, paidAs: 'cash', wageringMultiplier: 0, validForMs: DAY }), admin)).status).to.equal(201);
    const p = await registerPlayer(srv, 'cb');
    expect((await http(srv.url, 'POST', '/promotions/cb/claim', {}, p.token)).body.error.code).to.equal('promo/nothing_due');
    const room: Room = await p.client.join('market', { eventId });
    room.onMessage('*', () => undefined);
    await waitForState(room, (s: any) => s.markets?.get('1x2')?.status === 'open', 5000, 'markets');
    const price = (sel: string) => (room.state as any).markets.get('1x2').selections.get(sel).priceMilli as number;
    const bet = (betId: string, sel: string, stakeMinor: number) => room.request('bet', { betId, marketId: '1x2', selectionId: sel, stakeMinor, priceMilli: price(sel), acceptance: 'exact' }) as Promise<any>;
    expect(await bet('cb-home', 'home', 2_000)).to.include({ ok: true });
    const drawBet = await bet('cb-draw', 'draw', 500);
    expect(drawBet).to.include({ ok: true, status: 'accepted' });
    // An open stake is not a loss yet.
    expect((await http(srv.url, 'POST', '/promotions/cb/claim', {}, p.token)).body.error.code).to.equal('promo/nothing_due');
    let seq = 0;
    for (const msg of [{ type: 'kick_off', minute: 0 }, { type: 'half_time', minute: 45 }, { type: 'second_half_kick_off', minute: 45 }, { type: 'full_time', minute: 90 }]) {
      expect((await http(srv.url, 'POST', '/admin/feed', { eventId, seq: ++seq, at: Date.now(), ...msg }, admin)).status).to.equal(202);
    }
    const drawGross = Math.floor((500 * drawBet.priceMilli) / 1000);
    await until(async () => (await http(srv.url, 'GET', '/wallet', undefined, p.token)).body.heldMinor === 0 || null, 10_000, 'settled');
    // 0-0: home (2,000) lost, the draw won: net loss 2,500 − the draw's gross return; 10% of it, floored.
    const due = Math.floor(((2_500 - drawGross) * 10) / 100);
    const before = (await http(srv.url, 'GET', '/wallet', undefined, p.token)).body.balanceMinor;
    const claim = await http(srv.url, 'POST', '/promotions/cb/claim', {}, p.token);
    expect(claim.status, JSON.stringify(claim.body)).to.equal(201);
    expect(claim.body.award).to.deep.equal({ type: 'cash', amountMinor: due });
    expect((await http(srv.url, 'GET', '/wallet', undefined, p.token)).body.balanceMinor).to.equal(before + due);
    expect((await http(srv.url, 'POST', '/promotions/cb/claim', {}, p.token)).body.error.code).to.equal('promo/already_claimed');
    await room.leave();
  });
});
