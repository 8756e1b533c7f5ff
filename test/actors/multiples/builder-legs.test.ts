import { expect } from 'chai';
import { DEFAULT_BUILDER_OVERROUND, EMPTY_LEG_BOOK, acceptLeg, builderQuote, evolveLegs, jointProbability, legResults, marginalProbability, prepareLeg, recoverLegs, releaseLeg, type LegBook, type LegEvent, type PrepareLegCommand } from '../../../actors/multiples/index.ts';
import { roundDownToLadder } from '../../../actors/odds/index.ts';
import { EventDriver, KICK_OFF } from '../sportsbook/helpers.ts';

describe('bet builder: priced from the joint score distribution', () => {
  const ev = () => new EventDriver().s;

  it('prices a combination at the joint probability with the builder margin, rounded down to the ladder', () => {
    const s = ev();
    const selections = [{ marketId: '1x2', selectionId: 'home' }, { marketId: 'ou_2.5', selectionId: 'over' }, { marketId: 'btts', selectionId: 'yes' }];
    const q = builderQuote(s, selections);
    if (!q.ok) expect.fail(q.refusal.message);
    const p = jointProbability(s, selections);
    expect(q.probability).to.equal(p);
    expect(q.priceMilli).to.equal(roundDownToLadder(1000 / (p * DEFAULT_BUILDER_OVERROUND)));
    // The joint is not the product of the marginals (the legs are correlated).
    const product = selections.reduce((x, sel) => x * marginalProbability(s, sel), 1);
    expect(Math.abs(p - product)).to.be.greaterThan(0.005);
  });

  it('prices home win with the home team scoring above the independent product (it is implied: joint = P(home win))', () => {
    const s = ev();
    const home = { marketId: '1x2', selectionId: 'home' };
    const scores = { marketId: 'home_scores', selectionId: 'yes' };
    const joint = jointProbability(s, [home, scores]);
    const product = marginalProbability(s, home) * marginalProbability(s, scores);
    expect(joint).to.be.closeTo(marginalProbability(s, home), 1e-12);
    expect(joint).to.be.greaterThan(product);
    const q = builderQuote(s, [home, scores]);
    if (!q.ok) expect.fail(q.refusal.message);
    // Shorter than the independent product's price would be.
    expect(q.priceMilli).to.be.below(roundDownToLadder(1000 / (product * DEFAULT_BUILDER_OVERROUND)));
  });

  it('agrees with the event market: a single 1x2 selection\'s model probability is the engine\'s fair probability', () => {
    const s = ev();
    const fair = s.markets.find((m) => m.marketId === '1x2')!.selections.find((x) => x.selectionId === 'home')!.fairProb;
    expect(marginalProbability(s, { marketId: '1x2', selectionId: 'home' })).to.be.closeTo(fair, 1e-8);
  });

  it('refuses impossible combinations, two selections of one market, next-goal markets and certainties', () => {
    const s = ev();
    const refusal = (sel: Array<{ marketId: string; selectionId: string }>) => { const q = builderQuote(s, sel); return q.ok ? null : q.refusal.code; };
    expect(refusal([{ marketId: 'ou_1.5', selectionId: 'under' }, { marketId: 'btts', selectionId: 'yes' }, { marketId: '1x2', selectionId: 'home' }])).to.equal('builder/impossible');
    expect(refusal([{ marketId: '1x2', selectionId: 'draw' }, { marketId: 'correct_score', selectionId: 'cs_1_0' }])).to.equal('builder/impossible');
    expect(refusal([{ marketId: '1x2', selectionId: 'home' }, { marketId: '1x2', selectionId: 'away' }])).to.equal('builder/same_market');
    expect(refusal([{ marketId: '1x2', selectionId: 'home' }, { marketId: 'next_goal_1', selectionId: 'home' }])).to.equal('builder/invalid_selection');
    expect(refusal([{ marketId: 'ou_4.5', selectionId: 'under' }, { marketId: 'ou_0.5', selectionId: 'under' }])).to.equal(null);
  });
});

