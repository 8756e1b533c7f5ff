/**
 * Anti-money-laundering rules over a player's payments (pure): which patterns a new payment
 * completes, each one a reason to open a case for review. Thresholds are the deployment's.
 *
 * - cumulative_24h: deposits and withdrawals in the last 24 hours reach the threshold (flagged
 *   when this payment crosses it, so once per crossing);
 * - rapid_payments: this payment is the Nth in the rapid window (N = rapidCount);
 * - deposit_withdraw_little_play: a withdrawal soon after a deposit with little staked since
 *   (less than `littlePlayPercent` of the deposit): money passed through the account without play.
 */

export interface AmlConfig {
  cumulativeWindowMs: number;
  cumulativeThresholdMinor: number;
  rapidWindowMs: number;
  rapidCount: number;
  littlePlayWindowMs: number;
  littlePlayPercent: number;
}

export interface PaymentFact {
  kind: 'deposit' | 'withdrawal';
  amountMinor: number;
  at: number;
}

export type AmlRule = 'cumulative_24h' | 'rapid_payments' | 'deposit_withdraw_little_play';

export interface AmlFlag {
  rule: AmlRule;
  details: Record<string, number>;
}

/**
 * The flags `payment` raises given the player's earlier payments (`history`, any order, not
 * including it) and what they staked since their latest deposit.
 */
export function amlFlags(cfg: AmlConfig, history: readonly PaymentFact[], payment: PaymentFact, stakedSinceDepositMinor: number): AmlFlag[] {
  const flags: AmlFlag[] = [];
  const earlier = history.filter((p) => p.at <= payment.at);
  const inWindow = earlier.filter((p) => p.at > payment.at - cfg.cumulativeWindowMs);
  const before = inWindow.reduce((s, p) => s + p.amountMinor, 0);
  if (before < cfg.cumulativeThresholdMinor && before + payment.amountMinor >= cfg.cumulativeThresholdMinor) {
    flags.push({ rule: 'cumulative_24h', details: { totalMinor: before + payment.amountMinor, thresholdMinor: cfg.cumulativeThresholdMinor } });
  }
  const rapid = earlier.filter((p) => p.at > payment.at - cfg.rapidWindowMs).length + 1;
  if (rapid === cfg.rapidCount) flags.push({ rule: 'rapid_payments', details: { count: rapid, windowMs: cfg.rapidWindowMs } });
  if (payment.kind === 'withdrawal') {
    const deposit = earlier.filter((p) => p.kind === 'deposit').sort((a, b) => b.at - a.at)[0];
    if (deposit && payment.at - deposit.at <= cfg.littlePlayWindowMs && stakedSinceDepositMinor * 100 < deposit.amountMinor * cfg.littlePlayPercent) {
      flags.push({ rule: 'deposit_withdraw_little_play', details: { depositMinor: deposit.amountMinor, stakedMinor: stakedSinceDepositMinor, withdrawalMinor: payment.amountMinor } });
    }
  }
  return flags;
}
