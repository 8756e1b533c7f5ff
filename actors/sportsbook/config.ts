/** Event configuration: defaults (for a currency with 100 minor units) and validation. */
import { DEFAULT_OVERROUND, DEFAULT_RHO, DEFAULT_SHADING } from '../odds/index.ts';
import { validateUncertainty, type PriceUncertaintyConfig } from './quote-policy.ts';
import type { SportsbookConfig, SportsbookConfigInput } from './types.ts';

/**
 * Weight of the market in the pool of model and market rates. The backtest (docs/PRICING.md) chooses
 * it season by season on the earlier seasons by the pooled prices' divergence from the closing
 * prices: 0.9, 0.9, 1.0, 1.0 on the shared data (the model adds little to a market price). 0.9 keeps
 * a little of the model for markets whose input is thin; MARKET_WEIGHT_PERCENT=100 follows the latest
 * choice exactly.
 */
export const DEFAULT_MARKET_WEIGHT = 0.9;

/**
 * Pre-match margin against the uncertainty of the prices quoted from (quote-policy.ts). The σ terms
 * are the backtest's measurement on the shared seasons (docs/PRICING.md, "Margin against a stale
 * input": the backtest fits them walk-forward on earlier seasons; these are its fit on all of them);
 * z and the least margin per outcome are the house's choice, not fitted.
 */
export const DEFAULT_PRICE_UNCERTAINTY: PriceUncertaintyConfig = Object.freeze({
  z: 1,
  engineOnlySigma: 0.24,
  marketJumpVariance: 0.0132,
  marketDriftVariancePerDay: 0.0037,
  lineupLeadMs: 60 * 60_000,
  minOutcomeMargin: 0.01,
});

export const DEFAULT_SPORTSBOOK_CONFIG: SportsbookConfig = Object.freeze({
  betDelayMs: 5_000,
  resumeAfterMs: 8_000,
  penaltyResumeAfterMs: 60_000,
  reorderWindowMs: 5_000,
  reorderBufferSize: 32,
  minStakeMinor: 10,
  maxStakeMinor: 1_000_000,
  maxPayoutMinor: 10_000_000,
  maxLiabilityPerSelectionMinor: 5_000_000,
  maxStakePerPlayerMinor: 2_000_000,
  engineOnlyLimitFactor: 1,
  maxBetsPerEvent: 100_000,
  cashOutEnabled: true,
  cashOutMarginBps: 500,
  cashOutToleranceBps: 100,
  tradingClosesAtMinute: 89,
  maxNextGoalMarkets: 12,
  pricing: Object.freeze({
    overround: DEFAULT_OVERROUND,
    overroundByMarket: Object.freeze({ correct_score: 1.2, next_goal: 1.06 }) as Record<string, number>,
    marginMethod: 'power' as const,
    rho: DEFAULT_RHO,
    shading: DEFAULT_SHADING,
    marketWeight: DEFAULT_MARKET_WEIGHT,
    marketRemoval: 'power' as const,
    uncertainty: DEFAULT_PRICE_UNCERTAINTY,
  }),
});

export function sportsbookConfig(input: SportsbookConfigInput = {}): SportsbookConfig {
  const base = DEFAULT_SPORTSBOOK_CONFIG;
  return {
    ...base,
    ...input,
    pricing: {
      ...base.pricing,
      ...input.pricing,
      overroundByMarket: { ...(input.pricing?.overroundByMarket ?? base.pricing.overroundByMarket) },
      uncertainty: { ...base.pricing.uncertainty, ...input.pricing?.uncertainty },
    },
  };
}

const MAX_MS = 24 * 3_600_000;
const MAX_MONEY = 1e12;

function intIn(problems: string[], name: string, value: unknown, min: number, max: number): void {
  if (!Number.isSafeInteger(value) || (value as number) < min || (value as number) > max) problems.push(`${name} must be an integer in [${min}, ${max}]`);
}

function numIn(problems: string[], name: string, value: unknown, min: number, max: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) problems.push(`${name} must be a number in [${min}, ${max}]`);
}

/** Problems with a config, empty when valid. */
export function validateSportsbookConfig(config: SportsbookConfig): string[] {
  const p: string[] = [];
  intIn(p, 'betDelayMs', config.betDelayMs, 0, 60_000);
  intIn(p, 'resumeAfterMs', config.resumeAfterMs, 0, MAX_MS);
  intIn(p, 'penaltyResumeAfterMs', config.penaltyResumeAfterMs, 0, MAX_MS);
  intIn(p, 'reorderWindowMs', config.reorderWindowMs, 0, MAX_MS);
  intIn(p, 'reorderBufferSize', config.reorderBufferSize, 1, 1_000);
  intIn(p, 'minStakeMinor', config.minStakeMinor, 1, MAX_MONEY);
  intIn(p, 'maxStakeMinor', config.maxStakeMinor, config.minStakeMinor, MAX_MONEY);
  intIn(p, 'maxPayoutMinor', config.maxPayoutMinor, 1, MAX_MONEY);
  intIn(p, 'maxLiabilityPerSelectionMinor', config.maxLiabilityPerSelectionMinor, 0, MAX_MONEY);
  intIn(p, 'maxStakePerPlayerMinor', config.maxStakePerPlayerMinor, 1, MAX_MONEY);
  numIn(p, 'engineOnlyLimitFactor', config.engineOnlyLimitFactor, 0, 1);
  intIn(p, 'maxBetsPerEvent', config.maxBetsPerEvent, 1, 10_000_000);
  if (typeof config.cashOutEnabled !== 'boolean') p.push('cashOutEnabled must be a boolean');
  intIn(p, 'cashOutMarginBps', config.cashOutMarginBps, 0, 9_999);
  intIn(p, 'cashOutToleranceBps', config.cashOutToleranceBps, 0, 10_000);
  numIn(p, 'tradingClosesAtMinute', config.tradingClosesAtMinute, 46, 90);
  intIn(p, 'maxNextGoalMarkets', config.maxNextGoalMarkets, 1, 30);
  const pricing = config.pricing;
  numIn(p, 'pricing.overround', pricing.overround, 1, 2);
  for (const [key, value] of Object.entries(pricing.overroundByMarket)) numIn(p, `pricing.overroundByMarket.${key}`, value, 1, 3);
  if (pricing.marginMethod !== 'power' && pricing.marginMethod !== 'proportional') p.push("pricing.marginMethod must be 'power' or 'proportional'");
  numIn(p, 'pricing.rho', pricing.rho, -0.5, 0.5);
  numIn(p, 'pricing.marketWeight', pricing.marketWeight, 0, 1);
  if (!['power', 'shin', 'proportional'].includes(pricing.marketRemoval)) p.push("pricing.marketRemoval must be 'power', 'shin' or 'proportional'");
  p.push(...validateUncertainty(pricing.uncertainty));
  const shading = pricing.shading;
  if (!shading || !Array.isArray(shading.thresholdsMinor) || !Array.isArray(shading.shortenFractions)) p.push('pricing.shading needs thresholdsMinor and shortenFractions arrays');
  else numIn(p, 'pricing.shading.maxShortenFraction', shading.maxShortenFraction, 0, 0.9);
  return p;
}
