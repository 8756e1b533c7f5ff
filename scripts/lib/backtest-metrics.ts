/**
 * Scores for the backtest: log-loss and Brier (1X2 and over/under), calibration, and the
 * sharp-bettor evaluation of quoted prices against the closing line. Pure.
 */

export type Probs = readonly number[];

/** −ln p(observed), floored at 1e-15 so a confident miss is finite. */
export function logLoss(probs: Probs, observed: number): number {
  return -Math.log(Math.max(probs[observed], 1e-15));
}

/** Multi-class Brier score Σ_k (p_k − 1[k = observed])², in [0, 2]. */
export function brier(probs: Probs, observed: number): number {
  let s = 0;
  for (let k = 0; k < probs.length; k++) s += (probs[k] - (k === observed ? 1 : 0)) ** 2;
  return s;
}

export interface Mean {
  mean: number;
  se: number;
  n: number;
}

export function mean(values: readonly number[]): Mean {
  const n = values.length;
  if (n === 0) return { mean: NaN, se: NaN, n: 0 };
  const m = values.reduce((a, b) => a + b, 0) / n;
  const v = values.reduce((a, b) => a + (b - m) ** 2, 0) / Math.max(1, n - 1);
  return { mean: m, se: Math.sqrt(v / n), n };
}

/**
 * Calibration slope b of logit P(y = 1) = a + b·logit p over binary events (each outcome of each
 * match is one event), by Newton's method (Cox 1958). b = 1: calibrated spread; b > 1: the
 * probabilities are too compressed (not extreme enough); b < 1: too extreme.
 */
export function calibrationSlope(events: ReadonlyArray<{ p: number; y: 0 | 1 }>): { intercept: number; slope: number } {
  const xs = events.map((e) => {
    const p = Math.min(1 - 1e-9, Math.max(1e-9, e.p));
    return Math.log(p / (1 - p));
  });
  let a = 0;
  let b = 1;
  for (let it = 0; it < 50; it++) {
    let ga = 0;
    let gb = 0;
    let haa = 0;
    let hab = 0;
    let hbb = 0;
    for (let i = 0; i < events.length; i++) {
      const q = 1 / (1 + Math.exp(-(a + b * xs[i])));
      const r = events[i].y - q;
      const w = q * (1 - q);
      ga += r;
      gb += r * xs[i];
      haa += w;
      hab += w * xs[i];
      hbb += w * xs[i] * xs[i];
    }
    const det = haa * hbb - hab * hab;
    if (!(det > 0)) break;
    const da = (hbb * ga - hab * gb) / det;
    const db = (haa * gb - hab * ga) / det;
    a += da;
    b += db;
    if (Math.abs(da) + Math.abs(db) < 1e-10) break;
  }
  return { intercept: a, slope: b };
}

export interface ReliabilityBin {
  from: number;
  to: number;
  n: number;
  meanPredicted: number;
  observed: number;
}

/** Events binned by predicted probability in steps of `width`. */
export function reliability(events: ReadonlyArray<{ p: number; y: 0 | 1 }>, width = 0.1): ReliabilityBin[] {
  const bins = Math.round(1 / width);
  const out: ReliabilityBin[] = Array.from({ length: bins }, (_, i) => ({ from: i * width, to: (i + 1) * width, n: 0, meanPredicted: 0, observed: 0 }));
  for (const e of events) {
    const b = out[Math.min(bins - 1, Math.floor(e.p / width))];
    b.n++;
    b.meanPredicted += e.p;
    b.observed += e.y;
  }
  for (const b of out) {
    if (b.n === 0) continue;
    b.meanPredicted /= b.n;
    b.observed /= b.n;
  }
  return out.filter((b) => b.n > 0);
}

export interface QuotedOutcome {
  /** Quoted decimal price (ladder, margin included); 0 when not offered. */
  price: number;
  /** Closing fair probability (Pinnacle closing, de-margined). */
  closingFair: number;
  won: boolean;
}

export interface SharpResult {
  matches: number;
  /** Matches with at least one outcome quoted above its closing fair price. */
  beatableMatches: number;
  bets: number;
  /** Mean of price × closing fair − 1 over the backed outcomes. */
  meanEdge: number;
  /** Realised return per unit staked on the backed outcomes, and its standard error. */
  realisedReturn: number;
  realisedSe: number;
}

/**
 * The sharp bettor: backs, one unit each, every outcome whose quoted price is above the closing fair
 * price (price · p_closing > 1), i.e. every bet with positive expected value if the closing line is
 * right, and is paid on the actual results.
 */
export function sharpBettor(markets: ReadonlyArray<readonly QuotedOutcome[]>): SharpResult {
  let beatableMatches = 0;
  const edges: number[] = [];
  const returns: number[] = [];
  for (const outcomes of markets) {
    let any = false;
    for (const o of outcomes) {
      if (!(o.price > 1) || o.price * o.closingFair <= 1) continue;
      any = true;
      edges.push(o.price * o.closingFair - 1);
      returns.push(o.won ? o.price - 1 : -1);
    }
    if (any) beatableMatches++;
  }
  const r = mean(returns);
  return {
    matches: markets.length,
    beatableMatches,
    bets: returns.length,
    meanEdge: mean(edges).mean,
    realisedReturn: r.mean,
    realisedSe: r.se,
  };
}
