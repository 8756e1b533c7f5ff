/** Every rejection code of the sportsbook actor (command rejections and BetRejected/CashOutRejected codes). */
export const SPORTSBOOK_REJECTIONS = {
  'command/invalid': 'malformed command: missing/invalid ids, numbers, time, policy or config',
  'event/exists': 'create sent to an event that already exists',
  'event/not_found': 'a command other than create sent before the event was created',
  'event/no_change': 'suspendEvent on a suspended event, or resumeEvent with nothing suspended',
  'feed/malformed': 'the feed message failed validation (parseFeedMessage); details list the issues',
  'feed/wrong_event': 'the feed message names another event',
  'feed/duplicate': 'seq already applied or already buffered: ignored',
  'feed/event_closed': 'the event has finished or been abandoned: further feed messages are ignored',
  'bet/duplicate': 'this betId was already used in this event',
  'bet/invalid_stake': 'stake is not a positive safe integer',
  'bet/unknown_market': 'no such market in this event',
  'bet/invalid_selection': 'no such selection in this market',
  'bet/selection_closed': 'the selection is already decided (not offered)',
  'bet/market_closed': 'the market is settled or void, the match is over, or trading has closed for the end of the match',
  'bet/market_suspended': 'the market is suspended (incident, feed gap, operator), or was suspended during the bet delay',
  'bet/stake_limit': 'stake below the minimum or above the maximum per bet; details {minStakeMinor, maxStakeMinor}',
  'bet/price_changed': 'the current price does not satisfy the acceptance policy; details {currentPriceMilli}',
  'bet/payout_limit': 'floor(stake × price) would exceed the maximum payout per bet; details {maxPayoutMinor, maxStakeMinor}',
  'bet/liability_limit': "the selection's liability would exceed its limit; details {maxStakeMinor} = largest acceptable stake",
  'bet/player_limit': "the player's total stake on this event would exceed the limit; details {maxStakeMinor}",
  'bet/event_limit': 'the event holds the maximum number of bets',
  'bet/interrupted': 'the server restarted while the bet was in its delay (recovery rule): stake released',
  'cashout/not_found': 'no bet with this id belongs to this player',
  'cashout/unavailable': 'cash-out disabled, bet not accepted/open, market not open, or offer ≤ 0',
  'cashout/pending': 'a cash-out of this bet is already in its delay',
  'cashout/offer_changed': 'the current offer is below the seen offer by more than the tolerance; details {currentOfferMinor}',
  'cashout/interrupted': 'the server restarted while the cash-out was in its delay (recovery rule): the bet stays open',
  'market/not_found': 'operator command names no market of this event',
  'market/no_change': 'the operator command would change nothing (already suspended, not suspended, same result)',
  'market/closed': 'suspend/resume of a settled or void market',
  'market/not_settled': 'resettle of a market that is not settled or void yet',
} as const;

export type SportsbookRejectionCode = keyof typeof SPORTSBOOK_REJECTIONS;

export const SPORTSBOOK_REJECTION_CODES = Object.keys(SPORTSBOOK_REJECTIONS) as SportsbookRejectionCode[];
