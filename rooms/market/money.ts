/**
 * The wallet side of a live event: the ledger operations each event implies. Keys derive from the
 * event and bet ids, so a repeat (retry, recovery) never moves money twice. Stakes are reserved
 * when a bet is requested and captured or released when it resolves; winners and cash-outs are
 * paid from the house; re-settlement corrections are new transfers, never edits.
 */
import { SYSTEM_ACCOUNTS, type RoomFence, type WalletOp } from '../../server/store/types.ts';
import { clawbackSplit, receivableAccountId } from '../../server/store/wallet-input.ts';
import { playerAccountId, type WalletService } from '../../server/wallet/service.ts';
import { betHoldId, betHoldPrefix, boostHoldId, holdReleaseOp, stakeReserveOp, stakeSettlementOps } from '../money-keys.ts';
import { getBet, type BetOutcome, type Correction, type EventState, type SportsEvent } from '../../actors/sportsbook/index.ts';
import { detectHedging, type BonusBet } from '../../actors/promotions/index.ts';
import { bonusHoldId } from '../../server/store/wallet-input.ts';
import type { ProfitBoostTerms } from '../../actors/sportsbook/index.ts';
import { boostCorrections, boostSettlementOps, boostSquareOp, profitBoostReserveOps, tokenUseKey, withBoostDeltas } from './profit-boost.ts';
import type { BetPromotion } from './services.ts';

/** A bet's profit boost, when it has one (read from the state the events were decided on). */
export type BoostLookup = (betId: string) => ProfitBoostTerms | undefined;

const noBoosts: BoostLookup = () => undefined;

/** The boosts of `before` and of the bets `events` request (a bet requested and resolved in one decision). */
export function boostLookup(before: EventState | null, events: readonly SportsEvent[] = []): BoostLookup {
  const requested = new Map(events.flatMap((e) => (e.type === 'BetRequested' && e.profitBoost ? [[e.betId, e.profitBoost] as const] : [])));
  return (betId) => requested.get(betId) ?? (before ? getBet(before, betId)?.profitBoost : undefined);
}

export const holdPrefix = (eventId: string): string => betHoldPrefix('market', eventId);

export const holdId = (eventId: string, betId: string): string => betHoldId('market', eventId, betId);

export function reserveOp(eventId: string, bet: { betId: string; playerId: string; stakeMinor: number }): WalletOp {
  return stakeReserveOp('market', eventId, bet, `event ${eventId} bet ${bet.betId}`);
}

/**
 * A free bet's stake: the token's hold is released back to the campaign and the stake is held
 * from the campaign under the bet's hold id, in one atomic call; its payout then returns only the
 * winnings (the ledger's free-bet rule, server/store/bonus-ops.ts).
 */
export function freeBetReserveOps(eventId: string, bet: { betId: string; stakeMinor: number }, token: { tokenHoldId: string; fundingAccountId: string }): WalletOp[] {
  return [
    // Keyed by the bet: a second bet with the same token finds it resolved and fails whole (a retry of this bet replays).
    { type: 'release', key: tokenUseKey(token.tokenHoldId, holdId(eventId, bet.betId)), holdId: token.tokenHoldId, memo: `free bet ${bet.betId}` },
    { type: 'reserve', key: holdId(eventId, bet.betId), accountId: token.fundingAccountId, amountMinor: bet.stakeMinor, memo: `event ${eventId} free bet ${bet.betId}` },
  ];
}

export function releaseOp(eventId: string, betId: string): WalletOp {
  return holdReleaseOp(holdId(eventId, betId));
}

/**
 * How a bet's stake is funded, and released again if the second decision refuses it: the player's
 * money (cash, then bonus); a free-bet token's; or the player's, with a profit-boost token consumed
 * in the same atomic call (profit-boost.ts).
 */
