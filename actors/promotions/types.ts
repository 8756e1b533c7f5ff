/**
 * Shapes of promotions (docs/PROMOTIONS.md): campaigns an operator runs, the facts about a player
 * that decide eligibility, and what a claim awards. Money is integer minor units; prices are
 * integer `priceMilli` (decimal odds × 1000); times are epoch ms supplied by the caller.
 */

export type CampaignStatus = 'draft' | 'active' | 'paused' | 'ended';

/** How much of a settled stake counts towards a bonus's wagering, by game (percent, 0..100). */
export interface ContributionRules {
  /** Sportsbook singles at or above `minPriceMilli` (default 100). */
  sportsbookSinglePct: number;
  /** Sportsbook accumulators (default 100), each leg at or above `minPriceMilli`. */
  sportsbookAccaPct: number;
  /** Sportsbook bets below this price count 0%. */
  minPriceMilli: number;
  /** Roulette (default 10). */
  roulettePct: number;
  /** Cashed-out bets (default 0: a cash-out is not a settled wager). */
  cashOutPct: number;
}

export type CampaignTerms =
  | {
      kind: 'deposit_match';
      /** Bonus = floor(deposit × matchPct / 100), at most `maxBonusMinor`. */
      matchPct: number;
      maxBonusMinor: number;
      minDepositMinor: number;
      /** Wagering requirement = bonus × wageringMultiplier. */
      wageringMultiplier: number;
      contribution: ContributionRules;
      /** Largest stake that may use bonus money while wagering (0: none). */
      maxBetMinor: number;
      /** Most the bonus can turn into cash (the rest is forfeited). */
      conversionCapMinor: number;
      validForMs: number;
    }
  | {
      kind: 'free_bet';
      stakeMinor: number;
      /** The bet's price must be at least this. */
      minPriceMilli: number;
      validForMs: number;
    }
  | {
      kind: 'odds_boost';
      eventId: string;
      marketId: string;
      selectionId: string;
      /** The boosted price paid instead of the market's. */
      boostedPriceMilli: number;
      /** Total stake one player may place at the boosted price. */
      maxStakePerPlayerMinor: number;
    }
  | {
      kind: 'profit_boost';
      /** +boostPct% of the bet's winnings (payout − stake). */
      boostPct: number;
      maxExtraMinor: number;
      minPriceMilli: number;
      validForMs: number;
    }
  | {
      kind: 'cash_back';
      /** Share of the player's net losses over the period. */
      sharePct: number;
      periodMs: number;
      maxMinor: number;
      paidAs: 'cash' | 'bonus';
      /** When paid as bonus: its wagering multiplier (0: none) and lifetime. */
      wageringMultiplier: number;
      validForMs: number;
    };

export type CampaignKind = CampaignTerms['kind'];

export interface Eligibility {
  /** Only players registered within this many ms of the claim (absent: anyone). */
  newPlayersWithinMs?: number;
  /** ISO 3166-1 alpha-2 codes (absent: any country). */
  countries?: string[];
  /** Deposit count before the claim must be within [min, max] (e.g. max 0: first deposit). */
  minDeposits?: number;
  maxDeposits?: number;
  /** VIP tiers admitted (absent: any). */
  vipTiers?: string[];
  /** Must have been active within this many ms (absent: no condition). */
  activeWithinMs?: number;
}

export interface Campaign {
  id: string;
  name: string;
  status: CampaignStatus;
  startsAt: number;
  endsAt: number;
  /** Opt-in campaigns are claimed by the player; automatic ones are awarded by the trigger (deposit, period end). */
  optIn: boolean;
  /** The campaign stops when this much has been awarded (its ledger budget account runs dry). */
  budgetMinor: number;
  eligibility: Eligibility;
  terms: CampaignTerms;
}

/**
 * Why a player receives nothing: a responsible-gambling time-out or self-exclusion, or a block
 * by responsible-gambling or fraud rules (the server's PlayerBlockCheck hook fills this).
 */
export type PlayerBlock = 'self_excluded' | 'time_out' | 'responsible_gambling' | 'fraud' | 'duplicate_identity' | 'account_locked';

/** What the server knows about a player when they claim (the decider reads no database). */
export interface PlayerFacts {
  userId: string;
  registeredAt: number;
  lastActiveAt: number;
  country: string | null;
  vipTier: string | null;
  /** Deposits before the one being matched. */
  depositCount: number;
  block: PlayerBlock | null;
  /** Whether this player already claimed this campaign (one claim per player). */
  alreadyClaimed: boolean;
}

export type PromoRejectionCode =
  | 'promo/not_active'
  | 'promo/not_started'
  | 'promo/ended'
  | 'promo/blocked'
  | 'promo/already_claimed'
  | 'promo/not_eligible'
  | 'promo/deposit_too_small'
  | 'promo/budget_spent'
  | 'promo/nothing_due'
  | 'promo/invalid_campaign';

export interface PromoRejection {
  code: PromoRejectionCode;
  message: string;
}

/** What a claim gives: bonus money with terms, a token for one bet, or cash. */
export type Award =
  | { type: 'bonus'; amountMinor: number; wageringRequiredMinor: number; maxBetMinor: number; conversionCapMinor: number; expiresAt: number }
  | { type: 'free_bet'; stakeMinor: number; minPriceMilli: number; expiresAt: number }
  | { type: 'profit_boost'; boostPct: number; maxExtraMinor: number; minPriceMilli: number; expiresAt: number }
  | { type: 'odds_boost'; eventId: string; marketId: string; selectionId: string; boostedPriceMilli: number; maxStakeMinor: number; expiresAt: number }
  | { type: 'cash'; amountMinor: number };

export type ClaimDecision = { ok: true; award: Award } | { ok: false; rejection: PromoRejection };
