/**
 * The bet slip through a real server (one process): accumulators and bet builders placed over HTTP
 * with legs registered at their event rooms, settled from the events' results (and re-settled),
 * refused as a whole when one leg is refused, cashed out; the books reconcile after each.
 */
import { expect } from 'chai';
import { matchMaker } from '@colyseus/core';
import { combinedPriceMilli } from '../../actors/multiples/index.ts';
import { payoutOf, type EventState } from '../../actors/sportsbook/index.ts';
import { bootTestServer, http, registerPlayer, type TestServer } from '../support/server.ts';
import { until } from '../support/wait.ts';
import { installSlipNotifier } from '../../rooms/market/services.ts';

const START = 100_000;

describe('bet slip (integration): multiples across event rooms', function () {
  this.timeout(60_000);
  let srv: TestServer;
  let admin: string;
  let n = 0;
  const events: string[] = [];
  const ev = (eventId: string) => (matchMaker.getLocalRoomById(eventId) as unknown as { snapshot(): { event: EventState } }).snapshot().event;
  const price = (eventId: string, marketId: string, selectionId: string) => ev(eventId).markets.find((m) => m.marketId === marketId)!.selections.find((s) => s.selectionId === selectionId)!.priceMilli;
  const wallet = async (token: string) => (await http(srv.url, 'GET', '/wallet', undefined, token)).body;
  const reconciled = async () => {
    const r = await http(srv.url, 'GET', '/admin/reconciliation', undefined, admin);
    expect(r.body.sumOfBalancesMinor, 'sum of balances').to.equal(0);
    expect(r.body.escrowBalanceMinor, 'escrow = open holds').to.equal(r.body.openHoldsMinor);
  };
  const createEvents = async (count: number, inPlay = false) => {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const eventId = `slipev-${++n}`;
      const res = await http(srv.url, 'POST', '/admin/events', { eventId, league: 'E0', home: `Home${n}`, away: `Away${n}`, lambdaHome: 1.6, lambdaAway: 1.1, startsAt: inPlay ? Date.now() - 1000 : Date.now() + 3_600_000 }, admin);
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
      ids.push(eventId);
    }
    await until(async () => ids.every((id) => matchMaker.getLocalRoomById(id)), 5000, 'event rooms');
    events.push(...ids);
    return ids;
  };
  const settle = async (eventId: string, home: number, away: number) => {
    const r = await http(srv.url, 'POST', `/admin/events/${eventId}/settle`, { reason: 'test', score: { home, away } }, admin);
    expect(r.status, JSON.stringify(r.body)).to.equal(200);
  };
  const slip = async (token: string, slipId: string) => (await http(srv.url, 'GET', `/slips/${slipId}`, undefined, token)).body.slip;

  before(async () => {
    srv = await bootTestServer({ BET_DELAY_MS: '300', ADMIN_USERNAME: 'ops_admin', ADMIN_PASSWORD: 'ops-secret-1', DEMO_BALANCE_MINOR: String(START), SLIP_SWEEP_MS: '200', SLIP_STALE_MS: '1000', EVENT_LINGER_MS: '1000' });
    admin = (await http(srv.url, 'POST', '/auth/login', { username: 'ops_admin', password: 'ops-secret-1' })).body.token;
  });
  after(async () => srv?.stop());

  it('takes an accumulator with one stake hold, counts its exposure on every leg, pays it when every leg wins and corrects a re-settled leg', async () => {
    const [e1, e2, e3] = await createEvents(3);
    const p = await registerPlayer(srv, 'acca');
    const legs = [e1!, e2!, e3!].map((eventId) => ({ eventId, selections: [{ marketId: '1x2', selectionId: 'home' }], priceMilli: price(eventId, '1x2', 'home') }));
    const placed = await http(srv.url, 'POST', '/slips', { slipId: 'acc-1', type: 'accumulator', stakePerLineMinor: 1000, legs }, p.token);
    expect(placed.status, JSON.stringify(placed.body)).to.equal(201);
    expect(placed.body.slip).to.include({ status: 'accepted', totalStakeMinor: 1000 });
    expect(await wallet(p.token)).to.include({ heldMinor: 1000 });
    const again = await http(srv.url, 'POST', '/slips', { slipId: 'acc-1', type: 'accumulator', stakePerLineMinor: 1000, legs }, p.token);
    expect(again.status, 'a retry is answered as placed').to.equal(200);
    expect(await wallet(p.token)).to.include({ heldMinor: 1000 });

    const risk = await http(srv.url, 'GET', `/admin/risk/events/${e2}`, undefined, admin);
    expect(risk.body.multiples.openLegs).to.equal(1);
    expect(risk.body.markets.find((m: any) => m.marketId === '1x2').selections.find((s: any) => s.selectionId === 'home').multiplesExposureMinor).to.be.greaterThan(0);

    await settle(e1!, 2, 0);
    await settle(e2!, 1, 0);
    expect((await slip(p.token, 'acc-1')).status).to.equal('accepted');
    await settle(e3!, 3, 1);
    const full = payoutOf(1000, combinedPriceMilli(legs.map((l) => l.priceMilli)));
    await until(async () => (await slip(p.token, 'acc-1')).status === 'settled', 5000, 'slip settled');
    // The decision is journaled first, its money moves right after: wait for the wallet.
    await until(async () => (await wallet(p.token)).balanceMinor === START - 1000 + full, 5000, 'slip paid');
    expect(await wallet(p.token)).to.include({ heldMinor: 0 });

    // A re-settled leg (e2 home → void) re-settles the slip: the correcting transfer is the difference.
    const r = await http(srv.url, 'POST', `/admin/events/${e2}/markets/1x2/resettle`, { reason: 'test', result: { void: true } }, admin);
    expect(r.status, JSON.stringify(r.body)).to.equal(200);
    const voided = payoutOf(1000, combinedPriceMilli([legs[0]!.priceMilli, legs[2]!.priceMilli]));
    await until(async () => (await slip(p.token, 'acc-1')).paidMinor === voided, 5000, 're-settled slip');
    await until(async () => (await wallet(p.token)).balanceMinor === START - 1000 + voided, 5000, 'correction booked');
    await reconciled();
  });

  it('a losing leg settles the accumulator lost at once; refuses two legs of one event', async () => {
    const [e1, e2] = await createEvents(2);
    const p = await registerPlayer(srv, 'lose');
    const legs = [e1!, e2!].map((eventId) => ({ eventId, selections: [{ marketId: 'btts', selectionId: 'yes' }], priceMilli: price(eventId, 'btts', 'yes') }));
    const same = await http(srv.url, 'POST', '/slips', { slipId: 'same-1', type: 'accumulator', stakePerLineMinor: 500, legs: [legs[0], { ...legs[0], selections: [{ marketId: '1x2', selectionId: 'home' }], priceMilli: price(e1!, '1x2', 'home') }] }, p.token);
    expect(same.status).to.equal(409);
    expect(same.body.error.code).to.equal('slip/same_event');
    expect((await http(srv.url, 'POST', '/slips', { slipId: 'lose-1', type: 'accumulator', stakePerLineMinor: 500, legs }, p.token)).status).to.equal(201);
    await settle(e1!, 1, 0);
    await until(async () => (await slip(p.token, 'lose-1')).status === 'settled', 5000, 'lost at once');
    await until(async () => (await wallet(p.token)).heldMinor === 0, 5000, 'stake captured');
    expect(await wallet(p.token)).to.include({ balanceMinor: START - 500 });
    await reconciled();
  });

  it('prices a bet builder leg from the joint distribution and rejects the whole slip when one leg\'s price moved, releasing stake and legs', async () => {
    const [e1, e2] = await createEvents(2);
    const p = await registerPlayer(srv, 'bld');
    const selections = [{ marketId: '1x2', selectionId: 'home' }, { marketId: 'home_scores', selectionId: 'yes' }, { marketId: 'ou_2.5', selectionId: 'over' }];
    const q = await http(srv.url, 'POST', '/slips/builder-quote', { eventId: e1, selections }, p.token);
    expect(q.status, JSON.stringify(q.body)).to.equal(200);
    const impossible = await http(srv.url, 'POST', '/slips/builder-quote', { eventId: e1, selections: [{ marketId: 'ou_1.5', selectionId: 'under' }, { marketId: 'btts', selectionId: 'yes' }] }, p.token);
    expect(impossible.body.error.code).to.equal('builder/impossible');
    const stalePrice = price(e2!, '1x2', 'away') + 1000;
    const refused = await http(srv.url, 'POST', '/slips', { slipId: 'bld-1', type: 'accumulator', stakePerLineMinor: 700, legs: [{ eventId: e1, selections, priceMilli: q.body.priceMilli }, { eventId: e2, selections: [{ marketId: '1x2', selectionId: 'away' }], priceMilli: stalePrice }] }, p.token);
    expect(refused.status, JSON.stringify(refused.body)).to.equal(409);
    expect(refused.body.error).to.deep.include({ code: 'slip/leg_refused' });
    expect(refused.body.error.details).to.include({ eventId: e2, code: 'bet/price_changed' });
    expect(await wallet(p.token)).to.include({ heldMinor: 0, balanceMinor: START });
    await until(async () => (await http(srv.url, 'GET', `/admin/risk/events/${e1}`, undefined, admin)).body.multiples.openLegs === 0, 5000, 'builder leg released');
    expect((await slip(p.token, 'bld-1')).status).to.equal('rejected');

    const ok = await http(srv.url, 'POST', '/slips', { slipId: 'bld-2', type: 'accumulator', stakePerLineMinor: 700, legs: [{ eventId: e1, selections, priceMilli: q.body.priceMilli }, { eventId: e2, selections: [{ marketId: '1x2', selectionId: 'away' }], priceMilli: price(e2!, '1x2', 'away') }] }, p.token);
    expect(ok.status, JSON.stringify(ok.body)).to.equal(201);
    await settle(e1!, 3, 1); // home win, home scored, over 2.5: the builder leg won
    await settle(e2!, 0, 2);
    const expected = payoutOf(700, combinedPriceMilli([ok.body.slip.legs[0].priceMilli, ok.body.slip.legs[1].priceMilli]));
    await until(async () => (await slip(p.token, 'bld-2')).paidMinor === expected, 5000, 'builder slip paid');
    await until(async () => (await wallet(p.token)).heldMinor === 0, 5000, 'builder slip money moved');
    await reconciled();
  });

  it('in play: a suspension during the delay rejects the whole slip; a cash-out waits the delay and is refused when an event was suspended meanwhile', async () => {
    const [e1, e2] = await createEvents(2, true);
    const p = await registerPlayer(srv, 'inp');
    const legs = [e1!, e2!].map((eventId) => ({ eventId, selections: [{ marketId: 'btts', selectionId: 'no' }], priceMilli: price(eventId, 'btts', 'no'), acceptance: 'any' }));
    const suspendResume = async (eventId: string) => {
      expect((await http(srv.url, 'POST', `/admin/events/${eventId}/suspend`, { reason: 'test' }, admin)).status).to.equal(200);
      expect((await http(srv.url, 'POST', `/admin/events/${eventId}/resume`, { reason: 'test' }, admin)).status).to.equal(200);
    };
    const caught = http(srv.url, 'POST', '/slips', { slipId: 'inp-1', type: 'accumulator', stakePerLineMinor: 400, legs }, p.token);
    // Once the leg is prepared at e2 (its delay running), a suspension there.
    for (const deadline = Date.now() + 2000; ev(e2!) && Date.now() < deadline; await new Promise((r) => setTimeout(r, 5))) {
      if ((await http(srv.url, 'GET', `/admin/risk/events/${e2}`, undefined, admin)).body.multiples.openLegs === 1) break;
    }
    await suspendResume(e2!);
    const refused = await caught;
    expect(refused.status, JSON.stringify(refused.body)).to.equal(409);
    expect(refused.body.error.details).to.include({ eventId: e2, code: 'bet/market_suspended' });
    expect(await wallet(p.token)).to.include({ heldMinor: 0, balanceMinor: START });

    const placedAt = Date.now();
    const placed = await http(srv.url, 'POST', '/slips', { slipId: 'inp-2', type: 'accumulator', stakePerLineMinor: 400, legs }, p.token);
    expect(placed.status, JSON.stringify(placed.body)).to.equal(201);
    expect(Date.now() - placedAt, 'the in-play delay was waited out').to.be.at.least(300);
    const quote = await http(srv.url, 'GET', '/slips/inp-2/cash-out', undefined, p.token);
    expect(quote.status, JSON.stringify(quote.body)).to.equal(200);
    const interrupted = http(srv.url, 'POST', '/slips/inp-2/cash-out', { offerMinor: quote.body.offerMinor }, p.token);
    await new Promise((r) => setTimeout(r, 120)); // inside the 300 ms delay, after the first quote
    await suspendResume(e1!);
    const r = await interrupted;
    expect(r.status, JSON.stringify(r.body)).to.equal(409);
    expect(r.body.error.code).to.equal('cashout/unavailable');
    const startedAt = Date.now();
    const cashed = await http(srv.url, 'POST', '/slips/inp-2/cash-out', { offerMinor: quote.body.offerMinor }, p.token);
    expect(cashed.status, JSON.stringify(cashed.body)).to.equal(200);
    expect(Date.now() - startedAt, 'the cash-out waited the delay').to.be.at.least(300);
    expect(await wallet(p.token)).to.include({ heldMinor: 0, balanceMinor: START - 400 + cashed.body.offerMinor });
    await reconciled();
  });

  it('a leg result whose delivery was lost reaches the slip once the finished event\'s room closed: the sweep re-opens it and its rebuild re-delivers', async () => {
    const [e1, e2] = await createEvents(2);
    const p = await registerPlayer(srv, 'lost');
    const legs = [e1!, e2!].map((eventId) => ({ eventId, selections: [{ marketId: '1x2', selectionId: 'away' }], priceMilli: price(eventId, '1x2', 'away') }));
    expect((await http(srv.url, 'POST', '/slips', { slipId: 'lost-1', type: 'accumulator', stakePerLineMinor: 300, legs }, p.token)).status).to.equal(201);
    // Deliveries are lost from here on, and no sweep asks the rooms while they linger.
    const { sweep, service } = srv.app.features.slips;
    await sweep.stop();
    installSlipNotifier(null);
    try {
      await settle(e1!, 0, 1);
      await settle(e2!, 1, 2);
      await until(async () => !matchMaker.getLocalRoomById(e1!) && !matchMaker.getLocalRoomById(e2!), 10_000, 'the finished events\' rooms closed');
      expect((await slip(p.token, 'lost-1')).status, 'nothing delivered yet').to.equal('accepted');
    } finally {
      installSlipNotifier((n) => service.legResulted(n));
      sweep.start();
    }
    const expected = payoutOf(300, combinedPriceMilli(legs.map((l) => l.priceMilli)));
    await until(async () => (await slip(p.token, 'lost-1')).paidMinor === expected, 20_000, 'the slip settled through the sweep');
    await until(async () => (await wallet(p.token)).heldMinor === 0, 5000, 'paid');
    expect(await wallet(p.token)).to.include({ balanceMinor: START - 300 + expected });
    await reconciled();
  });

  it('a settlement journaled by a process that died before moving its money is paid by the sweep, once, even when the sweep saw the slip before it settled', async () => {
    const [e1, e2] = await createEvents(2);
    const p = await registerPlayer(srv, 'dead');
    const legs = [e1!, e2!].map((eventId) => ({ eventId, selections: [{ marketId: '1x2', selectionId: 'home' }], priceMilli: price(eventId, '1x2', 'home') }));
    expect((await http(srv.url, 'POST', '/slips', { slipId: 'dead-1', type: 'accumulator', stakePerLineMinor: 500, legs }, p.token)).status).to.equal(201);
    const { sweep, service } = srv.app.features.slips;
    await sweep.stop();
    const settleMoney = service.settleMoney;
    try {
      await sweep.sweep(); // visits the accepted slip: no money to move yet
      service.settleMoney = async () => undefined; // the process journals the settlement and dies before the wallet
      await settle(e1!, 2, 0);
      await settle(e2!, 3, 1);
      await until(async () => (await slip(p.token, 'dead-1')).status === 'settled', 10_000, 'the settlement journaled');
      expect(await wallet(p.token), 'no money moved yet').to.include({ heldMinor: 500 });
    } finally {
      service.settleMoney = settleMoney;
    }
    await sweep.sweep();
    await sweep.sweep(); // a second pass replays nothing
    sweep.start();
    const expected = payoutOf(500, combinedPriceMilli(legs.map((l) => l.priceMilli)));
    expect(await wallet(p.token)).to.include({ heldMinor: 0, balanceMinor: START - 500 + expected });
    await reconciled();
  });

  it('a Trixie stakes four lines; a cash-out pays the offer and closes the slip', async () => {
    const [e1, e2, e3] = await createEvents(3);
    const p = await registerPlayer(srv, 'trx');
    const legs = [e1!, e2!, e3!].map((eventId) => ({ eventId, selections: [{ marketId: 'ou_2.5', selectionId: 'over' }], priceMilli: price(eventId, 'ou_2.5', 'over') }));
    const placed = await http(srv.url, 'POST', '/slips', { slipId: 'trx-1', type: 'trixie', stakePerLineMinor: 250, legs }, p.token);
    expect(placed.status, JSON.stringify(placed.body)).to.equal(201);
    expect(placed.body.slip).to.include({ lines: 4, totalStakeMinor: 1000 });
    const quote = await http(srv.url, 'GET', '/slips/trx-1/cash-out', undefined, p.token);
    expect(quote.status, JSON.stringify(quote.body)).to.equal(200);
    const cashed = await http(srv.url, 'POST', '/slips/trx-1/cash-out', { offerMinor: quote.body.offerMinor }, p.token);
    expect(cashed.status, JSON.stringify(cashed.body)).to.equal(200);
    expect(cashed.body.slip.status).to.equal('cashed_out');
    expect(await wallet(p.token)).to.include({ heldMinor: 0, balanceMinor: START - 1000 + cashed.body.offerMinor });
    await settle(e1!, 3, 0);
    expect((await slip(p.token, 'trx-1')).paidMinor, 'a cashed-out slip is final').to.equal(cashed.body.offerMinor);
    await reconciled();
  });
});