export function stakeFunding(eventId: string, bet: { betId: string; playerId: string; stakeMinor: number }, promo: Pick<Extract<BetPromotion, { ok: true }>, 'freeBet' | 'profitBoost'> | null): { reserve: WalletOp | WalletOp[]; release: WalletOp | WalletOp[] } {
  const release = releaseOp(eventId, bet.betId);
  if (promo?.freeBet) return { reserve: freeBetReserveOps(eventId, bet, promo.freeBet), release };
  const own = reserveOp(eventId, bet);
  if (!promo?.profitBoost) return { reserve: own, release };
  const stake = holdId(eventId, bet.betId);
  return { reserve: profitBoostReserveOps(stake, promo.profitBoost, own), release: [release, holdReleaseOp(boostHoldId(stake))] };
}

/** One atomic group per bet outcome (a profit-boosted bet's boost reserve is settled in it: profit-boost.ts). */
export function outcomeOps(eventId: string, o: BetOutcome, memo: string, boost?: ProfitBoostTerms): WalletOp[] {
  const stake = holdId(eventId, o.betId);
  const boostOps = boost ? boostSettlementOps(stake, boost, o) : [];
  if (o.outcome === 'void') return [releaseOp(eventId, o.betId), ...boostOps];
  // A bet settled before outcomes carried its price counts nothing towards bonus wagering.
  const wager = { game: 'sportsbook' as const, legPricesMilli: o.priceMilli === undefined ? [] : [o.priceMilli], cashedOut: o.outcome === 'cashed_out' };
  return [...stakeSettlementOps(stake, o.playerId, o.payoutMinor, memo, memo, wager), ...boostOps];
}

/** One player's corrections of one re-settlement, netted: what the player is due (> 0) or owes (< 0). */
export interface NetCorrection {
  playerId: string;
  deltaMinor: number;
}

/**
 * Nets each player's corrections (in order of first appearance), so a refund due on one bet is
 * counted against a clawback on another before anything is taken; players whose net is zero
 * move no money.
 */
export function netCorrections(corrections: readonly Correction[]): NetCorrection[] {
  const net = new Map<string, number>();
  for (const c of corrections) net.set(c.playerId, (net.get(c.playerId) ?? 0) + c.deltaMinor);
  return [...net].filter(([, delta]) => delta !== 0).map(([playerId, deltaMinor]) => ({ playerId, deltaMinor }));
}

/** The idempotency key of a player's net correction in the market's `n`-th re-settlement. */
export function correctionKey(eventId: string, marketId: string, n: number, playerId: string): string {
  return `market:${eventId}:resettle:${marketId}:${n}:player:${playerId}`;
}

/**
 * A player's net correction after re-settlement, as one new ledger op keyed by the market's
 * re-settlement number: a credit from the house, or a clawback (the ledger takes what the player
 * has in the same transaction and records the rest as the player's debt; see SPORTSBOOK.md).
 * Deterministic from the journaled event, so re-driving it after a crash is a replay.
 */
export function correctionOp(eventId: string, marketId: string, n: number, c: NetCorrection): WalletOp {
  const key = correctionKey(eventId, marketId, n, c.playerId);
  const player = playerAccountId(c.playerId);
  const memo = `re-settlement of ${marketId}`;
  if (c.deltaMinor > 0) {
    return { type: 'transfer', key, fromAccountId: SYSTEM_ACCOUNTS.house, toAccountId: player, amountMinor: c.deltaMinor, kind: 'adjustment', memo };
  }
  return { type: 'clawback', key, accountId: player, toAccountId: SYSTEM_ACCOUNTS.house, amountMinor: -c.deltaMinor, memo };
}

