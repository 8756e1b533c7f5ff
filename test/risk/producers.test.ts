/**
 * The market room as a producer, end to end on the embedded defaults: a pre-match bet, the
 * kick-off (the prices then offered are the closing prices), an in-play bet requested just before a goal
 * (rejected by the bet delay), the goal itself as an incident, and settlement with the closing
 * price, all reach the in-process risk service once.
 */
import { expect } from 'chai';
import type { Room } from '@colyseus/sdk';
import { bootTestServer, http, registerPlayer, type TestServer } from '../support/server.ts';
import { until, waitForState } from '../support/wait.ts';

const ADMIN = { username: 'producer_admin', password: 'producer-pass-1' };
const EVENT = 'risk-producers-1';

describe('risk producers: the market room publishes bets, incidents and settlements', function () {
  this.timeout(60_000);
  let srv: TestServer;
  let admin: string;
  let seq = 0;
  const feed = async (msg: Record<string, unknown>) => {
    const res = await http(srv.url, 'POST', '/admin/feed', { eventId: EVENT, seq: ++seq, at: Date.now(), ...msg }, admin);
    expect(res.status, JSON.stringify(res.body)).to.equal(202);
  };

  before(async () => {
    srv = await bootTestServer({ ADMIN_USERNAME: ADMIN.username, ADMIN_PASSWORD: ADMIN.password, BET_DELAY_MS: '1500', MARKET_RESUME_AFTER_MS: '200' });
    admin = (await http(srv.url, 'POST', '/auth/login', ADMIN)).body.token;
  });
  after(async () => srv?.stop());

  it('publishes the pre-match bet, the rejected in-play request, the goal and the settlement with the last pre-match price as the closing price', async () => {
    const risk = srv.app.features.risk.service!;
    expect((await http(srv.url, 'POST', '/admin/events', { eventId: EVENT, league: 'E0', home: 'Arsenal', away: 'Chelsea', startsAt: Date.now() + 3_600_000 }, admin)).status).to.equal(201);
    const p = await registerPlayer(srv, 'producer');
    const room: Room = await p.client.joinById(EVENT);
    room.onMessage('*', () => undefined);
    await waitForState(room, (st: any) => st.markets?.get('1x2')?.status === 'open', 10_000, 'markets open');
    const price = () => (room.state as any).markets.get('1x2').selections.get('home').priceMilli as number;
    const pre: any = await room.request('bet', { betId: 'pre-1', marketId: '1x2', selectionId: 'home', stakeMinor: 1000, priceMilli: price(), acceptance: 'any' });
    expect(pre.ok, JSON.stringify(pre)).to.equal(true);
    const acceptedAt = pre.priceMilli as number;

    const closingPrice = price(); // the last pre-match price: the closing line (nothing moves it before the kick-off)
    await feed({ type: 'kick_off', minute: 0 });
    await waitForState(room, (st: any) => st.status === 'in_play', 10_000, 'kicked off');
    await feed({ type: 'clock', minute: 10, period: 'first_half', score: { home: 0, away: 0 }, reds: { home: 0, away: 0 } });
    await waitForState(room, (st: any) => st.minute >= 10 && st.markets.get('1x2').status === 'open', 10_000, 'minute 10');
    // Requested now (pending in its 1.5 s delay); the goal lands inside the delay, so the bet is rejected.
    const live: any = await room.request('bet', { betId: 'live-1', marketId: '1x2', selectionId: 'home', stakeMinor: 500, priceMilli: price(), acceptance: 'any' });
    expect(live.status, JSON.stringify(live)).to.equal('pending');
    await feed({ type: 'goal', team: 'home', minute: 11 });
    await until(async () => (risk.book.player(p.userId)?.betsRejected ?? 0) === 1, 10_000, 'the rejected in-play bet event');

    const f = risk.book.player(p.userId)!;
    expect([f.bets, f.betsRejected, f.inPlayBets, f.preIncidentBets], 'bets, rejected, in play, just before an incident').to.deep.equal([1, 1, 1, 1]);
    expect(risk.book.state.events[EVENT]!.incidents).to.have.length(1);

    await feed({ type: 'half_time', minute: 45 });
    await feed({ type: 'second_half_kick_off', minute: 45 });
    await feed({ type: 'full_time', minute: 90 });
    await until(async () => risk.book.player(p.userId)!.clv.n === 1, 10_000, 'the settlement with its closing price');
    expect(risk.book.player(p.userId)!.clv.sum).to.be.closeTo(Math.log(acceptedAt / closingPrice), 1e-9);
    expect(risk.book.player(p.userId)!.settledPayoutMinor).to.be.above(0); // 1–0: the home bet won
    await room.leave();
  });
});
