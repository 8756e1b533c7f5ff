/**
 * Settlement of a slip from its legs' results. A line (an accumulator) is lost as soon as one of its
 * legs is lost; void legs drop out and the price is recomputed over the won legs (rounded down to
 * the ladder); a line whose legs are all void returns its stake; a line with every leg won or void
 * is paid floor(stake × price). The slip is settled once every line is decided, and pays the sum of
 * its lines, never more than its maximum payout. A re-settled leg re-runs this from the new results:
 * the difference from what was paid is a correcting transfer (slip.ts).
 */
import { payoutOf } from '../sportsbook/money.ts';
import { combinedPriceMilli, VOID_PRICE_MILLI } from './pricing.ts';
import type { LegResult, LineSettlement, SlipSettlement } from './types.ts';

export function settleLine(legs: readonly number[], stakeMinor: number, prices: readonly number[], results: ReadonlyArray<LegResult | null>): LineSettlement {
  let open = false;
  const won: number[] = [];
  for (const i of legs) {
    const r = results[i];
    if (!r) open = true;
    else if (r.outcome === 'lost') return { legs: [...legs], outcome: 'lost', priceMilli: 0, payoutMinor: 0 };
    else if (r.outcome === 'won') won.push(prices[i]!);
  }
  if (open) return { legs: [...legs], outcome: 'open', priceMilli: 0, payoutMinor: 0 };
  if (won.length === 0) return { legs: [...legs], outcome: 'void', priceMilli: VOID_PRICE_MILLI, payoutMinor: stakeMinor };
  const priceMilli = combinedPriceMilli(won);
  return { legs: [...legs], outcome: 'won', priceMilli, payoutMinor: payoutOf(stakeMinor, priceMilli) };
}

export function settleSlip(
  lines: readonly number[][],
  stakePerLineMinor: number,
  prices: readonly number[],
  results: ReadonlyArray<LegResult | null>,
  maxPayoutMinor: number,
): SlipSettlement {
  const settled = lines.map((l) => settleLine(l, stakePerLineMinor, prices, results));
  if (settled.some((l) => l.outcome === 'open')) return { status: 'open', lines: settled, payoutMinor: 0 };
  const total = settled.reduce((s, l) => s + l.payoutMinor, 0);
  return { status: 'settled', lines: settled, payoutMinor: Math.min(total, maxPayoutMinor) };
}
