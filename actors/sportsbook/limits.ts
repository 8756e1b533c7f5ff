/**
 * Bet limits. Liability of a selection = Σ (payout − stake) over its accepted bets at their
 * accepted price plus its pending bets at the price current when they were placed (counted while
 * pending, so a burst of bets in their delay cannot overshoot the limit).
 */
import { selectionKey } from '../odds/index.ts';
import { playerStakeOf } from './bets.ts';
import { liabilityOf, maxStakeForLiability, maxStakeForPayout, payoutOf } from './money.ts';
import type { Rejection } from '../decision.ts';
import type { AcceptancePolicy, EventState } from './types.ts';

/** Largest per-player stake factor an operator may set (a factor above 1 raises a trusted player's limits). */
export const MAX_STAKE_FACTOR = 10;

export interface EffectiveLimits {
  maxStakeMinor: number;
  maxLiabilityPerSelectionMinor: number;
  maxStakePerPlayerMinor: number;
  /** Pre-match prices from the engine alone, with a factor below 1: the lower limits apply. */
  engineOnly: boolean;
}

/** Before kick-off with no market input, the event's prices are the engine's alone (not market-grade). */
export function isEngineOnlyPreMatch(state: EventState): boolean {
  return state.market === null && state.phase === 'scheduled';
}

/**
 * The limits in force: the config's, lowered by `engineOnlyLimitFactor` on engine-only pre-match
 * prices (per-bet stake and per-selection liability), and scaled by the player's stake factor
 * (per-bet stake and per-event stake).
 */
export function effectiveLimits(state: EventState, stakeFactor = 1): EffectiveLimits {
  const c = state.config;
  const engineOnly = isEngineOnlyPreMatch(state) && c.engineOnlyLimitFactor < 1;
  const e = engineOnly ? c.engineOnlyLimitFactor : 1;
  return {
    maxStakeMinor: Math.floor(c.maxStakeMinor * e * stakeFactor),
    maxLiabilityPerSelectionMinor: Math.floor(c.maxLiabilityPerSelectionMinor * e),
    maxStakePerPlayerMinor: Math.floor(c.maxStakePerPlayerMinor * stakeFactor),
    engineOnly,
  };
}

/** Whether the current price satisfies the client's acceptance policy. */
export function policyAllows(policy: AcceptancePolicy, requestedPriceMilli: number, currentPriceMilli: number): boolean {
  if (policy === 'exact') return currentPriceMilli === requestedPriceMilli;
  if (policy === 'better') return currentPriceMilli >= requestedPriceMilli;
  return true;
}

export interface StakeCheck {
  playerId: string;
  marketId: string;
  selectionId: string;
  stakeMinor: number;
  priceMilli: number;
  /** Liability this same bet already holds while pending (excluded when re-checking at acceptance). */
  ownLiabilityMinor?: number;
  /** Stake this same bet already counts towards the player's total while pending. */
  ownStakeMinor?: number;
}

function rejection(code: string, message: string, details: Record<string, unknown>): Rejection {
  return { code, message, details };
}

/** The largest stake every price-dependent limit would accept for this selection at this price. */
export function largestAcceptableStake(state: EventState, check: Omit<StakeCheck, 'stakeMinor'>, stakeFactor = 1): number {
  const { config } = state;
  const limits = effectiveLimits(state, stakeFactor);
  const current = (state.liabilityMinor[selectionKey(check.marketId, check.selectionId)] ?? 0) - (check.ownLiabilityMinor ?? 0);
  const byLiability = maxStakeForLiability(limits.maxLiabilityPerSelectionMinor - current, check.priceMilli);
  const byPayout = maxStakeForPayout(config.maxPayoutMinor, check.priceMilli);
  const byPlayer = limits.maxStakePerPlayerMinor - (playerStakeOf(state, check.playerId) - (check.ownStakeMinor ?? 0));
  const largest = Math.min(byLiability, byPayout, byPlayer, limits.maxStakeMinor);
  return largest >= config.minStakeMinor ? largest : 0;
}

export function checkStake(state: EventState, stakeMinor: number, stakeFactor = 1): Rejection | null {
  const { minStakeMinor } = state.config;
  const { maxStakeMinor, engineOnly } = effectiveLimits(state, stakeFactor);
  if (stakeMinor < minStakeMinor || stakeMinor > maxStakeMinor) {
    return rejection('bet/stake_limit', `stake must be between ${minStakeMinor} and ${maxStakeMinor}`, { minStakeMinor, maxStakeMinor, ...(engineOnly ? { engineOnlyPrices: true } : {}) });
  }
  return null;
}

/** Payout and liability at `priceMilli` (checked at placement and again at acceptance). */
export function checkExposure(state: EventState, check: StakeCheck): Rejection | null {
  const { config } = state;
  const payout = payoutOf(check.stakeMinor, check.priceMilli);
  if (payout > config.maxPayoutMinor) {
    return rejection('bet/payout_limit', `payout ${payout} would exceed the maximum payout per bet`, {
      maxPayoutMinor: config.maxPayoutMinor,
      maxStakeMinor: largestAcceptableStake(state, check),
    });
  }
  const key = selectionKey(check.marketId, check.selectionId);
  const current = (state.liabilityMinor[key] ?? 0) - (check.ownLiabilityMinor ?? 0);
  const { maxLiabilityPerSelectionMinor } = effectiveLimits(state);
  if (current + liabilityOf(check.stakeMinor, check.priceMilli) > maxLiabilityPerSelectionMinor) {
    return rejection('bet/liability_limit', 'the selection has reached its liability limit', {
      maxStakeMinor: largestAcceptableStake(state, check),
      maxLiabilityMinor: maxLiabilityPerSelectionMinor,
    });
  }
  return null;
}

export function checkPlayer(state: EventState, playerId: string, stakeMinor: number, stakeFactor = 1): Rejection | null {
  const limit = effectiveLimits(state, stakeFactor).maxStakePerPlayerMinor;
  const staked = playerStakeOf(state, playerId);
  if (staked + stakeMinor > limit) {
    return rejection('bet/player_limit', "the player's stake on this event would exceed the limit", {
      maxStakePerPlayerMinor: limit,
      maxStakeMinor: Math.max(0, limit - staked),
    });
  }
  return null;
}