/** The holds a journaled event resolves, with the ops that resolve each (also used on rebuild: rooms/holds.ts). */
export function resolvingOps(eventId: string, e: SportsEvent, boostOf: BoostLookup = noBoosts): Array<[holdId: string, ops: () => WalletOp[]]> {
  switch (e.type) {
    case 'BetRejected': {
      const boosted = boostOf(e.betId) ? [holdReleaseOp(boostHoldId(holdId(eventId, e.betId)))] : [];
      return [[holdId(eventId, e.betId), () => [releaseOp(eventId, e.betId), ...boosted]]];
    }
    case 'CashOutExecuted':
      return [[holdId(eventId, e.betId), () => outcomeOps(eventId, e.outcome, `cash-out ${e.betId}`, boostOf(e.betId))]];
    case 'MarketSettled':
    case 'MarketVoided':
      return e.outcomes.map((o) => [holdId(eventId, o.betId), () => outcomeOps(eventId, o, `${eventId} ${e.marketId}`, boostOf(o.betId))]);
    default:
      return [];
  }
}

/** Whether an event moves money (so its journal item carries a money step). */
export function movesMoney(e: SportsEvent): boolean {
  return e.type === 'MarketResettled' || resolvingOps('', e).length > 0;
}

/** Groups of ops for the events (corrections are handled separately: they need balances). */
export function moneyGroups(eventId: string, events: readonly SportsEvent[], boostOf: BoostLookup = noBoosts): WalletOp[][] {
  return events.flatMap((e) => resolvingOps(eventId, e, boostOf).map(([, ops]) => ops()));
}

/** A clawback a re-settlement could not take in full: the rest is now the player's debt (a receivable). */
export interface Debt {
  playerId: string;
  /** What the re-settlement claws back from the player (net of what it refunds them). */
  clawbackMinor: number;
  takenMinor: number;
  debtMinor: number;
}

/**
 * Whether a re-settlement's money was moved by an earlier version, which keyed one transfer per
 * bet (`<holdId>:resettle:<marketId>:<n>`) instead of one op per player: re-driving it on a
 * rebuild under the new keys would move it twice, so such a re-settlement counts as done.
 */
async function movedPerBet(wallet: WalletService, eventId: string, marketId: string, n: number, corrections: readonly Correction[]): Promise<boolean> {
  for (const c of corrections) {
    if (await wallet.store.transferByKey(`${holdId(eventId, c.betId)}:resettle:${marketId}:${n}`)) return true;
  }
  return false;
}

/** The number of a market's next re-settlement in `state` (1 for the first). */
export function nextResettlement(state: EventState | null, marketId: string): number {
  return (state?.markets.find((m) => m.marketId === marketId)?.resettlements ?? 0) + 1;
}

/**
 * Moves the money `events` imply, each group atomic, and returns the debts their re-settlements
 * left (by MarketResettled event). `before` is the state the events were decided on (it numbers
 * re-settlements). Throws when the wallet refuses a step (a broken invariant) and
 * StoreError('wallet/stale_fence') when another process owns the event now.
 */
export async function moveEventMoney(wallet: WalletService, eventId: string, events: readonly SportsEvent[], before: EventState | null, fence?: RoomFence, rebuilt = false): Promise<Map<SportsEvent, Debt[]>> {
  await forfeitHedgedBonuses(wallet, eventId, events, before, fence);
  const groups = moneyGroups(eventId, events, boostLookup(before, events));
  const clawbacks: Array<{ event: SportsEvent; index: number; playerId: string }> = [];
  const squares: WalletOp[] = [];
  for (const e of events) {
    if (e.type !== 'MarketResettled') continue;
    const n = nextResettlement(before, e.marketId);
    if (rebuilt && (await movedPerBet(wallet, eventId, e.marketId, n, e.corrections))) continue;
    // A boosted bet's extra changes with its outcome: the player's correction carries the difference.
    const boosts = boostCorrections(before, e.corrections);
    squares.push(...boosts.map((b) => boostSquareOp(holdId(eventId, b.betId), e.marketId, n, b)));
    for (const c of netCorrections(withBoostDeltas(e.corrections, boosts))) {
      if (c.deltaMinor < 0) {
        // Where the rest goes if the player has spent the money (created once, idempotent).
        await wallet.store.ensureAccount(receivableAccountId(playerAccountId(c.playerId)), 'house', wallet.currency);
        clawbacks.push({ event: e, index: groups.length, playerId: c.playerId });
      }
      groups.push([correctionOp(eventId, e.marketId, n, c)]);
    }
  }
  const debts = new Map<SportsEvent, Debt[]>();
  if (groups.length === 0) return debts;
  // Settling markets is a burst nobody waits on: it must not delay the bets placed meanwhile.
  const bulk = events.some((e) => e.type === 'MarketSettled' || e.type === 'MarketVoided' || e.type === 'MarketResettled');
  const results = await Promise.all(groups.map((ops) => wallet.apply(ops, { atomic: true, bulk, fence })));
  const bad = results.flat().find((o) => !o.ok);
  if (bad && !bad.ok) throw new Error(`market ${eventId}: wallet refused a settlement step: ${bad.code} ${bad.message}`);
  for (const { event, index, playerId } of clawbacks) {
    const outcome = results[index]![0]!;
    const { takenMinor, debtMinor } = clawbackSplit(outcome);
    if (debtMinor > 0) debts.set(event, [...(debts.get(event) ?? []), { playerId, clawbackMinor: takenMinor + debtMinor, takenMinor, debtMinor }]);
  }
  await squareBoostCampaigns(wallet, eventId, squares, fence);
  return debts;
}

