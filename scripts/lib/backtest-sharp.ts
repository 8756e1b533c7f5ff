/**
 * The backtest's sharp-bettor section: where a sharp bettor's return comes from, and how the quoted
 * prices hold per league-season (with 95% confidence intervals). Pure formatting of quotes already
 * made; the quotes themselves come from backtest-quotes.ts (the server's quoting path).
 */
import { sharpBettor, type QuotedOutcome, type SharpResult } from './backtest-metrics.ts';

export interface SharpRow {
  label: string;
  markets: ReadonlyArray<readonly QuotedOutcome[]>;
  /** Mean Σ 1/price of the quoted markets. */
  booksum: number;
}

const pct = (x: number) => `${x >= 0 ? '+' : ''}${(100 * x).toFixed(2)}%`;

/** "return [95% CI]" of a sharp result, '–' when it made no bet. */
export function returnCell(s: SharpResult): string {
  if (s.bets === 0) return '–';
  const lo = s.realisedReturn - 1.96 * s.realisedSe;
  const hi = s.realisedReturn + 1.96 * s.realisedSe;
  return `${pct(s.realisedReturn)} [${(100 * lo).toFixed(1)}, ${(100 * hi).toFixed(1)}]`;
}

/** One table row per SharpRow: booksum, beatable share, bets, mean edge, the bettor's expected profit per 100 matches (at closing fair), realised return with its 95% CI. */
export function sharpTable(rows: readonly SharpRow[], first = 'prices'): string[] {
  const out = [`| ${first} | booksum | beatable | bets | edge | expected profit / 100 matches | realised return [95% CI] |`, '|---|---:|---:|---:|---:|---:|---:|'];
  for (const r of rows) {
    const s = sharpBettor(r.markets);
    const expected = s.bets > 0 ? (100 * s.meanEdge * s.bets) / Math.max(1, s.matches) : 0;
    out.push(`| ${r.label} | ${r.booksum.toFixed(3)} | ${((100 * s.beatableMatches) / Math.max(1, s.matches)).toFixed(1)}% | ${s.bets} | ${s.bets ? pct(s.meanEdge) : '–'} | ${expected.toFixed(2)} | ${returnCell(s)} |`);
  }
  return out;
}

export interface DiagnosedBet {
  outcome: 0 | 1 | 2;
  price: number;
  closingFair: number;
  /** The market's pre-closing fair probability of the outcome (NaN when none). */
  preFair: number;
  won: boolean;
}

/** Where the bettor's bets and returns come from: by outcome, by price band, by the market's move, by the quote against the market's own fair price. */
export function diagnosisTable(bets: readonly DiagnosedBet[]): string[] {
  const groups: Array<[string, (b: DiagnosedBet) => boolean]> = [
    ['all', () => true],
    ['home', (b) => b.outcome === 0],
    ['draw', (b) => b.outcome === 1],
    ['away', (b) => b.outcome === 2],
    ['price < 2', (b) => b.price < 2],
    ['price 2–4', (b) => b.price >= 2 && b.price < 4],
    ['price ≥ 4 (long shots)', (b) => b.price >= 4],
    ['market moved towards the outcome (closing > pre-closing)', (b) => b.closingFair > b.preFair],
    ['market moved away or no pre-closing price', (b) => !(b.closingFair > b.preFair)],
    ['quoted above the pre-closing fair price', (b) => b.price * b.preFair > 1],
    ['quoted at or below the pre-closing fair price', (b) => !(b.price * b.preFair > 1)],
  ];
  const out = ['| bets | n | share of bets | edge | expected profit (units) | realised profit (units) | realised return [95% CI] |', '|---|---:|---:|---:|---:|---:|---:|'];
  for (const [label, pick] of groups) {
    const chosen = bets.filter(pick);
    const s = sharpBettor(chosen.map((b) => [{ price: b.price, closingFair: b.closingFair, won: b.won }]));
    const profit = chosen.reduce((a, b) => a + (b.won ? b.price - 1 : -1), 0);
    out.push(`| ${label} | ${chosen.length} | ${((100 * chosen.length) / Math.max(1, bets.length)).toFixed(1)}% | ${s.bets ? pct(s.meanEdge) : '–'} | ${(s.bets ? s.meanEdge * s.bets : 0).toFixed(1)} | ${profit.toFixed(1)} | ${returnCell(s)} |`);
  }
  return out;
}
