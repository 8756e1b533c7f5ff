/**
 * The money of a profit boost over many terms (docs/PROMOTIONS.md §3): the extra is never more than
 * the cap (what the token reserved) nor more than its percent of the winnings; settlement pays it
 * from the reserve it releases; and any chain of re-settlements corrects the extra to exactly what
 * the last outcome earns.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import { boostOfWinnings, grossReturn, profitBoostExtra, profitBoostExtraOf } from '../../actors/promotions/index.ts';
import type { BetOutcomeKind, Correction, EventState } from '../../actors/sportsbook/index.ts';
import { emptySharded, setIn } from '../../actors/sportsbook/sharded.ts';
import { boostCorrections, boostSettlementOps } from '../../rooms/market/profit-boost.ts';

const terms = fc.record({ boostPct: fc.integer({ min: 1, max: 1_000 }), maxExtraMinor: fc.integer({ min: 1, max: 100_000_000 }) });
const stake = fc.integer({ min: 1, max: 100_000_000 });
const price = fc.integer({ min: 1_000, max: 1_000_000 });

describe('profit boost money (property)', () => {
  it('pays at most the cap and at most boostPct% of the winnings, floored, and the same as the decider', () => {
    fc.assert(fc.property(terms, stake, price, ({ boostPct, maxExtraMinor }, s, p) => {
      const gross = grossReturn(s, p);
      const extra = profitBoostExtraOf({ outcome: 'won', stakeMinor: s, payoutMinor: gross }, boostPct, maxExtraMinor);
      expect(extra).to.equal(profitBoostExtra(s, p, true, boostPct, maxExtraMinor));
      expect(Number.isSafeInteger(extra) && extra >= 0 && extra <= maxExtraMinor).to.equal(true);
      expect(BigInt(extra) * 100n <= BigInt(gross - s) * BigInt(boostPct)).to.equal(true);
      // Floored, not short: one more would pass the percent, unless the cap bound it.
      if (extra < maxExtraMinor) expect(BigInt(extra + 1) * 100n > BigInt(gross - s) * BigInt(boostPct)).to.equal(true);
      for (const kind of ['lost', 'void', 'cashed_out'] as const) expect(profitBoostExtraOf({ outcome: kind, stakeMinor: s, payoutMinor: gross }, boostPct, maxExtraMinor)).to.equal(0);
    }));
  });

  it('settles a boosted bet by releasing its reserve and paying the extra (never more than the reserve) from the campaign', () => {
    fc.assert(fc.property(terms, stake, price, fc.constantFrom<BetOutcomeKind>('won', 'lost', 'void', 'cashed_out'), (t, s, p, kind) => {
      const payout = kind === 'won' ? grossReturn(s, p) : kind === 'void' ? s : kind === 'cashed_out' ? Math.floor(s / 2) + 1 : 0;
      const ops = boostSettlementOps('market:e:bet:b', { campaignId: 'c', ...t }, { outcome: kind, stakeMinor: s, payoutMinor: payout, playerId: 'p' });
      expect(ops[0]).to.include({ type: 'release', holdId: 'market:e:bet:b#boost' });
      const paid = ops.slice(1).reduce((sum, op) => sum + (op.type === 'transfer' ? op.amountMinor : 0), 0);
      expect(paid).to.equal(kind === 'won' ? boostOfWinnings(payout - s, t.boostPct, t.maxExtraMinor) : 0);
      expect(paid).to.be.at.most(t.maxExtraMinor);
      for (const op of ops.slice(1)) expect(op).to.include({ type: 'transfer', fromAccountId: 'promo:campaign:c', toAccountId: 'player:p', kind: 'payout', stakeHoldId: 'market:e:bet:b' });
    }));
  });

  it('corrects the extra through any chain of re-settlements to what the last outcome earns', () => {
    const outcomeOf = fc.constantFrom<BetOutcomeKind>('won', 'lost', 'void');
    fc.assert(fc.property(terms, stake, price, fc.array(outcomeOf, { minLength: 2, maxLength: 6 }), (t, s, p, chain) => {
      const boost = { campaignId: 'c', ...t };
      const state = { bets: setIn(emptySharded<unknown>(), 'b', { betId: 'b', profitBoost: boost }), markets: [] } as unknown as EventState;
      const payoutOf = (k: BetOutcomeKind) => (k === 'won' ? grossReturn(s, p) : k === 'void' ? s : 0);
      const extraOf = (k: BetOutcomeKind) => profitBoostExtraOf({ outcome: k, stakeMinor: s, payoutMinor: payoutOf(k) }, t.boostPct, t.maxExtraMinor);
      let paid = extraOf(chain[0]!);
      for (let i = 1; i < chain.length; i++) {
        const c: Correction = {
          betId: 'b', playerId: 'p', stakeMinor: s, previousOutcome: chain[i - 1]!, outcome: chain[i]!, previousPayoutMinor: payoutOf(chain[i - 1]!), payoutMinor: payoutOf(chain[i]!),
          deltaMinor: payoutOf(chain[i]!) - payoutOf(chain[i - 1]!),
        };
        paid += boostCorrections(state, [c]).reduce((sum, b) => sum + b.deltaMinor, 0);
      }
      expect(paid).to.equal(extraOf(chain[chain.length - 1]!));
    }));
  });
});
