/** Player-facing words for the server's rejection codes (docs/ERRORS.md); the code is shown too. */
const REASONS: Record<string, string> = {
  'bet/market_suspended': 'the market was suspended during the bet delay',
  'bet/price_changed': 'the price changed',
  'bet/market_closed': 'the market has closed',
  'bet/selection_closed': 'this selection is no longer offered',
  'bet/stake_limit': 'the stake is outside the limits',
  'bet/payout_limit': 'the potential payout is over the limit',
  'bet/liability_limit': 'the selection has reached its limit',
  'bet/player_limit': 'you reached your stake limit for this event',
  'bet/interrupted': 'the bet was interrupted by a restart; your stake was returned',
  'bet/betting_closed': 'betting is closed for this round',
  'bet/below_min': 'the stake is below the table minimum',
  'bet/above_max': 'the stake is above the table maximum',
  'bet/duplicate': 'this bet was already placed',
  'wallet/insufficient_funds': 'not enough available balance',
  'cashout/unavailable': 'cash-out is not available right now',
  'cashout/offer_changed': 'the cash-out offer changed',
  'cashout/pending': 'a cash-out is already in progress',
  'msg/rate_limited': 'too many requests; slow down',
  'protection/wager_limit': 'this stake would pass your wager limit',
  'protection/loss_limit': 'this stake would pass your loss limit',
  'protection/session_limit': 'your session time limit is reached',
  'protection/reality_check_pending': 'acknowledge the reality check to continue',
  'protection/excluded': 'your account is on a time-out or self-excluded',
};

export function reasonText(code: string | null | undefined, fallback?: string): string {
  if (!code) return fallback ?? 'unknown reason';
  return REASONS[code] ?? fallback ?? code;
}
