/**
 * How much of a multiple's exposure each leg's selection carries. An accumulator line loses the
 * house (payout − stake) only if every leg wins, so counting its whole net payout on every leg's
 * selection would overstate each selection's risk n-fold. The weighting used: the exposure a line
 * puts on leg i is its net payout times the implied probability that the OTHER legs of the line
 * win (at the prices the player saw), i.e. what the house expects to lose on that line if leg i's
 * selection wins:
 *
 *   exposure_i = Σ_lines∋i floor((payout_line − stake_line) × Π_{j∈line, j≠i} 1000/price_j)
 *
 * A single line (Lucky 15's singles) carries its full net payout. The event room counts a leg's
 * exposure on each of its selections (every selection of a bet builder) together with the singles'
 * liability for the per-selection limit and shows it in the risk view.
 */
import { linePayoutMinor } from './pricing.ts';

export function legExposuresMinor(stakePerLineMinor: number, lines: readonly number[][], legPrices: readonly number[]): number[] {
  const exposure = legPrices.map(() => 0);
  for (const line of lines) {
    const net = linePayoutMinor(stakePerLineMinor, line.map((i) => legPrices[i]!)) - stakePerLineMinor;
    if (net <= 0) continue;
    for (const i of line) {
      let others = 1;
      for (const j of line) if (j !== i) others *= 1000 / legPrices[j]!;
      exposure[i] += Math.floor(net * others);
    }
  }
  return exposure;
}