/**
 * The campaigns' side of re-settled profit boosts, after the players' corrections (profit-boost.ts,
 * boostSquareOp). A campaign that cannot pay a grown extra (its budget is spent) leaves it to the
 * house, which has paid the player already: a spent campaign never blocks a re-settlement. A
 * re-drive replays by key (and retries one refused for funds).
 */
async function squareBoostCampaigns(wallet: WalletService, eventId: string, squares: readonly WalletOp[], fence?: RoomFence): Promise<void> {
  for (const op of squares) {
    const [o] = await wallet.apply([op], { fence });
    if (!o!.ok && o!.code !== 'wallet/insufficient_funds') throw new Error(`market ${eventId}: wallet refused a profit boost correction: ${o!.code} ${o!.message}`);
  }
}

/**
 * The hedging rule (docs/PROMOTIONS.md §5): before a market's settlement money moves, a player
 * whose bonus-funded bets on it back two or more selections loses the bonus (its balance goes
 * back to the campaign; what the settlement pays to it is forfeited as it arrives). Only players
 * with bets on several selections of the market are looked at, so most settlements read nothing.
 */
async function forfeitHedgedBonuses(wallet: WalletService, eventId: string, events: readonly SportsEvent[], before: EventState | null, fence?: RoomFence): Promise<void> {
  if (!before) return;
  for (const e of events) {
    if (e.type !== 'MarketSettled') continue;
    const bets = e.outcomes.flatMap((o) => {
      const bet = getBet(before, o.betId);
      return bet ? [{ betId: o.betId, playerId: o.playerId, selectionId: bet.selectionId }] : [];
    });
    const selections = new Map<string, Set<string>>();
    for (const b of bets) selections.set(b.playerId, (selections.get(b.playerId) ?? new Set()).add(b.selectionId));
    const suspects = bets.filter((b) => selections.get(b.playerId)!.size > 1);
    if (suspects.length === 0) continue;
    const checked: BonusBet[] = await Promise.all(suspects.map(async (b) => ({
      ...b, marketKey: `${eventId}/${e.marketId}`, usedBonus: (await wallet.store.getHold(bonusHoldId(holdId(eventId, b.betId)))) !== null,
    })));
    for (const playerId of detectHedging(checked).keys()) {
      const grant = await wallet.store.bonusGrant(playerAccountId(playerId));
      if (grant?.status !== 'active') continue;
      const [o] = await wallet.apply([{ type: 'bonusClose', key: `${grant.grantId}:hedged`, accountId: grant.ownerAccountId, grantId: grant.grantId, reason: 'forfeited', memo: `hedged ${eventId} ${e.marketId}` }], { fence });
      if (!o!.ok) throw new Error(`market ${eventId}: wallet refused to forfeit a hedged bonus: ${o!.code} ${o!.message}`);
    }
  }
}
