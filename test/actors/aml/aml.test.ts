import { expect } from 'chai';
import { amlFlags, type AmlConfig, type PaymentFact } from '../../../actors/aml/index.ts';

const H = 3_600_000;
const cfg: AmlConfig = { cumulativeWindowMs: 24 * H, cumulativeThresholdMinor: 10_000, rapidWindowMs: H, rapidCount: 3, littlePlayWindowMs: 72 * H, littlePlayPercent: 10 };
const dep = (amountMinor: number, at: number): PaymentFact => ({ kind: 'deposit', amountMinor, at });
const wd = (amountMinor: number, at: number): PaymentFact => ({ kind: 'withdrawal', amountMinor, at });
const rules = (history: PaymentFact[], p: PaymentFact, staked = 0) => amlFlags(cfg, history, p, staked).map((f) => f.rule);

describe('AML rules (actors/aml)', () => {
  it('flags deposits and withdrawals reaching the 24-hour threshold once, when they cross it', () => {
    expect(rules([dep(6_000, 0)], dep(3_000, 2 * H))).to.deep.equal([]);
    expect(rules([dep(6_000, 0), dep(3_000, 2 * H)], wd(1_000, 3 * H), 10_000)).to.deep.equal(['cumulative_24h']);
    expect(rules([dep(6_000, 0), dep(3_000, 2 * H), wd(1_000, 3 * H)], dep(500, 4 * H)), 'already over: not again').to.deep.equal([]);
    expect(rules([dep(9_000, 0)], dep(2_000, 25 * H)), 'outside the window').to.deep.equal([]);
  });

  it('flags the Nth payment within the rapid window', () => {
    expect(rules([dep(10, 0), dep(10, 10)], dep(10, 20))).to.deep.equal(['rapid_payments']);
    expect(rules([dep(10, 0), dep(10, 10), dep(10, 20)], dep(10, 30))).to.deep.equal([]);
    expect(rules([dep(10, 0), dep(10, H)], dep(10, H + 10)), 'the first one is out of the window').to.deep.equal([]);
  });

  it('flags a withdrawal soon after a deposit with little staked since, and not after real play', () => {
    expect(rules([dep(2_000, 0)], wd(1_500, H), 199)).to.deep.equal(['deposit_withdraw_little_play']);
    expect(rules([dep(2_000, 0)], wd(1_500, H), 200)).to.deep.equal([]);
    expect(rules([dep(2_000, 0)], wd(1_500, 73 * H), 0), 'long after').to.deep.equal([]);
    expect(rules([], wd(1_500, H), 0), 'no deposit').to.deep.equal([]);
  });
});
