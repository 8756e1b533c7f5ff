/**
 * The wallet side of profit-boost tokens in a live event (docs/PROMOTIONS.md §3). A claimed token
 * is a hold of its cap (`maxExtraMinor`) on the campaign account. Placing a boosted bet consumes
 * it in the stake's atomic call: the token is released to the campaign and the cap held again
 * under the bet (`<stake hold>#boost`, resolved with the stake). Settlement releases that hold
 * and pays the extra a won bet earns from the campaign (split like the payout when the stake used
 * bonus money); a loss, void, refusal or cash-out only releases it. Re-settlement moves the
 * difference in the extra with the player's correction and squares the campaign with the house.
 */
import { createHash } from 'node:crypto';
import { profitBoostExtraOf } from '../../actors/promotions/index.ts';
import type { BetOutcome, Correction, EventState, ProfitBoostTerms } from '../../actors/sportsbook/index.ts';
import { getBet } from '../../actors/sportsbook/index.ts';
import { SYSTEM_ACCOUNTS, type WalletOp } from '../../server/store/types.ts';
import { campaignAccountId } from '../../server/store/wallet-input.ts';
import { playerAccountId } from '../../server/wallet/service.ts';
import { fail, type Reply } from '../messages.ts';
import { boostHoldId, holdReleaseOp } from '../money-keys.ts';
import type { ProfitBoostGrant } from './services.ts';

/**
 * The key of a token's use by one bet (free bet or profit boost): keyed by the bet, so a second bet
 * finds the token resolved, and a retry of this bet replays. The stake hold id is hashed to keep
 * the key within the ledger's 200 characters whatever the ids' lengths.
 */
export function tokenUseKey(tokenHoldId: string, stakeHoldId: string): string {
  return `${tokenHoldId}:used:${createHash('sha256').update(stakeHoldId).digest('hex').slice(0, 24)}`;
}

/** The terms a boosted bet journals (the campaign's, when the bet was placed). */
export function boostTerms(g: ProfitBoostGrant): ProfitBoostTerms {
  return { campaignId: g.campaignId, boostPct: g.boostPct, maxExtraMinor: g.maxExtraMinor };
}

/**
 * Consumes the token and holds its cap under the bet, before the stake's own reserve (the last op:
 * the host reads the stake's hold from it), all in one atomic call. The token's release is keyed
 * by the bet, so a second bet with the same token finds it resolved and the whole call fails
 * (`wallet/hold_resolved`), in any process; a retry of the same bet replays.
 */
export function profitBoostReserveOps(stakeHoldId: string, grant: ProfitBoostGrant, stakeReserve: WalletOp): WalletOp[] {
  return [
    { type: 'release', key: tokenUseKey(grant.tokenHoldId, stakeHoldId), holdId: grant.tokenHoldId, memo: `profit boost on ${stakeHoldId}`.slice(0, 200) },
    { type: 'reserve', key: boostHoldId(stakeHoldId), accountId: grant.fundingAccountId, amountMinor: grant.maxExtraMinor, memo: `profit boost reserve of ${stakeHoldId}` },
    stakeReserve,
  ];
}

/** A token (profit boost or free bet) that another bet consumed first, as the player's error. */
export function tokenRefusal(reply: Reply<never>): Reply<never> {
  const code = reply.ok ? null : reply.error.code;
  if (code !== 'wallet/hold_resolved' && code !== 'wallet/hold_not_found') return reply;
  return fail('promo/no_token', 'this token was used by another bet');
}

/**
 * What settles a boosted bet's reserve, appended to its stake's settlement group: the reserve back
 * to the campaign, and the extra a won bet earns from it to the player (the payout's key plus
 * `:boost`; `stakeHoldId` splits it like the payout when the stake used bonus money).
 */
export function boostSettlementOps(stakeHoldId: string, terms: ProfitBoostTerms, o: Pick<BetOutcome, 'outcome' | 'stakeMinor' | 'payoutMinor' | 'playerId'>): WalletOp[] {
  const hold = boostHoldId(stakeHoldId);
  const ops: WalletOp[] = [holdReleaseOp(hold)];
  const extra = profitBoostExtraOf(o, terms.boostPct, terms.maxExtraMinor);
  if (extra > 0) {
    ops.push({
      type: 'transfer', key: `${stakeHoldId}:payout:boost`, fromAccountId: campaignAccountId(terms.campaignId), toAccountId: playerAccountId(o.playerId),
      amountMinor: extra, kind: 'payout', memo: `profit boost +${terms.boostPct}%`, stakeHoldId,
    });
  }
  return ops;
}

/** The boost of a bet in `state`, if it has one. */
export function boostOf(state: EventState | null, betId: string): ProfitBoostTerms | undefined {
  return state ? getBet(state, betId)?.profitBoost : undefined;
}

/** A change in a boosted bet's extra that a re-settlement makes (> 0: more is due to the player). */
export interface BoostCorrection {
  betId: string;
  terms: ProfitBoostTerms;
  deltaMinor: number;
}

/** The extra's change of each boosted bet a re-settlement corrects (bets whose extra is unchanged are left out). */
export function boostCorrections(state: EventState | null, corrections: readonly Correction[]): BoostCorrection[] {
  return corrections.flatMap((c) => {
    const terms = boostOf(state, c.betId);
    if (!terms) return [];
    const before = profitBoostExtraOf({ outcome: c.previousOutcome, stakeMinor: c.stakeMinor, payoutMinor: c.previousPayoutMinor }, terms.boostPct, terms.maxExtraMinor);
    const after = profitBoostExtraOf({ outcome: c.outcome, stakeMinor: c.stakeMinor, payoutMinor: c.payoutMinor }, terms.boostPct, terms.maxExtraMinor);
    return after === before ? [] : [{ betId: c.betId, terms, deltaMinor: after - before }];
  });
}

/** The corrections with each boosted bet's extra added to its player's delta (then netted as usual). */
export function withBoostDeltas(corrections: readonly Correction[], boosts: readonly BoostCorrection[]): Correction[] {
  if (boosts.length === 0) return [...corrections];
  const delta = new Map(boosts.map((b) => [b.betId, b.deltaMinor]));
  return corrections.map((c) => (delta.has(c.betId) ? { ...c, deltaMinor: c.deltaMinor + delta.get(c.betId)! } : c));
}

/**
 * The campaign's side of a corrected extra: the house moves the difference to or from the player
 * in the net correction, and the campaign pays the house what it newly owes (an extra that grew)
 * or is paid back what it no longer owes (an extra that shrank). Keyed by the bet and the
 * re-settlement, so a re-drive is a replay.
 */
export function boostSquareOp(stakeHoldId: string, marketId: string, n: number, b: BoostCorrection): WalletOp {
  const campaign = campaignAccountId(b.terms.campaignId);
  const grew = b.deltaMinor > 0;
  return {
    type: 'transfer', key: `${boostHoldId(stakeHoldId)}:resettle:${marketId}:${n}`, fromAccountId: grew ? campaign : SYSTEM_ACCOUNTS.house, toAccountId: grew ? SYSTEM_ACCOUNTS.house : campaign,
    amountMinor: Math.abs(b.deltaMinor), kind: 'adjustment', memo: `profit boost re-settlement of ${marketId}`,
  };
}
