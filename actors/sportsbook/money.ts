/** Integer money arithmetic for bets: payout = floor(stake × priceMilli / 1000), exact for any safe inputs. */

export function payoutOf(stakeMinor: number, priceMilli: number): number {
  const product = stakeMinor * priceMilli;
  if (Number.isSafeInteger(product)) return Math.floor(product / 1000);
  return Number((BigInt(stakeMinor) * BigInt(priceMilli)) / 1000n);
}

/** What the house loses net if the bet wins: payout − stake. */
export function liabilityOf(stakeMinor: number, priceMilli: number): number {
  return payoutOf(stakeMinor, priceMilli) - stakeMinor;
}

/** Largest stake s ≥ 0 with payoutOf(s, price) ≤ maxPayoutMinor: s·p < (M+1)·1000. */
export function maxStakeForPayout(maxPayoutMinor: number, priceMilli: number): number {
  if (maxPayoutMinor < 0) return 0;
  return Number((BigInt(maxPayoutMinor + 1) * 1000n - 1n) / BigInt(priceMilli));
}

/** Largest stake s ≥ 0 with liabilityOf(s, price) ≤ roomMinor: floor(s·(p−1000)/1000) ≤ room. */
export function maxStakeForLiability(roomMinor: number, priceMilli: number): number {
  if (roomMinor < 0) return 0;
  const excess = priceMilli - 1000;
  if (excess <= 0) return Number.MAX_SAFE_INTEGER;
  const bound = (BigInt(roomMinor + 1) * 1000n - 1n) / BigInt(excess);
  return bound > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(bound);
}
