/**
 * The backtest's sharp-bettor section: where a sharp bettor's return comes from, and how the quoted
 * prices hold per league-season (with 95% confidence intervals). Pure formatting of quotes already
 * made; the quotes themselves come from backtest-quotes.ts (the server's quoting path).
 */
import type { PriceUncertaintyConfig } from '../../actors/sportsbook/index.ts';
import type { PricingConfig } from '../../actors/sportsbook/types.ts';
import { mean, sharpBettor, type QuotedOutcome, type SharpResult } from './backtest-metrics.ts';

/** A match's quotes against its closing fair prices and result. */
export type Quoted = { oneXTwo: QuotedOutcome[]; ou: QuotedOutcome[] | null; booksum: number };

/** What the section needs of a scored match: its quotes by pricing variant, and the pre-closing fair 1X2. */
export interface SharpScored {
  quotes: Record<'model' | 'mm' | 'before', Quoted>;
  preFair: readonly number[] | null;
}

export interface UncertaintyRow {
  label: string;
  config: PriceUncertaintyConfig;
  /** Outcomes the market moves were fitted on; null: a-priori values. */
  fitted: number | null;
}

export interface SharpSectionInput {
  pricing: PricingConfig;
  /** Every league-season and, last, all of them pooled. */
  groups: ReadonlyArray<{ label: string; rows: readonly SharpScored[] }>;
  tradeOff: readonly SharpRow[];
  uncertaintyRows: readonly UncertaintyRow[];
}

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

function sharpRow(label: string, rows: readonly SharpScored[], k: 'model' | 'mm' | 'before', market: 'oneXTwo' | 'ou' = 'oneXTwo'): SharpRow {
  const quoted = rows.map((r) => r.quotes[k]).filter((q) => q[market]);
  const booksum = (q: Quoted) => (market === 'oneXTwo' ? q.booksum : q.ou!.reduce((a, o) => a + 1 / o.price, 0));
  return { label, markets: quoted.map((q) => q[market]!), booksum: mean(quoted.map(booksum)).mean };
}

/** The backtest's sharp-bettor section (markdown lines). */
export function sharpSection({ pricing, groups, tradeOff, uncertaintyRows }: SharpSectionInput): string[] {
  const u = pricing.uncertainty;
  const out: string[] = [];
  const emit = (line = '') => out.push(line);
  emit('### Sharp-bettor evaluation of the quoted prices');
  emit();
  emit(`Prices exactly as the server quotes them (actors/sportsbook \`quoteInput\` → \`priceMatch\`): the power margin at the default overround (${pricing.overround}), widened before kick-off by the uncertainty of the prices quoted from (z = ${u.z} standard deviation of the closing price's logit around them: the pre-closing input's age-dependent move, or the model alone's distance from the close, each fitted on the earlier seasons), at least ${(100 * u.minOutcomeMargin).toFixed(0)}% over each outcome's fair probability and no 1X2 or over/under selection above the market's own fair price less that, rounded down onto the ladder. The bettor backs, one unit each, every outcome quoted above its closing fair price (Pinnacle closing, de-margined): "beatable" is the share of matches with such an outcome, "edge" the mean of price × closing fair − 1 over those bets (the bettor's expected return if the closing price is right), "expected profit" the sum of those edges per 100 matches, "realised return" the profit per unit staked on the actual results with its 95% confidence interval (± 1.96 s.e.). "Before" is the quoting before this change: market weight chosen on results, the flat ${pricing.overround} margin, no floor at the market price.`);
  emit();
  emit('#### Where the sharp return came from (1X2, "before" quotes, every league-season)');
  emit();
  const diagnosed: DiagnosedBet[] = [];
  for (const r of groups[groups.length - 1].rows) {
    r.quotes.before.oneXTwo.forEach((o, k) => {
      if (o.price > 1 && o.price * o.closingFair > 1) diagnosed.push({ outcome: k as 0 | 1 | 2, price: o.price, closingFair: o.closingFair, preFair: r.preFair ? r.preFair[k] : NaN, won: o.won });
    });
  }
  out.push(...diagnosisTable(diagnosed));
  emit();
  emit('#### 1X2 by league-season');
  emit();
  const variants1x2 = [['before', 'before'], ['model', 'model alone'], ['mm', 'model + market']] as const;
  out.push(...sharpTable(groups.flatMap((g) => variants1x2.map(([k, label]) => sharpRow(`${g.label}: ${label}`, g.rows, k))), 'league-season: prices'));
  emit();
  emit('#### Over/under 2.5 by league-season');
  emit();
  const variantsOu = [['before', 'before'], ['mm', 'model + market']] as const;
  out.push(...sharpTable(groups.flatMap((g) => variantsOu.map(([k, label]) => sharpRow(`${g.label}: ${label}`, g.rows, k, 'ou'))), 'league-season: prices'));
  emit();
  emit('#### What the margin costs and what it holds (1X2, pooled)');
  emit();
  emit('The widening z is the house\'s choice, not fitted: each row re-quotes every match. "At kick-off" feeds the closing prices themselves as the input (a price feed current at kick-off, after the line-ups, so no widening): not a forecast, the bound of what a live feed achieves.');
  emit();
  out.push(...sharpTable(tradeOff));
  emit();
  emit('#### Uncertainty terms fitted for each season (on the earlier seasons only)');
  emit();
  emit('Logit moves of Pinnacle\'s 1X2 from the pre-closing snapshot to the close, E[Δ²] = jump + drift · age (age: days from the snapshot — Friday or Tuesday afternoon — to kick-off); the model alone\'s root-mean-square logit distance from the close. The first season has nothing earlier and uses a-priori values.');
  emit();
  emit('| season | jump variance | drift variance / day | σ at 1 day | σ at 3 days | model-alone σ | outcomes fitted |');
  emit('|---|---:|---:|---:|---:|---:|---:|');
  for (const { label, config: c, fitted } of uncertaintyRows) {
    const sigma = (days: number) => Math.sqrt(c.marketJumpVariance + c.marketDriftVariancePerDay * days).toFixed(3);
    emit(`| ${label} | ${c.marketJumpVariance.toFixed(4)} | ${c.marketDriftVariancePerDay.toFixed(4)} | ${sigma(1)} | ${sigma(3)} | ${c.engineOnlySigma.toFixed(3)} | ${fitted ?? 'a priori'} |`);
  }
  emit();
  return out;
}