describe('leg book: an event\'s side of multiples', () => {
  let d: EventDriver;
  let book: LegBook;
  const apply = (events: LegEvent[]) => { for (const e of events) book = evolveLegs(book, e); return events; };
  const ok = <T extends { ok: boolean }>(r: T) => { if (!r.ok) expect.fail(JSON.stringify(r)); return (r as unknown as { events: LegEvent[] }).events; };
  const prep = (over: Partial<PrepareLegCommand> = {}): PrepareLegCommand => ({
    slipId: 's1', legId: '1', playerId: 'p1', selections: [{ marketId: '1x2', selectionId: 'home' }], priceMilli: d.price('1x2', 'home'), acceptance: 'exact', exposureMinor: 500, now: d.now, ...over,
  });
  beforeEach(() => { d = new EventDriver(); book = EMPTY_LEG_BOOK; });

  it('pre-match: prepares at once at the current price, counts exposure, accepts, then reports the result', () => {
    const [p] = apply(ok(prepareLeg(book, d.s, prep())));
    expect(p).to.include({ type: 'LegPrepared', inPlay: false, priceMilli: d.price('1x2', 'home') });
    expect(book.exposureMinor['1x2:home']).to.equal(500);
    apply(ok(acceptLeg(book, d.s, { slipId: 's1', legId: '1', now: d.now })));
    expect(book.legs['s1:1']!.status).to.equal('accepted');
    d.kickOff();
    d.feed({ type: 'goal', team: 'home' });
    d.feed({ type: 'full_time' });
    const results = apply(legResults(book, d.s, d.now));
    expect(results).to.deep.equal([{ type: 'LegResulted', slipId: 's1', legId: '1', playerId: 'p1', outcome: 'won', version: 1, at: d.now }]);
    expect(book.exposureMinor['1x2:home']).to.equal(undefined);
    expect(legResults(book, d.s, d.now), 'a repeat finds nothing new').to.deep.equal([]);
    d.ok({ type: 'resettle', marketId: '1x2', result: { winner: 'draw' }, reason: 'wrong', by: 'ops', now: d.now });
    expect(apply(legResults(book, d.s, d.now))[0]).to.include({ outcome: 'lost', version: 2 });
  });

  it('refuses a price that fails the policy and a liability over the selection limit, changing nothing', () => {
    const seen = d.price('1x2', 'home');
    const r = prepareLeg(book, d.s, prep({ priceMilli: seen + 500 }));
    expect(r.ok ? null : r.rejection.code).to.equal('bet/price_changed');
    const limit = prepareLeg(book, d.s, prep({ exposureMinor: d.s.config.maxLiabilityPerSelectionMinor + 1 }));
    expect(limit.ok ? null : limit.rejection.code).to.equal('bet/liability_limit');
    expect(book).to.equal(EMPTY_LEG_BOOK);
  });

  it('in play: a suspension during the delay rejects the leg at acceptance; early acceptance is refused', () => {
    d.kickOff();
    apply(ok(prepareLeg(book, d.s, prep({ now: d.now, acceptance: 'any' }))));
    const early = acceptLeg(book, d.s, { slipId: 's1', legId: '1', now: d.now });
    expect(early.ok ? null : early.rejection.code).to.equal('leg/delay_running');
    for (const e of d.feed({ type: 'goal', team: 'away' })) book = evolveLegs(book, e);
    d.advance(d.s.config.betDelayMs);
    const [rejected] = apply(ok(acceptLeg(book, d.s, { slipId: 's1', legId: '1', now: d.now })));
    expect(rejected).to.include({ type: 'LegRejected', code: 'bet/market_suspended' });
    expect(book.exposureMinor).to.deep.equal({});
  });

  it('release is idempotent and leaves a tombstone that refuses a late prepare', () => {
    apply(ok(releaseLeg(book, { slipId: 's9', legId: '2', reason: 'slip rejected', now: d.now })));
    expect(ok(releaseLeg(book, { slipId: 's9', legId: '2', reason: 'again', now: d.now }))).to.deep.equal([]);
    const late = prepareLeg(book, d.s, prep({ slipId: 's9', legId: '2' }));
    expect(late.ok ? null : late.rejection.code).to.equal('leg/released');
  });

  it('a restart rejects legs still prepared (bet/interrupted)', () => {
    apply(ok(prepareLeg(book, d.s, prep())));
    const events = apply(recoverLegs(book, d.now));
    expect(events.map((e) => e.type === 'LegRejected' && e.code)).to.deep.equal(['bet/interrupted']);
    expect(book.prepared).to.equal(0);
  });

  it('a bet builder leg wins when every selection wins, is lost at the first selection that loses', () => {
    const selections = [{ marketId: '1x2', selectionId: 'home' }, { marketId: 'away_scores', selectionId: 'no' }];
    const q = builderQuote(d.s, selections);
    if (!q.ok) expect.fail(q.refusal.message);
    apply(ok(prepareLeg(book, d.s, prep({ selections, priceMilli: q.priceMilli }))));
    apply(ok(acceptLeg(book, d.s, { slipId: 's1', legId: '1', now: d.now })));
    d.at(KICK_OFF).feed({ type: 'kick_off' });
    d.feed({ type: 'goal', team: 'away' });
    expect(apply(legResults(book, d.s, d.now))[0]).to.include({ outcome: 'lost' });
  });
});
