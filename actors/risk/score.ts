/**
 * The model's side that runs on every update: the feature vector of a player, the logistic score
 * from trained weights (training is in server/risk/model.ts), and the unsupervised anomaly score
 * (robust z-scores against the population's medians). Pure arithmetic.
 */
import { LATENCY_WINDOW_MS, type RiskBook } from './book.ts';
import { latencyChance } from './detectors.ts';
import { binomialTailLog10, mean, tStat } from './stats.ts';

export const FEATURE_NAMES = [
  'log_deposits', 'log_deposit_minor', 'failed_deposits', 'instruments', 'devices', 'ips',
  'strong_group', 'address_group', 'bonus_claims', 'group_bonus_claims', 'log_bets', 'in_play_share',
  'rejected_share', 'latency_log10p', 'clv_mean', 'clv_t', 'hedged_markets', 'withdraw_share',
  'turnover_share', 'chargebacks', 'failed_logins', 'bonus_then_withdraw',
] as const;

export type FeatureVector = number[];

/** The player's features as numbers, in FEATURE_NAMES order. */
export function featureVector(book: RiskBook, playerId: string, chanceFloor = 0.02): FeatureVector {
  const p = book.player(playerId);
  if (!p) return FEATURE_NAMES.map(() => 0);
  const strong = book.component(playerId);
  const loose = book.component(playerId, ['d', 'c', 'n', 'i']);
  const groupBonus = loose.reduce((s, id) => s + Math.min(1, book.player(id)?.bonusClaims ?? 0), 0);
  const attempts = p.bets + p.betsRejected;
  return [
    Math.log1p(p.deposits), Math.log1p(p.depositMinor / 100), p.failedDeposits, p.instruments.length, p.devices.length, p.ips.length,
    strong.length - 1, loose.length - 1, p.bonusClaims, groupBonus, Math.log1p(p.bets), attempts ? p.inPlayBets / attempts : 0,
    attempts ? p.betsRejected / attempts : 0, binomialTailLog10(p.preIncidentBets, p.inPlayBets, latencyChance(book, chanceFloor)),
    mean(p.clv), Math.max(-10, Math.min(10, tStat(p.clv))), p.hedgedMarkets, p.depositMinor ? Math.min(5, p.withdrawMinor / p.depositMinor) : 0,
    p.depositMinor ? Math.min(50, p.stakeMinor / p.depositMinor) : 0, p.chargebacks, p.failedLoginTimes.length,
    // Asked to withdraw after claiming a bonus: how much, against the deposits.
    p.bonusClaims > 0 && p.withdrawMinor > 0 ? Math.min(5, p.withdrawMinor / Math.max(1, p.depositMinor)) : 0,
  ];
}

export { LATENCY_WINDOW_MS };

/** Standardisation and logistic weights, as trained (server/risk/model.ts writes them). */
export interface ModelWeights {
  version: string;
  features: readonly string[];
  means: number[];
  scales: number[];
  /** weights[0] is the intercept. */
  weights: number[];
  /** Score at or above which a player is flagged (chosen on the training mix for FPR ≤ 1 % on honest players). */
  threshold: number;
}

export function standardise(x: FeatureVector, m: Pick<ModelWeights, 'means' | 'scales'>): number[] {
  return x.map((v, i) => (v - m.means[i]!) / (m.scales[i]! || 1));
}

export function logisticScore(x: FeatureVector, m: ModelWeights): number {
  const z = standardise(x, m).reduce((s, v, i) => s + v * m.weights[i + 1]!, m.weights[0]!);
  return 1 / (1 + Math.exp(-Math.max(-40, Math.min(40, z))));
}

/** Robust centre and spread of each feature over a population (median and MAD × 1.4826). */
export interface AnomalyBaseline {
  medians: number[];
  mads: number[];
}

export function anomalyBaseline(rows: readonly FeatureVector[]): AnomalyBaseline {
  const cols = rows[0]?.length ?? FEATURE_NAMES.length;
  const medians: number[] = [];
  const mads: number[] = [];
  for (let j = 0; j < cols; j++) {
    const col = rows.map((r) => r[j]!).sort((a, b) => a - b);
    const med = median(col);
    const dev = col.map((v) => Math.abs(v - med)).sort((a, b) => a - b);
    medians.push(med);
    // A floor on the spread, so a feature almost always 0 does not make every non-zero value infinite.
    mads.push(Math.max(0.1, 1.4826 * median(dev)));
  }
  return { medians, mads };
}

function median(sorted: readonly number[]): number {
  if (sorted.length === 0) return 0;
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * Anomaly in [0, 1): the root mean square of the robust z-scores, squashed (1 − e^(−rms/4)). High
 * when a player is far from the bulk on several features at once; needs no labels.
 */
export function anomalyScore(x: FeatureVector, b: AnomalyBaseline): number {
  const zs = x.map((v, j) => Math.min(20, Math.abs(v - b.medians[j]!) / b.mads[j]!));
  const rms = Math.sqrt(zs.reduce((s, z) => s + z * z, 0) / zs.length);
  return 1 - Math.exp(-rms / 4);
}
