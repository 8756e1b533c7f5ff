/** Every rejection code the roulette actor returns, with what it means (for docs and clients). */
export const ROULETTE_REJECTIONS = {
  'command/invalid': 'malformed command: missing/invalid ids, time or flags',
  'bet/invalid_selection': 'the spot is not a valid bet on a single-zero table',
  'bet/invalid_stake': 'stake is not a positive safe integer',
  'bet/below_min': 'stake is below the table minimum per bet',
  'bet/above_max': 'stake is above the table maximum per bet',
  'bet/betting_closed': 'no round is open for bets, or its betting window has passed',
  'bet/duplicate': 'this betId was already used at this table (this round or a retained earlier one)',
  'bet/player_limit': "the player's stake or bet count for this round would exceed the table limit",
  'bet/table_limit': 'the round already holds the maximum number of bets',
  'bet/payout_limit': "the round's worst-case payout would exceed the table limit",
  'bet/not_found': 'no live bet with this id belongs to this player in the open round',
  'seed/invalid': 'client seed must be 1..64 printable ASCII characters (0x20..0x7E)',
  'seed/betting_closed': 'client seeds are accepted only while betting is open',
  'seed/limit': 'the round already holds the maximum number of client seeds',
  'round/invalid_server_seed': 'tick carried a server seed that is not 64 lowercase hex characters',
} as const;

export type RouletteRejectionCode = keyof typeof ROULETTE_REJECTIONS;

export const ROULETTE_REJECTION_CODES = Object.keys(ROULETTE_REJECTIONS) as RouletteRejectionCode[];
