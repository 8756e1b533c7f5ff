/** Every rejection code the crash actor returns, with what it means (for docs and clients). */
export const CRASH_REJECTIONS = {
  'command/invalid': 'malformed command: missing/invalid ids, time or flags',
  'bet/invalid_stake': 'stake is not a positive safe integer',
  'bet/below_min': 'stake is below the table minimum per bet',
  'bet/above_max': 'stake is above the table maximum per bet',
  'bet/player_limit': "stake is above the player's limit per round",
  'bet/invalid_auto_cashout': 'auto cash-out must be a two-decimal multiplier from 1.01× to the table maximum',
  'bet/payout_limit': 'the bet could pay more than the maximum payout per bet (at its auto cash-out, or at 1.01×)',
  'bet/table_limit': "the round is full, or its stakes would reach the table's liability cap at 1.01×",
  'bet/betting_closed': 'no round is taking bets',
  'bet/one_per_round': 'the player already has a bet in this round',
  'bet/duplicate': 'this betId was already used in this round',
  'cashout/not_running': 'the round is not running (betting, or already crashed)',
  'cashout/no_bet': 'the player has no bet in this round',
  'cashout/already': 'the bet was already cashed out',
  'cashout/crashed': 'the round crashed before the cash-out was processed',
  'round/invalid_hash': "the tick's round hash is not the next element of the table's hash chain",
  'chain/invalid': 'a chain needs a 64-hex terminal hash, a length of 1..10,000,000 and a salt of 1..128 characters',
  'chain/in_use': 'the current chain still has rounds, or a round is in progress',
} as const;

export type CrashRejectionCode = keyof typeof CRASH_REJECTIONS;

export const CRASH_REJECTION_CODES = Object.keys(CRASH_REJECTIONS) as CrashRejectionCode[];
