import { expect } from 'chai';
import fc from 'fast-check';
import { DAY_MS, HOUR_MS, PERMANENT_BLOCK, addMonths, decideProtection, nextRealityCheckAt, type ProtectionCommand } from '../../../actors/protection/rules.ts';
import { newProtectionRecord, type ProtectionRecord } from '../../../actors/protection/types.ts';
import { addUsage, currentUsage, emptyUsage, isStakeHold, limitsPort, periodStart, type LimitsStorage } from '../../../server/store/limits.ts';
import type { LimitUsage } from '../../../server/store/protection-types.ts';

const T0 = Date.UTC(2026, 11, 3, 10, 0, 0); // a Thursday
const COOL = 24 * HOUR_MS;

function run(r: ProtectionRecord, cmd: ProtectionCommand): ProtectionRecord {
  const d = decideProtection(r, cmd);
  if (!d.ok) throw new Error(`${d.rejection.code}: ${d.rejection.message}`);
  return d.record;
}

function rejection(r: ProtectionRecord, cmd: ProtectionCommand): string {
  const d = decideProtection(r, cmd);
  if (d.ok) throw new Error('expected a rejection');
  return d.rejection.code;
}

const fresh = () => newProtectionRecord('player:p1', T0);

describe('player protection rules (actors/protection)', () => {
  it('applies a first limit and a decrease at once', () => {
    let r = run(fresh(), { type: 'setLimit', metric: 'deposit', period: 'day', valueMinor: 5_000, at: T0, coolingOffMs: COOL });
    expect(r.controls.limits.deposit).to.deep.equal({ day: 5_000 });
    r = run(r, { type: 'setLimit', metric: 'deposit', period: 'day', valueMinor: 2_000, at: T0 + 1, coolingOffMs: COOL });
    expect(r.controls.limits.deposit).to.deep.equal({ day: 2_000 });
    expect(r.history.map((e) => e.type)).to.deep.equal(['limit.set', 'limit.decreased']);
    expect(r.version).to.equal(3);
  });

  it('holds an increase until the cooling-off period has passed and the player confirms it', () => {
    let r = run(fresh(), { type: 'setLimit', metric: 'loss', period: 'week', valueMinor: 1_000, at: T0, coolingOffMs: COOL });
    r = run(r, { type: 'setLimit', metric: 'loss', period: 'week', valueMinor: 9_000, at: T0 + HOUR_MS, coolingOffMs: COOL });
    expect(r.controls.limits.loss, 'the old limit stands').to.deep.equal({ week: 1_000 });
    expect(r.pending).to.deep.equal([{ metric: 'loss', period: 'week', value: 9_000, requestedAt: T0 + HOUR_MS, confirmableAt: T0 + HOUR_MS + COOL }]);
    expect(rejection(r, { type: 'confirmLimit', metric: 'loss', period: 'week', at: T0 + HOUR_MS + COOL - 1 })).to.equal('protection/cooling_off');
    r = run(r, { type: 'confirmLimit', metric: 'loss', period: 'week', at: T0 + HOUR_MS + COOL });
    expect(r.controls.limits.loss).to.deep.equal({ week: 9_000 });
    expect(r.pending).to.deep.equal([]);
  });

  it('treats a removal like an increase, and lets a decrease replace a pending increase at once', () => {
    let r = run(fresh(), { type: 'setLimit', metric: 'wager', period: 'month', valueMinor: 500, at: T0, coolingOffMs: COOL });
    r = run(r, { type: 'setLimit', metric: 'wager', period: 'month', valueMinor: null, at: T0, coolingOffMs: COOL });
    expect(r.controls.limits.wager).to.deep.equal({ month: 500 });
    expect(r.pending[0]).to.include({ value: null });
    r = run(r, { type: 'setLimit', metric: 'wager', period: 'month', valueMinor: 400, at: T0 + 5, coolingOffMs: COOL });
    expect(r.controls.limits.wager).to.deep.equal({ month: 400 });
    expect(r.pending, 'the pending removal is dropped').to.deep.equal([]);
    expect(rejection(r, { type: 'confirmLimit', metric: 'wager', period: 'month', at: T0 + 2 * COOL })).to.equal('protection/no_pending_change');
  });

  it('applies the session limit by the same rule', () => {
    let r = run(fresh(), { type: 'setSessionLimit', limitMs: 60 * 60_000, at: T0, coolingOffMs: COOL });
    r = run(r, { type: 'setSessionLimit', limitMs: 120 * 60_000, at: T0, coolingOffMs: COOL });
    expect(r.controls.sessionLimitMs).to.equal(60 * 60_000);
    r = run(r, { type: 'confirmLimit', metric: 'session', period: null, at: T0 + COOL });
    expect(r.controls.sessionLimitMs).to.equal(120 * 60_000);
  });

  it('takes time-outs of 24 hours to 6 weeks and self-exclusions of 6 months to 5 years or for ever', () => {
    expect(rejection(fresh(), { type: 'timeOut', durationMs: DAY_MS - 1, at: T0 })).to.equal('protection/invalid_duration');
    expect(rejection(fresh(), { type: 'timeOut', durationMs: 42 * DAY_MS + 1, at: T0 })).to.equal('protection/invalid_duration');
    expect(rejection(fresh(), { type: 'selfExclude', months: 5, at: T0 })).to.equal('protection/invalid_duration');
    expect(rejection(fresh(), { type: 'selfExclude', months: 61, at: T0 })).to.equal('protection/invalid_duration');
    const out = run(fresh(), { type: 'timeOut', durationMs: DAY_MS, at: T0 });
    expect(out.controls).to.include({ blockedUntil: T0 + DAY_MS, blockKind: 'time_out', blockedAt: T0 });
    const ex = run(fresh(), { type: 'selfExclude', months: 6, at: T0 });
    expect(ex.controls).to.include({ blockedUntil: Date.UTC(2027, 5, 3, 10), blockKind: 'self_exclusion' });
    expect(run(fresh(), { type: 'selfExclude', months: 'permanent', at: T0 }).controls.blockedUntil).to.equal(PERMANENT_BLOCK);
  });

  it('never shortens a running block, but lets one be lengthened; a self-exclusion stays one', () => {
    const ex = run(fresh(), { type: 'selfExclude', months: 6, at: T0 });
    expect(rejection(ex, { type: 'timeOut', durationMs: 7 * DAY_MS, at: T0 + DAY_MS })).to.equal('protection/cannot_shorten');
    expect(rejection(ex, { type: 'selfExclude', months: 6, at: T0 - 1 })).to.equal('protection/cannot_shorten');
    const longer = run(ex, { type: 'selfExclude', months: 12, at: T0 + DAY_MS });
    expect(longer.controls.blockedUntil).to.be.greaterThan(ex.controls.blockedUntil!);
    const perm = run(longer, { type: 'selfExclude', months: 'permanent', at: T0 + 2 * DAY_MS });
    expect(rejection(perm, { type: 'selfExclude', months: 60, at: T0 + 3 * DAY_MS })).to.equal('protection/cannot_shorten');
    const out = run(fresh(), { type: 'timeOut', durationMs: DAY_MS, at: T0 });
    const after = run(out, { type: 'timeOut', durationMs: DAY_MS, at: T0 + 2 * DAY_MS });
    expect(after.controls.blockedUntil, 'a new block once the old one ended').to.equal(T0 + 3 * DAY_MS);
  });

  it('clamps calendar months to the end of a shorter month', () => {
    expect(addMonths(Date.UTC(2026, 7, 31), 6)).to.equal(Date.UTC(2027, 1, 28));
  });

  it('pauses betting at a reality check until it is acknowledged, and checks the interval', () => {
    expect(rejection(fresh(), { type: 'setRealityCheck', minutes: 2, at: T0 })).to.equal('protection/invalid_interval');
    let r = run(run(fresh(), { type: 'startSession', at: T0 }), { type: 'setRealityCheck', minutes: 30, at: T0 });
    expect(nextRealityCheckAt(r)).to.equal(T0 + 30 * 60_000);
    expect(run(r, { type: 'realityCheckDue', dueAt: T0 + 30 * 60_000, pauseBetting: true, at: T0 + 29 * 60_000 }), 'not yet due').to.equal(r);
    r = run(r, { type: 'realityCheckDue', dueAt: T0 + 30 * 60_000, pauseBetting: true, at: T0 + 30 * 60_000 });
    expect(r.controls.bettingPaused).to.equal(true);
    expect(nextRealityCheckAt(r)).to.equal(T0 + 60 * 60_000);
    expect(run(r, { type: 'realityCheckDue', dueAt: T0 + 30 * 60_000, pauseBetting: true, at: T0 + 30 * 60_000 + 5 }), 'shown once, whichever process asks').to.equal(r);
    r = run(r, { type: 'acknowledgeRealityCheck', at: T0 + 31 * 60_000 });
    expect(r.controls.bettingPaused).to.equal(false);
  });
});

