/**
 * Policies: what the risk service does about a player, decided from the player's score and the
 * detectors' reasons. Each policy fires once per player (until an operator clears the player's
 * actions); the service performs and audits what this decides (server/risk/actions.ts).
 */
import { z } from 'zod';
import type { DetectorName, Reason } from './detectors.ts';

const detectorNames = ['velocity', 'linked_accounts', 'bonus_ring', 'latency', 'sharp', 'hedging', 'cycling', 'chargeback'] as const satisfies readonly DetectorName[];

export const policySchema = z.object({
  name: z.string().min(1).max(64),
  /** Fires when any of these detectors gave a reason… */
  detectors: z.array(z.enum(detectorNames)).max(8).default([]),
  /** …or the score is at least this; `model`: the trained model's threshold (omit: the score alone never fires it). */
  minScore: z.union([z.number().min(0).max(1), z.literal('model')]).optional(),
  action: z.enum(['flag', 'stake_factor', 'hold_withdrawals', 'lock']),
  /** For stake_factor: the factor to set (0 stops the player betting on live events). */
  stakeFactor: z.number().min(0).max(1).optional(),
});

export type RiskPolicy = z.infer<typeof policySchema>;
export type RiskActionKind = RiskPolicy['action'];

export const policiesSchema = z.array(policySchema).max(50);

/** The default policy set (docs/FRAUD.md, "Policies"); RISK_POLICIES replaces it. */
export const DEFAULT_POLICIES: RiskPolicy[] = [
  { name: 'review-anything-suspicious', detectors: [...detectorNames], minScore: 'model', action: 'flag' },
  { name: 'limit-sharp-bettors', detectors: ['sharp'], action: 'stake_factor', stakeFactor: 0.25 },
  { name: 'stop-latency-bettors', detectors: ['latency'], action: 'stake_factor', stakeFactor: 0 },
  // Rings: money out waits for a person. Cycling and single links alone only flag (households share cards).
  { name: 'hold-ring-withdrawals', detectors: ['bonus_ring', 'hedging'], action: 'hold_withdrawals' },
  { name: 'lock-charged-back', detectors: ['chargeback'], action: 'lock' },
];

export interface DecidedAction {
  policy: string;
  action: RiskActionKind;
  stakeFactor?: number;
  reasons: string[];
}

/**
 * The actions the policies call for that the player does not have yet (`applied`: keys
 * `<policy>` of actions already taken). A score threshold of a policy applies only with a model.
 */
export function decideActions(policies: readonly RiskPolicy[], score: number | null, reasons: readonly Reason[], applied: ReadonlySet<string>, modelThreshold = 0.5): DecidedAction[] {
  const out: DecidedAction[] = [];
  for (const p of policies) {
    if (applied.has(p.name)) continue;
    const matched = reasons.filter((r) => p.detectors.includes(r.detector));
    const min = p.minScore === 'model' ? modelThreshold : p.minScore;
    const byScore = min !== undefined && score !== null && score >= min;
    if (matched.length === 0 && !byScore) continue;
    out.push({
      policy: p.name,
      action: p.action,
      ...(p.action === 'stake_factor' ? { stakeFactor: p.stakeFactor ?? 0 } : {}),
      reasons: [...matched.map((r) => `${r.detector}: ${r.message}`), ...(byScore ? [`score ${score!.toFixed(3)} ≥ ${min}`] : [])],
    });
  }
  return out;
}
