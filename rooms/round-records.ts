/**
 * Players' round records (game recall, `GET /games/recent`), shared by the casino games: each
 * player's part of a finished round with the balances the ledger wrote on the transfers that
 * settled it. A game's money step applies a player's settlement as one atomic group, reads the
 * balances from its outcomes here, and writes the records after (write-ahead); a repeat of the
 * group (recovery) is a replay and answers the same transfers, hence the same balances.
 */
import type { PlayerRoundRecord, Store, Transfer, WalletOutcome } from '../server/store/types.ts';
import { playerAccountId } from '../server/wallet/service.ts';
import type { RoomServices } from './context.ts';

/** A player's balance (posted + held) just before and just after their settlement. */
export interface PlayerBalances {
  beforeMinor: number;
  afterMinor: number;
}

/** By player: the balances around their settlement (null: transfers older than those records). */
export type PlayerBalanceMap = Map<string, PlayerBalances | null>;

/**
 * A player's balance before and after a settlement group, from the player's own transfers in its
 * outcomes (the ledger writes the owner's balance after each): a group starts with a capture (the
 * balance was the captured amount higher before it) or a release or payout of its own. null when
 * the group wrote none of the player's transfers, or transfers written before balances were recorded.
 */
export function settlementBalances(outcomes: readonly WalletOutcome[], playerId: string): PlayerBalances | null {
  const account = playerAccountId(playerId);
  const mine = outcomes.flatMap((o) => (o.ok ? o.transfers : [])).filter((t) => t.ownerAccountId === account);
  return balancesAround(mine);
}

function balancesAround(transfers: Transfer[]): PlayerBalances | null {
  const first = transfers[0];
  const last = transfers[transfers.length - 1];
  if (!first || !last || first.ownerBalanceAfterMinor === null || last.ownerBalanceAfterMinor === null) return null;
  const moved = first.kind === 'capture' ? first.amountMinor : first.kind === 'payout' ? -first.amountMinor : 0;
  return { beforeMinor: first.ownerBalanceAfterMinor + moved, afterMinor: last.ownerBalanceAfterMinor };
}

/** Throws when the wallet refused a step of a settlement (a broken invariant: the decision is journaled). */
export function assertApplied(outcomes: readonly WalletOutcome[], what: string): void {
  const bad = outcomes.find((o) => !o.ok);
  if (bad && !bad.ok) throw new Error(`${what}: wallet refused a settlement step: ${bad.code} ${bad.message}`);
}

/** One bet, seat or hand of a round as a player's record lists it. */
export interface RecordedBet {
  playerId: string;
  stakeMinor: number;
  payoutMinor: number;
  /** What `bets[]` shows for it (docs/API.md#get-gamesrecent). */
  view: unknown;
}

export interface RoundOfRecord {
  game: string;
  roundId: string;
  tableId: string;
  /** What the game's `result` means: docs/API.md#get-gamesrecent. */
  result: number | null;
  settledAt: number;
}

/**
 * One record per player of the round: stakes and payouts summed over their bets, the balances
 * quoted from their settlement's ledger outcomes; a live wallet read only when those are missing
 * (money moved before transfers recorded balances: schema < 6), as before-and-after of the sums.
 */
export async function playerRoundRecords(svc: Pick<RoomServices, 'wallet'>, round: RoundOfRecord, bets: readonly RecordedBet[], balances: PlayerBalanceMap | undefined): Promise<PlayerRoundRecord[]> {
  const byPlayer = new Map<string, RecordedBet[]>();
  for (const b of bets) byPlayer.set(b.playerId, [...(byPlayer.get(b.playerId) ?? []), b]);
  const rows: PlayerRoundRecord[] = [];
  for (const [userId, list] of byPlayer) {
    const stakeMinor = list.reduce((s, b) => s + b.stakeMinor, 0);
    const payoutMinor = list.reduce((s, b) => s + b.payoutMinor, 0);
    const quoted = balances?.get(userId);
    const after = quoted?.afterMinor ?? (await svc.wallet.view(userId)).balanceMinor;
    rows.push({
      userId, roundId: round.roundId, tableId: round.tableId, game: round.game, result: round.result,
      bets: list.map((b) => b.view), stakeMinor, payoutMinor,
      // The stakes were held (not spent) until the settlement: the balance before it held them too.
      balanceBeforeMinor: quoted?.beforeMinor ?? after - payoutMinor + stakeMinor,
      balanceAfterMinor: after,
      settledAt: round.settledAt,
    });
  }
  return rows;
}

/**
 * The id of the fairness record a player's round is verified against: the round's own (roulette,
 * crash), or for blackjack the shoe it was dealt from (its seats name it); null when unknown.
 */
export function fairnessRecordId(row: Pick<PlayerRoundRecord, 'game' | 'roundId' | 'bets'>): string | null {
  if (row.game !== 'blackjack') return row.roundId;
  return (row.bets as Array<{ shoeId?: string | null } | null>).find((b) => b?.shoeId)?.shoeId ?? null;
}

/**
 * Whether a finished round's player records were not written (a crash came between its money and
 * its records): its first player's record missing. Recovery writes them then, quoting the balances
 * a replay of the round's money answers.
 */
export async function playerRecordsMissing(store: Store, roundId: string, firstPlayerId: string | undefined): Promise<boolean> {
  if (firstPlayerId === undefined) return false;
  return !(await store.games.recentPlayerRounds(firstPlayerId, 100)).some((r) => r.roundId === roundId);
}
