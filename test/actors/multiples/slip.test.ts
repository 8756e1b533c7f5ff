import { expect } from 'chai';
import fc from 'fast-check';
import { acceptance, combinedPriceMilli, evolveSlip, onLegResult, recoveryAction, replaySlip, slipCashOutOffer, validateSlip, type SlipEvent, type SlipRequest, type SlipState } from '../../../actors/multiples/index.ts';
import { payoutOf } from '../../../actors/sportsbook/index.ts';

const LIMITS = { minStakeMinor: 10, maxStakeMinor: 1_000_000, maxPayoutMinor: 10_000_000 };
const leg = (eventId: string, priceMilli: number) => ({ eventId, selections: [{ marketId: '1x2', selectionId: 'home' }], priceMilli });
const request = (over: Partial<SlipRequest> = {}): SlipRequest => ({ slipId: 'slip-1', type: 'accumulator', stakePerLineMinor: 100, acceptance: 'exact', legs: [leg('e1', 2000), leg('e2', 3000), leg('e3', 1500)], ...over });

function accepted(r = request()): SlipState {
  const v = validateSlip('p1', r, LIMITS);
  if (!v.ok) expect.fail(v.refusal.message);
  const events: SlipEvent[] = [
    { type: 'SlipRequested', spec: v.spec, maxPayoutMinor: LIMITS.maxPayoutMinor, at: 1 },
    { type: 'SlipStakeReserved', at: 2 },
    { type: 'SlipLegsPrepared', legs: v.spec.legs.map((l) => ({ legId: l.legId, priceMilli: l.priceMilli, inPlay: false, acceptAt: 3 })), at: 3 },
  ];
  let s = replaySlip(events)!;
  const a = acceptance(s, s.legs.map((l) => l.priceMilli!), 4);
  expect(a.type).to.equal('SlipAccepted');
  s = evolveSlip(s, a);
  return s;
}

function result(s: SlipState, legId: string, outcome: 'won' | 'lost' | 'void', version = 1): { s: SlipState; events: SlipEvent[] } {
  const events = onLegResult(s, legId, { outcome, version }, 10);
  for (const e of events) s = evolveSlip(s, e);
  return { s, events };
}

describe('slip: validation', () => {
  const refused = (r: SlipRequest) => { const v = validateSlip('p1', r, LIMITS); return v.ok ? null : v.refusal.code; };
  it('accepts an accumulator and computes lines and total stake; a Yankee stakes 11 lines', () => {
    const v = validateSlip('p1', request(), LIMITS);
    expect(v.ok && v.spec.totalStakeMinor).to.equal(100);
    const y = validateSlip('p1', request({ type: 'yankee', legs: [leg('a', 2000), leg('b', 2000), leg('c', 2000), leg('d', 2000)] }), LIMITS);
    expect(y.ok && y.spec.totalStakeMinor).to.equal(1100);
  });
  it('refuses two legs on one event (correlated: use a bet builder), bad leg counts, payout over the maximum, stake limits', () => {
    expect(refused(request({ legs: [leg('e1', 2000), leg('e1', 3000)] }))).to.equal('slip/same_event');
    expect(refused(request({ legs: [leg('e1', 2000)] }))).to.equal('slip/invalid');
    expect(refused(request({ type: 'trixie' }) )).to.equal(null);
    expect(refused(request({ type: 'yankee' }))).to.equal('slip/invalid');
    expect(refused(request({ stakePerLineMinor: 20_000, legs: Array.from({ length: 20 }, (_, i) => leg(`e${i}`, 10_000)) }))).to.equal('slip/payout_limit');
    expect(refused(request({ stakePerLineMinor: 5 }))).to.equal('slip/stake_limit');
    expect(refused(request({ slipId: 'bad id!' }))).to.equal('slip/invalid');
  });
});

