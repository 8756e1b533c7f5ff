/** Every rejection code the blackjack actor returns, with what it means (docs/ERRORS.md lists them). */
export const BLACKJACK_REJECTIONS = {
  'command/invalid': 'malformed command: missing/invalid ids, seat, hand, time or flags',
  'seat/invalid': 'no such seat at this table',
  'seat/taken': 'the seat belongs to another player',
  'seat/limit': 'the player already holds the most seats one player may hold',
  'seat/not_yours': 'the seat is not held by this player',
  'seat/in_play': 'the seat has a bet or hand in the current round; it can be left between rounds',
  'bet/betting_closed': 'no round is open for bets, or its betting window has passed',
  'bet/duplicate': 'this betId was already used at this table (this round or a retained earlier one)',
  'bet/already_placed': 'this seat already has a bet this round (remove it first to change it)',
  'bet/invalid_stake': 'stake is not a positive even integer in minor units',
  'bet/below_min': 'stake is below the table minimum per seat',
  'bet/above_max': 'stake is above the table maximum per seat',
  'bet/not_found': 'this seat has no bet of this player in the open round',
  'hand/no_round': 'no hand is being played',
  'hand/not_your_turn': 'it is not this seat and hand’s turn, or the seat is not this player’s',
  'hand/cannot_hit': 'split aces get one card each: they cannot be hit',
  'hand/cannot_double': 'doubling needs a hand of exactly two cards (after a split only where the table allows it)',
  'hand/cannot_split': 'splitting needs two cards of the same rank, below the table’s hand limit (split aces: only where resplitting aces is allowed)',
  'hand/cannot_surrender': 'surrender is late surrender on the first two cards of an unsplit hand, where the table allows it',
  'insurance/not_offered': 'insurance is not being offered (the dealer does not show an ace, or the window closed)',
  'insurance/already_decided': 'this seat already decided on insurance this round',
  'seed/invalid': 'client seed must be 1..64 printable ASCII characters (0x20..0x7E)',
  'seed/shoe_started': 'client seeds are accepted only before the shoe’s first deal (while its first round takes bets)',
  'seed/limit': 'the shoe already holds the maximum number of client seeds',
  'round/invalid_server_seed': 'tick carried a server seed that is not 64 lowercase hex characters',
} as const;

export type BlackjackRejectionCode = keyof typeof BLACKJACK_REJECTIONS;

export const BLACKJACK_REJECTION_CODES = Object.keys(BLACKJACK_REJECTIONS) as BlackjackRejectionCode[];
