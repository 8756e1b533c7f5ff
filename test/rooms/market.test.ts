import { expect } from 'chai';
import type { Room } from '@colyseus/sdk';
import { bootTestServer, http, registerPlayer, type TestServer } from '../support/server.ts';
import { waitFor } from '../support/cluster.ts';
import { waitForMessage, waitForState } from '../support/wait.ts';

const EVENT = 'itest-1';

describe('market room (integration): a whole match through a real server', function () {
  this.timeout(90_000);
  let srv: TestServer;
  let admin: string;
  let seq = 0;
  const feed = async (msg: Record<string, unknown>) => {
    const res = await http(srv.url, 'POST', '/admin/feed', { eventId: EVENT, seq: ++seq, at: Date.now(), ...msg }, admin);
    expect(res.status, JSON.stringify(res.body)).to.equal(202);
  };

  before(async () => {
    srv = await bootTestServer({ BET_DELAY_MS: '700', MARKET_RESUME_AFTER_MS: '300', ADMIN_USERNAME: 'ops_admin', ADMIN_PASSWORD: 'ops-secret-1', DEMO_BALANCE_MINOR: '100000' });
    admin = (await http(srv.url, 'POST', '/auth/login', { username: 'ops_admin', password: 'ops-secret-1' })).body.token;
  });
  after(async () => srv?.stop());

  it('bets pre-match and in play, rejects a bet caught by a goal, cashes out, settles at full time and balances the books', async () => {
    const created = await http(srv.url, 'POST', '/admin/events', { eventId: EVENT, league: 'E0', home: 'Arsenal', away: 'Everton', startsAt: Date.now() + 3_600_000 }, admin);
    expect(created.status, JSON.stringify(created.body)).to.equal(201);
    const listed = await http(srv.url, 'GET', '/events');
    expect(listed.body.items.map((e: any) => e.eventId)).to.include(EVENT);

    const [alice, bob, carol] = await Promise.all(['mka', 'mkb', 'mkc'].map((p) => registerPlayer(srv, p)));
    const rooms: Room[] = [];
    for (const p of [alice!, bob!, carol!]) {
      const room = await p.client.join('market', { eventId: EVENT });
      room.onMessage('*', (t: any, m: any) => { if (process.env.DEBUG_TEST && t === 'betUpdate') console.log(p.username, JSON.stringify(m)); });
      rooms.push(room);
    }
    const [ra, rb, rc] = rooms as [Room, Room, Room];
    const price = (room: Room, market: string, sel: string): number => (room.state as any).markets.get(market).selections.get(sel).priceMilli;
    await waitForState(ra, (s: any) => s.markets?.get('1x2')?.status === 'open', 5000, 'pre-match markets');

    // Pre-match: no delay, accepted at once.
    const homePre = await ra.request('bet', { betId: 'a-home', marketId: '1x2', selectionId: 'home', stakeMinor: 1000, priceMilli: price(ra, '1x2', 'home'), acceptance: 'exact' });
    expect(homePre, JSON.stringify(homePre)).to.include({ ok: true, status: 'accepted' });
    const overPre = await rb.request('bet', { betId: 'b-over', marketId: 'ou_2.5', selectionId: 'over', stakeMinor: 2000, priceMilli: price(rb, 'ou_2.5', 'over'), acceptance: 'exact' });
    expect(overPre).to.include({ ok: true, status: 'accepted' });
    // A price below the ladder's 1010 is the event's command/invalid, as documented (not msg/invalid).
    const offLadder: any = await rc.request('bet', { betId: 'c-off', marketId: '1x2', selectionId: 'away', stakeMinor: 500, priceMilli: 1000, acceptance: 'exact' });
    expect(offLadder.error?.code).to.equal('command/invalid');
    const stale = await rc.request('bet', { betId: 'c-stale', marketId: '1x2', selectionId: 'away', stakeMinor: 500, priceMilli: price(rc, '1x2', 'away') + 500, acceptance: 'exact' });
    expect(stale).to.deep.include({ ok: false });
    expect((stale as any).error.code).to.equal('bet/price_changed');

    await feed({ type: 'kick_off', minute: 0 });
    await feed({ type: 'clock', minute: 10, period: 'first_half', score: { home: 0, away: 0 }, reds: { home: 0, away: 0 } });
    await waitForState(ra, (s: any) => s.phase === 'first_half' && s.minute >= 10, 5000, 'in play');

    // In play: a bet waits out the delay; a goal during it rejects it and releases the stake.
    const drawPrice = price(rc, '1x2', 'draw');
    const caught = await rc.request('bet', { betId: 'c-draw', marketId: '1x2', selectionId: 'draw', stakeMinor: 3000, priceMilli: drawPrice, acceptance: 'exact' });
    expect(caught).to.include({ ok: true, status: 'pending' });
    expect((await http(srv.url, 'GET', '/wallet', undefined, carol!.token)).body.heldMinor).to.equal(3000);
    const rejected = waitForMessage(rc, 'betUpdate', (u: any) => u.betId === 'c-draw' && u.status === 'rejected', 5000);
    await feed({ type: 'goal', team: 'home', minute: 11 });
    await waitForState(rc, (s: any) => s.homeGoals === 1 && s.suspended, 3000, 'suspension on the goal');
    expect((await rejected).rejectionCode).to.be.oneOf(['bet/market_suspended', 'bet/price_changed']);
    await waitFor('the stake released', async () => (await http(srv.url, 'GET', '/wallet', undefined, carol!.token)).body.heldMinor === 0);
    expect((await http(srv.url, 'GET', '/wallet', undefined, carol!.token)).body).to.deep.include({ heldMinor: 0, balanceMinor: 100000 });

    // Markets re-open re-priced; the scorer's price shortened.
    await feed({ type: 'clock', minute: 12, period: 'first_half', score: { home: 1, away: 0 }, reds: { home: 0, away: 0 } });
    await waitForState(ra, (s: any) => !s.suspended && s.markets.get('1x2').status === 'open', 5000, 'resume');
    expect(price(ra, '1x2', 'home')).to.be.lessThan((homePre as any).priceMilli);

    const bttsPrice = price(rb, 'btts', 'no');
    const accepted = waitForMessage(rb, 'betUpdate', (u: any) => u.betId === 'b-btts' && u.status !== 'pending', 5000);
    expect(await rb.request('bet', { betId: 'b-btts', marketId: 'btts', selectionId: 'no', stakeMinor: 1500, priceMilli: bttsPrice, acceptance: 'any' })).to.include({ ok: true, status: 'pending' });
    expect(await accepted).to.include({ status: 'accepted' });

    // Cash-out of Alice's pre-match home bet (in play: after the delay).
    const quote: any = await ra.request('quote', { betId: 'a-home' });
    expect(quote.ok, JSON.stringify(quote)).to.equal(true);
    const cashed = waitForMessage(ra, 'betUpdate', (u: any) => u.betId === 'a-home' && u.outcome === 'cashed_out', 5000);
    const co: any = await ra.request('cashOut', { betId: 'a-home', offerMinor: quote.offerMinor });
    expect(co.ok, JSON.stringify(co)).to.equal(true);
    const cashedOut = await cashed;
    expect(cashedOut.payoutMinor).to.be.greaterThan(1000); // the home side leads: worth more than the stake
    expect((await http(srv.url, 'GET', '/wallet', undefined, alice!.token)).body).to.deep.include({ heldMinor: 0, balanceMinor: 100000 - 1000 + cashedOut.payoutMinor });

    // An operator suspends a market; players see it.
    const suspended = await http(srv.url, 'POST', `/admin/events/${EVENT}/markets/correct_score/suspend`, { reason: 'integrity check' }, admin);
    expect(suspended.status, JSON.stringify(suspended.body)).to.equal(200);
    await waitForState(rc, (s: any) => s.markets.get('correct_score').status === 'suspended', 3000, 'operator suspension');
    const refused: any = await rc.request('bet', { betId: 'c-cs', marketId: 'correct_score', selectionId: 'cs_1_0', stakeMinor: 100, priceMilli: 5000, acceptance: 'any' });
    expect(refused.error.code).to.equal('bet/market_suspended');

    await feed({ type: 'half_time', minute: 45 });
    await feed({ type: 'second_half_kick_off', minute: 45 });
    await feed({ type: 'clock', minute: 80, period: 'second_half', score: { home: 1, away: 0 }, reds: { home: 0, away: 0 } });
    await feed({ type: 'full_time', minute: 90 });
    await waitForState(ra, (s: any) => s.status === 'finished' && [...s.markets.values()].every((m: any) => m.status === 'settled' || m.status === 'void'), 5000, 'settlement');
    await waitFor('Bob settled', async () => (await http(srv.url, 'GET', '/wallet', undefined, bob!.token)).body.heldMinor === 0);

    // Bob: over 2.5 lost (1 goal), BTTS no won.
    const bobWallet = (await http(srv.url, "GET", "/wallet", undefined, bob!.token)).body;
    const bttsBet: any = ((await rb.request('myBets', {})) as any).bets.find((b: any) => b.betId === 'b-btts');
    expect(bttsBet).to.include({ status: 'settled', outcome: 'won' });
    expect(bobWallet).to.deep.include({ heldMinor: 0, balanceMinor: 100000 - 2000 - 1500 + Math.floor((1500 * bttsBet.priceMilli) / 1000) });

    // An operator corrects a result: re-settlement books new transfers, never edits.
    const before = (await http(srv.url, 'GET', '/wallet', undefined, bob!.token)).body.balanceMinor;
    const resettled = await http(srv.url, 'POST', `/admin/events/${EVENT}/markets/btts/resettle`, { reason: 'data provider correction', result: { winner: 'yes' } }, admin);
    expect(resettled.status, JSON.stringify(resettled.body)).to.equal(200);
    await waitFor('the clawback booked', async () => (await http(srv.url, 'GET', '/wallet', undefined, bob!.token)).body.balanceMinor !== before);
    const after = (await http(srv.url, 'GET', '/wallet', undefined, bob!.token)).body.balanceMinor;
    expect(after, 'the BTTS-no winnings are clawed back').to.equal(before - Math.floor((1500 * bttsBet.priceMilli) / 1000));
    const ledger = (await http(srv.url, 'GET', '/wallet/ledger?limit=20', undefined, bob!.token)).body.items;
    expect(ledger.filter((t: any) => t.kind === 'adjustment').map((t: any) => t.amountMinor)).to.deep.equal([-Math.floor((1500 * bttsBet.priceMilli) / 1000)]);
    expect(ledger.filter((t: any) => t.kind === 'payout').length, 'the original payout stays in the ledger').to.equal(1);

    const books = await srv.app.services.store.wallet.reconcile();
    expect(books.ok, JSON.stringify(books)).to.equal(true);
    expect(books.openHoldCount).to.equal(0);
    await Promise.all(rooms.map((r) => r.leave()));
  });

  it('takes bets whose ids name Object.prototype members like any other, and settles and pays them (a "__proto__" bet once vanished from the event)', async () => {
    const id = 'itest-proto';
    expect((await http(srv.url, 'POST', '/admin/events', { eventId: id, league: 'E0', home: 'Leeds', away: 'Hull', startsAt: Date.now() + 60_000 }, admin)).status).to.equal(201);
    const erin = await registerPlayer(srv, 'mke');
    const room = await erin.client.join('market', { eventId: id });
    await waitForState(room, (s: any) => s.markets?.get('1x2')?.status === 'open', 5000, 'markets open');
    const homePrice = (room.state as any).markets.get('1x2').selections.get('home').priceMilli;
    const ids = ['__proto__', 'constructor', 'toString', 'hasOwnProperty'];
    for (const betId of ids) {
      const placed = await room.request('bet', { betId, marketId: '1x2', selectionId: 'home', stakeMinor: 500, priceMilli: homePrice, acceptance: 'exact' });
      expect(placed, `${betId}: ${JSON.stringify(placed)}`).to.include({ ok: true, status: 'accepted' });
    }
    const again = (await room.request('bet', { betId: '__proto__', marketId: '1x2', selectionId: 'home', stakeMinor: 500, priceMilli: homePrice, acceptance: 'exact' })) as any;
    expect(again.ok && again.replayed, 'the same id again is a replay').to.equal(true);
    const mine = (await room.request('myBets', {})) as any;
    expect(mine.bets.map((b: any) => b.betId).sort()).to.deep.equal([...ids].sort());
    expect((await http(srv.url, 'POST', `/admin/events/${id}/settle`, { score: { home: 2, away: 0 }, reason: 'official report' }, admin)).status).to.equal(200);
    const wallet = await waitFor('Erin paid', async () => {
      const w = (await http(srv.url, 'GET', '/wallet', undefined, erin.token)).body;
      return w.heldMinor === 0 ? w : null;
    });
    expect(wallet.balanceMinor).to.equal(100000 - 4 * 500 + 4 * Math.floor((500 * homePrice) / 1000));
    const rec = await srv.app.services.store.wallet.reconcile();
    expect(rec.ok, JSON.stringify({ ...rec, openHolds: rec.openHolds.length })).to.equal(true);
    await room.leave();
  });

  it('lets an operator settle an event whose feed died, with the final score and a reason, and balances the books', async () => {
    const id = 'itest-settle';
    let fseq = 0;
    const push = async (msg: Record<string, unknown>) => {
      const res = await http(srv.url, 'POST', '/admin/feed', { eventId: id, seq: ++fseq, at: Date.now(), ...msg }, admin);
      expect(res.status, JSON.stringify(res.body)).to.equal(202);
    };
    expect((await http(srv.url, 'POST', '/admin/events', { eventId: id, league: 'E0', home: 'Chelsea', away: 'Fulham', startsAt: Date.now() + 60_000 }, admin)).status).to.equal(201);
    const dave = await registerPlayer(srv, 'mkd');
    const room = await dave.client.join('market', { eventId: id });
    await waitForState(room, (s: any) => s.markets?.get('1x2')?.status === 'open', 5000, 'markets open');
    const awayPrice = (room.state as any).markets.get('1x2').selections.get('away').priceMilli;
    expect(await room.request('bet', { betId: 'd-away', marketId: '1x2', selectionId: 'away', stakeMinor: 1000, priceMilli: awayPrice, acceptance: 'exact' })).to.include({ ok: true, status: 'accepted' });
    await push({ type: 'kick_off', minute: 0 });
    await waitForState(room, (s: any) => s.phase === 'first_half', 5000, 'in play');

    // The feed goes quiet; the operator results the match from the official report.
    const noReason = await http(srv.url, 'POST', `/admin/events/${id}/settle`, { score: { home: 0, away: 2 } }, admin);
    expect(noReason.body.error.code).to.equal('http/invalid_body');
    const player = await http(srv.url, 'POST', `/admin/events/${id}/settle`, { score: { home: 0, away: 2 }, reason: 'x' }, dave.token);
    expect(player.status).to.equal(403);
    const settled = await http(srv.url, 'POST', `/admin/events/${id}/settle`, { score: { home: 0, away: 2 }, reason: 'feed lost at 60 minutes; official match report' }, admin);
    expect(settled.status, JSON.stringify(settled.body)).to.equal(200);
    await waitForState(room, (s: any) => s.status === 'finished' && [...s.markets.values()].every((m: any) => m.status === 'settled' || m.status === 'void'), 5000, 'settled');
    const again = await http(srv.url, 'POST', `/admin/events/${id}/settle`, { score: { home: 0, away: 2 }, reason: 'twice' }, admin);
    expect(again.status).to.equal(409);
    expect(again.body.error.code).to.equal('event/closed');

    const wallet = await waitFor('Dave paid', async () => {
      const w = (await http(srv.url, 'GET', '/wallet', undefined, dave.token)).body;
      return w.heldMinor === 0 ? w : null;
    });
    expect(wallet).to.deep.include({ heldMinor: 0, balanceMinor: 100000 - 1000 + Math.floor((1000 * awayPrice) / 1000) });
    const audit = (await http(srv.url, 'GET', '/admin/audit?limit=20', undefined, admin)).body.items;
    expect(audit.find((e: any) => e.action === 'event.settle' && e.target === `event:${id}` && e.details.ok)).to.deep.include({ reason: 'feed lost at 60 minutes; official match report' });

    // The player spends most of the winnings; then the result is corrected. The clawback takes
    // what is available and records the rest as the player's debt, which the operator is told.
    const winnings = Math.floor((1000 * awayPrice) / 1000);
    const spend = await http(srv.url, 'POST', `/admin/players/${dave.userId}/adjustments`, { amountMinor: -(wallet.balanceMinor - 100), reason: 'withdrawal to card', idempotencyKey: 'wd-1' }, admin);
    expect(spend.status, JSON.stringify(spend.body)).to.equal(201);
    const corrected = await http(srv.url, 'POST', `/admin/events/${id}/markets/1x2/resettle`, { reason: 'league awarded the match to the home side', result: { winner: 'home' } }, admin);
    expect(corrected.status, JSON.stringify(corrected.body)).to.equal(200);
    expect(corrected.body.debts).to.deep.equal([{ playerId: dave.userId, clawbackMinor: winnings, takenMinor: 100, debtMinor: winnings - 100 }]);
    expect((await srv.app.services.store.wallet.getAccount(`receivable:player:${dave.userId}`))!.balanceMinor).to.equal(winnings - 100);
    expect((await http(srv.url, 'GET', '/wallet', undefined, dave.token)).body).to.deep.include({ balanceMinor: 0, heldMinor: 0 });
    const trail = (await http(srv.url, 'GET', '/admin/audit?limit=5', undefined, admin)).body.items;
    expect(trail.find((e: any) => e.action === 'market.resettle').details.debts).to.deep.equal(corrected.body.debts);
    const books = await srv.app.services.store.wallet.reconcile();
    expect(books.ok, JSON.stringify(books)).to.equal(true);
    await room.leave();
  });

  it('refuses operator routes to players and unauthenticated callers, and malformed feed input', async () => {
    const p = await registerPlayer(srv, 'mkp');
    expect((await http(srv.url, 'POST', '/admin/feed', { eventId: EVENT, seq: 99, at: 1, type: 'goal', team: 'home' }, p.token)).status).to.equal(403);
    expect((await http(srv.url, 'POST', '/admin/events', { eventId: 'x' })).status).to.equal(401);
    const bad = await http(srv.url, 'POST', '/admin/feed', { type: 'goal' }, admin);
    expect(bad.body.error.code).to.equal('feed/malformed');
    const badEvent = await http(srv.url, 'POST', '/admin/events', { eventId: 'has space', league: 'E0', home: 'a', away: 'b', startsAt: 1 }, admin);
    expect(badEvent.body.error.code).to.equal('http/invalid_body');
    const missing = await http(srv.url, 'POST', '/admin/events/nope/markets/1x2/suspend', { reason: 'x' }, admin);
    expect(missing.status).to.equal(404);
  });
});