describe('slip: settlement from leg results', () => {
  it('a losing leg settles the slip lost at once; later results change nothing', () => {
    let { s, events } = result(accepted(), '2', 'lost');
    expect(events.map((e) => e.type)).to.deep.equal(['SlipLegResulted', 'SlipSettled']);
    expect(s).to.include({ status: 'settled', paidMinor: 0 });
    ({ s, events } = result(s, '1', 'won'));
    expect(events.map((e) => e.type)).to.deep.equal(['SlipLegResulted']);
  });

  it('all won → paid; a redelivered result is ignored; a re-settled leg corrects with the difference', () => {
    let s = accepted();
    s = result(s, '1', 'won').s;
    s = result(s, '2', 'won').s;
    expect(result(s, '2', 'won').events, 'redelivery').to.deep.equal([]);
    let r = result(s, '3', 'won');
    s = r.s;
    const full = payoutOf(100, combinedPriceMilli([2000, 3000, 1500]));
    expect(r.events[1]).to.include({ type: 'SlipSettled', n: 1, payoutMinor: full, deltaMinor: full });
    r = result(s, '2', 'void', 2);
    const voided = payoutOf(100, combinedPriceMilli([2000, 1500]));
    expect(r.events[1]).to.include({ type: 'SlipSettled', n: 2, payoutMinor: voided, deltaMinor: voided - full });
    r = result(r.s, '2', 'lost', 3);
    expect(r.events[1]).to.include({ n: 3, payoutMinor: 0, deltaMinor: -voided });
    expect(r.s.paidMinor).to.equal(0);
  });

  it('a lost leg re-settled to won while another is open re-opens the slip', () => {
    let s = result(accepted(), '1', 'lost').s;
    const r = result(s, '1', 'won', 2);
    expect(r.events[1]).to.include({ status: 'open', deltaMinor: 0 });
    s = r.s;
    expect(s.status).to.equal('accepted');
  });

  it('property: whatever order and re-settlements, what was paid equals the settlement of the final results', () => {
    const outcome = fc.constantFrom('won' as const, 'lost' as const, 'void' as const);
    fc.assert(fc.property(fc.array(fc.tuple(fc.integer({ min: 1, max: 3 }), outcome), { minLength: 1, maxLength: 12 }), (steps) => {
      let s = accepted(request({ type: 'trixie' }));
      const version = new Map<string, number>();
      const last = new Map<string, string>();
      for (const [i, o] of steps) {
        const id = String(i);
        const v = (version.get(id) ?? 0) + 1;
        version.set(id, v);
        last.set(id, o);
        s = result(s, id, o, v).s;
      }
      if (last.size === 3) {
        expect(s.status).to.equal('settled');
        expect(s.paidMinor).to.equal(s.settlement!.payoutMinor);
      } else {
        expect(s.paidMinor, 'nothing paid while a line is open').to.equal(s.status === 'settled' ? s.settlement!.payoutMinor : 0);
      }
    }), { numRuns: 300 });
  });
});

describe('slip: cash-out offer and recovery rule', () => {
  it('offers the open legs\' fair value of the potential payout less the margin; a lost leg leaves nothing', () => {
    let s = accepted();
    s = result(s, '1', 'won').s;
    const offer = slipCashOutOffer(s, [null, 0.4, 0.7], 500);
    expect(offer).to.equal(Math.floor(payoutOf(100, combinedPriceMilli([2000, 3000, 1500])) * 0.4 * 0.7 * 0.95));
    s = result(s, '2', 'lost').s;
    expect(slipCashOutOffer(s, [null, null, 0.7], 500)).to.equal(0);
  });

  it('rejects a slip interrupted before acceptance, releases a rejected one, re-settles an accepted one', () => {
    const v = validateSlip('p1', request(), LIMITS);
    if (!v.ok) expect.fail();
    const requested = evolveSlip(null, { type: 'SlipRequested', spec: v.spec, maxPayoutMinor: 1e9, at: 1 });
    expect(recoveryAction(requested)).to.equal('reject');
    const rejected = evolveSlip(requested, { type: 'SlipRejected', code: 'slip/interrupted', message: 'x', at: 2 });
    expect(recoveryAction(rejected)).to.equal('release');
    expect(recoveryAction(evolveSlip(rejected, { type: 'SlipLegsReleased', at: 3 }))).to.equal('none');
    expect(recoveryAction(accepted())).to.equal('settle');
  });
});
