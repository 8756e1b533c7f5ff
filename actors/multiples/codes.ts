/** Every rejection code of multiples (slips, legs, builders), with its meaning (docs/ERRORS.md). */
export const MULTIPLES_REJECTIONS = {
  'slip/invalid': 'malformed slip: ids, stake, leg count for the type, selections, prices or policy',
  'slip/duplicate': 'a slip with this id exists with different contents, or belongs to another player',
  'slip/same_event': 'two legs on one event: correlated selections of one event go in a bet builder leg, not in an accumulator',
  'slip/payout_limit': 'the slip could pay more than the maximum payout per bet; details {maxPayoutMinor, potentialPayoutMinor}',
  'slip/stake_limit': 'total stake outside the slip stake limits; details {minStakeMinor, maxStakeMinor}',
  'slip/leg_refused': 'an event refused a leg (details {legId, eventId, code, message, details}): the whole slip is rejected and its stake released',
  'slip/leg_unavailable': 'an event did not answer for a leg in time (moving or restarting): the slip is rejected and its stake released',
  'slip/interrupted': 'the slip was interrupted by a restart before every leg was accepted: rejected and its stake released',
  'slip/not_found': 'no such slip of this player',
  'slip/busy': 'too many slips being placed on this server at once (SLIP_MAX_IN_FLIGHT): retry shortly',
  'cashout/unavailable': 'the slip cannot be cashed out now (not open, a leg suspended or closed, offer zero)',
  'cashout/offer_changed': 'the current offer is below the seen one by more than the tolerance; details {currentOfferMinor}',
  'cashout/pending': 'a cash-out of this slip is already in its delay',
  'leg/not_found': 'no such leg of this slip at this event',
  'leg/released': 'the leg was released (its slip was rejected): it cannot be prepared or accepted again',
  'leg/rejected': 'the leg was rejected when its delay ended; details {code}',
  'leg/delay_running': 'acceptance asked before the leg\'s delay ended; details {acceptAt}',
  'builder/invalid_selection': 'a selection a bet builder cannot take (unknown, next-goal markets, wrong count)',
  'builder/same_market': 'two selections of one market in one bet builder',
  'builder/impossible': 'the selections cannot all win together (joint probability ~0)',
  'builder/no_price': 'the combination is (nearly) certain: no price is offered',
} as const;

export type MultiplesRejectionCode = keyof typeof MULTIPLES_REJECTIONS;