describe('limit counters (server/store/limits.ts)', () => {
  it('limits stakes only: bet and slip holds, not a withdrawal\'s hold', () => {
    for (const id of ['roulette:roulette-1:bet:b1', 'market:ev-1:bet:x', 'blackjack:bj-1:bet:s1', 'slip:abc:stake', 'slip:abc:stake:release']) expect(isStakeHold(id), id).to.equal(true);
    for (const id of ['payment:dep_1:hold', 'slip:abc:cashout', 'promo:signup:u1', 'bet-1']) expect(isStakeHold(id), id).to.equal(false);
  });

  it('uses UTC calendar periods, weeks from Monday', () => {
    expect(new Date(periodStart('day', T0)).toISOString()).to.equal('2026-12-03T00:00:00.000Z');
    expect(new Date(periodStart('week', T0)).toISOString()).to.equal('2026-11-30T00:00:00.000Z');
    expect(new Date(periodStart('month', T0)).toISOString()).to.equal('2026-12-01T00:00:00.000Z');
    expect(new Date(periodStart('week', Date.UTC(2026, 10, 29, 23))).toISOString(), 'a Sunday').to.equal('2026-11-23T00:00:00.000Z');
  });

  it('starts a period again from zero when it ends and keeps the longer ones', () => {
    const used = addUsage(emptyUsage(T0), 'deposit', 700, T0);
    const tomorrow = currentUsage(used, T0 + DAY_MS);
    expect(tomorrow.counters.deposit).to.deep.equal({ day: 0, week: 700, month: 700 });
    const nextMonth = currentUsage(used, Date.UTC(2027, 0, 1));
    expect(nextMonth.counters.deposit).to.deep.equal({ day: 0, week: 0, month: 0 });
  });

  it('uncounts a returned stake only from the periods that counted it', () => {
    const yesterday = T0 - DAY_MS;
    let u = addUsage(emptyUsage(yesterday), 'wager', 100, yesterday);
    u = currentUsage(u, T0);
    u = addUsage(u, 'wager', -100, yesterday);
    expect(u.counters.wager).to.deep.equal({ day: 0, week: 0, month: 0 });
    const lastWeek = T0 - 7 * DAY_MS;
    const v = addUsage(currentUsage(addUsage(emptyUsage(lastWeek), 'wager', 50, lastWeek), T0), 'wager', -50, lastWeek);
    expect(v.counters.wager, 'last week\'s stake is not this week\'s').to.deep.equal({ day: 0, week: 0, month: 0 });
  });

  it('never accepts stakes past a limit, whatever the sequence of stakes and returns (property)', () => {
    fc.assert(fc.property(
      fc.integer({ min: 0, max: 5_000 }),
      fc.array(fc.record({ stake: fc.integer({ min: 1, max: 2_000 }), returned: fc.boolean() }), { maxLength: 60 }),
      (limit, steps) => {
        const controls = { ...newProtectionRecord('a', T0).controls, limits: { wager: { day: limit } } };
        let usage: LimitUsage | null = null;
        const storage: LimitsStorage = { controls: () => controls, usage: () => usage, setUsage: (_id, u) => void (usage = u) };
        const port = limitsPort(storage);
        let open = 0;
        for (const s of steps) {
          if (port.stake('a', s.stake, T0, 'roulette:t:bet:x') === null) {
            open += s.stake;
            if (s.returned) {
              port.returned('a', s.stake, T0, T0, 'roulette:t:bet:x');
              open -= s.stake;
            }
          }
          expect(open).to.be.at.most(limit);
          expect(usage === null ? 0 : usage!.counters.wager.day).to.equal(open);
        }
      },
    ), { numRuns: 300 });
  });
});
