/**
 * Walk-forward backtest of the pre-match pricing (npm run backtest).
 *
 * For every league and season found in the data directory (`<league>-<season>.csv`,
 * football-data.co.uk format; default ../shared/data/football, override with PRICING_DATA_DIR):
 *  - the rating model (actors/odds/rating-fit.ts) is refitted before every match day on all earlier
 *    matches, with time decay, market-implied targets where closing prices exist, a drifting
 *    scoring level and the weakest-teams prior for promoted sides (scripts/lib/backtest-walk.ts);
 *  - hyper-parameters, the weight of the market in the blend (by divergence from the closing
 *    prices) and the uncertainty terms of the margin are chosen for each season on the earlier
 *    seasons only (the first season uses fixed a-priori values);
 *  - "model + market" pools the model's rates with those implied by Pinnacle's pre-closing prices
 *    of the match (PSH/PSD/PSA, P>2.5/P<2.5) — never the closing ones, which are the benchmark;
 *  - everything is scored against the actual results and against Pinnacle's closing prices, and the
 *    prices the server would quote (its quoting path: margin, uncertainty widening, floor at the
 *    market's fair price, ladder) are tried by a sharp bettor.
 *
 *   npm run backtest               # prints, and rewrites the results section of docs/PRICING.md
 *   npm run backtest -- --dry-run  # prints only
 *
 * Deterministic: the same data gives the same output.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { poolRates, preMatchProbabilities, type RatingHyper } from '../actors/odds/index.ts';
import { DEFAULT_SPORTSBOOK_CONFIG } from '../actors/sportsbook/config.ts';
import type { PriceUncertaintyConfig } from '../actors/sportsbook/index.ts';
import type { PricingConfig } from '../actors/sportsbook/types.ts';
import { returnCell, sharpSection, type Quoted, type SharpRow, type UncertaintyRow } from './lib/backtest-sharp.ts';
import { APRIORI_UNCERTAINTY, fitMoves, quoteMatch, type BacktestQuote, type MoveSample } from './lib/backtest-quotes.ts';
import { discover, loadLeague, type BacktestMatch, type LeagueData } from './lib/backtest-data.ts';
import { brier, calibrationSlope, logLoss, mean, reliability, sharpBettor, type QuotedOutcome } from './lib/backtest-metrics.ts';
import { ImpliedRatesCache, walkForward, type Prediction, type WalkOptions } from './lib/backtest-walk.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DATA_DIR = process.env.PRICING_DATA_DIR ?? resolve(ROOT, '../shared/data/football');
const DOC_PATH = join(ROOT, 'docs/PRICING.md');
const DRY_RUN = process.argv.includes('--dry-run');

// ---- hyper-parameters ---------------------------------------------------------------------------

/** Used for the first season, which has no earlier season to choose on: middle-of-the-grid values. */
const DEFAULT_HYPER: RatingHyper = { decayPerDay: 0.008, ridge: 3, marketShare: 1, marketWeight: 3, levelDecayPerDay: 0, ghostSplit: true };
const GRID: RatingHyper[] = [];
for (const decayPerDay of [0.004, 0.008, 0.015])
  for (const ridge of [1, 3])
    for (const marketShare of [0.8, 1])
      for (const levelDecayPerDay of [0, 0.03]) GRID.push({ decayPerDay, ridge, marketShare, marketWeight: 3, levelDecayPerDay, ghostSplit: true });
const MARKET_WEIGHTS = Array.from({ length: 11 }, (_, i) => i / 10);
const DEFAULT_MARKET_WEIGHT = DEFAULT_SPORTSBOOK_CONFIG.pricing.marketWeight;
const BASE_WALK = { useMarketTargets: true, weakestPrior: true } as const;

const key = (h: RatingHyper) => `ξ=${h.decayPerDay} κ=${h.ridge} γ=${h.marketShare} ω=${h.marketWeight} ξL=${h.levelDecayPerDay}${h.ghostSplit ? '' : ' no-ghost'}`;
const outcomeIndex = (m: BacktestMatch) => (m.record.result === 'H' ? 0 : m.record.result === 'D' ? 1 : 2);
const overIndex = (m: BacktestMatch) => (m.record.homeGoals + m.record.awayGoals > 2.5 ? 0 : 1);
const pct = (x: number) => `${x >= 0 ? '+' : ''}${(100 * x).toFixed(2)}%`;
const f4 = (x: number) => (Number.isFinite(x) ? x.toFixed(4) : '–');

// ---- run ----------------------------------------------------------------------------------------

const started = performance.now();
const found = discover(DATA_DIR);
if (found.size === 0) throw new Error(`no <league>-<season>.csv files in ${DATA_DIR}`);
const leagues: LeagueData[] = [...found].map(([league, seasons]) => loadLeague(DATA_DIR, league, seasons));
for (const l of leagues) for (const s of l.skipped) console.warn(`skipped ${s}`);
const implied = new ImpliedRatesCache();
const seasonNames = [...new Set(leagues.flatMap((l) => l.seasons))].sort();

/** predictions[configKey][league] = per-match predictions. */
const walks = new Map<string, Map<string, Prediction[]>>();
function walk(hyper: RatingHyper, opts: Omit<WalkOptions, 'hyper'> = BASE_WALK): Map<string, Prediction[]> {
  const k = `${key(hyper)}|${opts.useMarketTargets}|${opts.weakestPrior}`;
  let w = walks.get(k);
  if (!w) {
    w = new Map(leagues.map((l) => [l.league, walkForward(l, { hyper, ...opts }, implied)]));
    walks.set(k, w);
  }
  return w;
}

const modelProbs = (p: Prediction) => preMatchProbabilities(p, p.rho);
function pooledProbs(m: BacktestMatch, p: Prediction, w: number): number[] {
  const market = m.preClosing ? implied.get(m, 'preClosing', p.rho) : null;
  return preMatchProbabilities(market ? poolRates(p, market, w) : p, p.rho);
}
function pooledRates(m: BacktestMatch, p: Prediction, w: number) {
  const market = m.preClosing ? implied.get(m, 'preClosing', p.rho) : null;
  return market ? poolRates(p, market, w) : { lambdaHome: p.lambdaHome, lambdaAway: p.lambdaAway };
}
const seasonOf = (l: LeagueData, m: BacktestMatch) => l.seasons[m.season];

// Hyper-parameters per season, chosen on the earlier seasons' walk-forward predictions.
const gridLoss = GRID.map((hyper) => {
  const preds = walk(hyper);
  const bySeason = new Map<string, number>();
  for (const l of leagues) {
    const p = preds.get(l.league)!;
    for (const m of l.matches) bySeason.set(seasonOf(l, m), (bySeason.get(seasonOf(l, m)) ?? 0) + logLoss(modelProbs(p[m.index]), outcomeIndex(m)));
  }
  return { hyper, bySeason };
});
const chosen = new Map<string, RatingHyper>();
for (const season of seasonNames) {
  const earlier = seasonNames.filter((s) => s < season);
  if (earlier.length === 0) {
    chosen.set(season, DEFAULT_HYPER);
    continue;
  }
  let best = gridLoss[0];
  let bestLoss = Infinity;
  for (const g of gridLoss) {
    const loss = earlier.reduce((s, e) => s + (g.bySeason.get(e) ?? 0), 0);
    if (loss < bestLoss - 1e-12) {
      best = g;
      bestLoss = loss;
    }
  }
  chosen.set(season, best.hyper);
}

/** The predictions actually made: each season by its chosen hyper-parameters. */
function assemble(opts: Omit<WalkOptions, 'hyper'> = BASE_WALK, fixed?: RatingHyper): Map<string, Prediction[]> {
  return new Map(leagues.map((l) => [l.league, l.matches.map((m) => walk(fixed ?? chosen.get(seasonOf(l, m))!, opts).get(l.league)![m.index])]));
}
const model = assemble();

// Market weight per season, chosen on the earlier seasons: by the divergence of the pooled 1X2 from
// the closing prices (the market's best estimate, far less noisy than results), and — the choice
// before issue 21's sharp-bettor work, kept for the comparison — by log-loss on the results.
const klToClose = (close: readonly number[], probs: readonly number[]) => close.reduce((s, c, k) => s + c * Math.log(c / Math.max(probs[k], 1e-15)), 0);
function chooseWeights(loss: (m: BacktestMatch, probs: readonly number[]) => number, firstSeason = DEFAULT_MARKET_WEIGHT): Map<string, number> {
  const out = new Map<string, number>();
  for (const season of seasonNames) {
    const earlier = seasonNames.filter((s) => s < season);
    if (earlier.length === 0) {
      out.set(season, firstSeason);
      continue;
    }
    let best = firstSeason;
    let bestLoss = Infinity;
    for (const w of MARKET_WEIGHTS) {
      let total = 0;
      for (const l of leagues) for (const m of l.matches) if (m.closing && earlier.includes(seasonOf(l, m))) total += loss(m, pooledProbs(m, model.get(l.league)![m.index], w));
      if (total < bestLoss - 1e-12) {
        best = w;
        bestLoss = total;
      }
    }
    out.set(season, best);
  }
  return out;
}
const weightChosen = chooseWeights((m, probs) => klToClose(m.closing!.result, probs));
/** The a-priori first-season weight before this change. */
const FIRST_SEASON_WEIGHT_BEFORE = 0.8;
const weightByResults = chooseWeights((m, probs) => logLoss(probs, outcomeIndex(m)), FIRST_SEASON_WEIGHT_BEFORE);

// Uncertainty terms of the margin per season, fitted on the earlier seasons (backtest-quotes.ts).
const uncertaintyChosen = new Map<string, PriceUncertaintyConfig>();
const uncertaintyFits = new Map<string, { market: ReturnType<typeof fitMoves>; engine: ReturnType<typeof fitMoves> }>();
for (const season of seasonNames) {
  const earlier = seasonNames.filter((s) => s < season);
  const marketMoves: MoveSample[] = [];
  const engineMoves: MoveSample[] = [];
  for (const l of leagues) {
    for (const m of l.matches) {
      if (!m.closing || !earlier.includes(seasonOf(l, m))) continue;
      if (m.preClosing) marketMoves.push({ ageDays: m.inputAgeDays, from: m.preClosing.result, to: m.closing.result });
      engineMoves.push({ ageDays: 0, from: modelProbs(model.get(l.league)![m.index]).slice(0, 3), to: m.closing.result });
    }
  }
  if (earlier.length === 0) {
    uncertaintyChosen.set(season, APRIORI_UNCERTAINTY);
    continue;
  }
  const market = fitMoves(marketMoves);
  const engine = fitMoves(engineMoves);
  uncertaintyFits.set(season, { market, engine });
  uncertaintyChosen.set(season, { ...APRIORI_UNCERTAINTY, engineOnlySigma: Math.sqrt(engine.meanSquare), marketJumpVariance: market.jump, marketDriftVariancePerDay: market.drift });
}
/** The server's pricing config for a match of `season`: its ρ, and the uncertainty terms fitted for the season. */
const pricingFor = (season: string, rho: number, override: Partial<PriceUncertaintyConfig> = {}): PricingConfig => ({
  ...DEFAULT_SPORTSBOOK_CONFIG.pricing,
  rho,
  uncertainty: { ...uncertaintyChosen.get(season)!, ...override },
});

// ---- per-match scores ---------------------------------------------------------------------------

interface Scored {
  league: string;
  season: string;
  ll: Record<'model' | 'mm' | 'pre' | 'close', number>;
  brier: Record<'model' | 'mm' | 'close', number>;
  ou: { model: number; mm: number; close: number; bModel: number; bMm: number; bClose: number } | null;
  events: Record<'model' | 'mm' | 'close', Array<{ p: number; y: 0 | 1 }>>;
  homeProb: Record<'model' | 'mm' | 'close', number>;
  totalGoals: { model: number; marketClose: number | null; actual: number };
  quotes: Record<'model' | 'mm' | 'before', Quoted>;
  /** Pre-closing fair 1X2 of the match (for the diagnosis), null when missing. */
  preFair: readonly number[] | null;
}

const pricing = DEFAULT_SPORTSBOOK_CONFIG.pricing;
/** The server's quotes (backtest-quotes.ts quoteMatch) against the match's closing fair prices and result. */
function quoted(m: BacktestMatch, q: BacktestQuote): Quoted {
  const o = outcomeIndex(m);
  const oneXTwo = q.oneXTwo.map((price, k) => ({ price, closingFair: m.closing!.result[k], won: k === o }));
  const over = m.closing?.over;
  const ou = over != null && q.ou ? q.ou.map((price, k) => ({ price, closingFair: k === 0 ? over : 1 - over, won: k === overIndex(m) })) : null;
  return { oneXTwo, ou, booksum: q.booksum };
}
const preInput = (m: BacktestMatch, which: 'preClosing' | 'closing' = 'preClosing') => {
  const fair = m[which];
  return fair ? { fair, ageDays: which === 'closing' ? 0 : m.inputAgeDays } : null;
};

function score(predictions: Map<string, Prediction[]>): Scored[] {
  const out: Scored[] = [];
  for (const l of leagues) {
    for (const m of l.matches) {
      if (!m.closing) continue; // the benchmark is needed for every row (Pinnacle closing 1X2 is complete in the shared data)
      const season = seasonOf(l, m);
      const p = predictions.get(l.league)![m.index];
      const w = weightChosen.get(season)!;
      const mp = modelProbs(p);
      const mmRates = pooledRates(m, p, w);
      const mm = preMatchProbabilities(mmRates, p.rho);
      const o = outcomeIndex(m);
      const close = m.closing.result;
      const pre = m.preClosing?.result ?? null;
      const events = (probs: readonly number[]) => [0, 1, 2].map((k) => ({ p: probs[k], y: (k === o ? 1 : 0) as 0 | 1 }));
      const ou = m.closing.over != null
        ? (() => {
            const y = overIndex(m);
            const two = (over: number) => [over, 1 - over];
            return {
              model: logLoss(two(mp[3]), y), mm: logLoss(two(mm[3]), y), close: logLoss(two(m.closing.over), y),
              bModel: brier(two(mp[3]), y), bMm: brier(two(mm[3]), y), bClose: brier(two(m.closing.over), y),
            };
          })()
        : null;
      const closeRates = implied.get(m, 'closing', p.rho);
      out.push({
        league: l.league,
        season,
        ll: { model: logLoss(mp, o), mm: logLoss(mm, o), pre: pre ? logLoss(pre, o) : NaN, close: logLoss(close, o) },
        brier: { model: brier(mp.slice(0, 3), o), mm: brier(mm.slice(0, 3), o), close: brier(close, o) },
        ou,
        events: { model: events(mp), mm: events(mm), close: events(close) },
        homeProb: { model: mp[0], mm: mm[0], close: close[0] },
        totalGoals: { model: p.lambdaHome + p.lambdaAway, marketClose: closeRates ? closeRates.lambdaHome + closeRates.lambdaAway : null, actual: m.record.homeGoals + m.record.awayGoals },
        quotes: {
          model: quoted(m, quoteMatch(pricingFor(season, p.rho), p, null)),
          mm: quoted(m, quoteMatch(pricingFor(season, p.rho), mmRates, preInput(m))),
          // As quoted before this work: weight chosen on results, the flat default margin, no floor at the market.
          before: quoted(m, quoteMatch(pricingFor(season, p.rho, { z: 0 }), pooledRates(m, p, weightByResults.get(season)!), null)),
        },
        preFair: pre,
      });
    }
  }
  return out;
}

const scored = score(model);

// ---- tables -------------------------------------------------------------------------------------

type Group = { label: string; rows: Scored[] };
const groups: Group[] = [];
for (const l of leagues) for (const s of l.seasons) groups.push({ label: `${l.league} ${s}`, rows: scored.filter((r) => r.league === l.league && r.season === s) });
const pooled: Group = { label: 'pooled', rows: scored };
const all = [...groups, pooled];
const avg = (rows: Scored[], f: (r: Scored) => number) => mean(rows.map(f).filter((x) => Number.isFinite(x)));
const sd = (xs: number[]) => {
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  return Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / Math.max(1, xs.length - 1));
};

const lines: string[] = [];
const emit = (s = '') => lines.push(s);

emit(`Generated by \`npm run backtest\` (scripts/backtest.ts) from ${leagues.map((l) => `${l.league} ${l.seasons[0]}…${l.seasons.at(-1)}`).join(', ')} in \`${process.env.PRICING_DATA_DIR ? 'PRICING_DATA_DIR' : '../shared/data/football'}\`: ${scored.length} matches. Deterministic: rerunning on the same data gives the same numbers.`);
emit();
emit('### 1X2 log-loss by league-season (lower is better)');
emit();
emit('"Model" is the rating model alone (no prices of the match itself); "model + market" pools it with the rates implied by the match\'s Pinnacle **pre-closing** prices; "gap" is the log-loss relative to Pinnacle closing (de-margined by the power method).');
emit();
emit('| league-season | n | model | ± s.e. | model + market | Pinnacle pre-closing | Pinnacle closing | gap model | gap model + market |');
emit('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const g of all) {
  const mo = avg(g.rows, (r) => r.ll.model);
  const mm = avg(g.rows, (r) => r.ll.mm);
  const pre = avg(g.rows, (r) => r.ll.pre);
  const cl = avg(g.rows, (r) => r.ll.close);
  emit(`| ${g.label} | ${g.rows.length} | ${f4(mo.mean)} | ${f4(mo.se)} | ${f4(mm.mean)} | ${f4(pre.mean)} | ${f4(cl.mean)} | ${pct(mo.mean / cl.mean - 1)} | ${pct(mm.mean / cl.mean - 1)} |`);
}
emit();
emit('### 1X2 Brier score (multi-class Σₖ(pₖ − oₖ)²; uniform guessing 0.667)');
emit();
emit('| league-season | model | model + market | Pinnacle closing |');
emit('|---|---:|---:|---:|');
for (const g of all) emit(`| ${g.label} | ${f4(avg(g.rows, (r) => r.brier.model).mean)} | ${f4(avg(g.rows, (r) => r.brier.mm).mean)} | ${f4(avg(g.rows, (r) => r.brier.close).mean)} |`);
emit();
emit('### Over/under 2.5 goals (binary log-loss; Brier in the two-class form)');
emit();
emit('| league-season | n | model | model + market | Pinnacle closing | gap model | gap model + market | Brier model | Brier model + market | Brier closing |');
emit('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const g of all) {
  const rows = g.rows.filter((r) => r.ou);
  const a = avg(rows, (r) => r.ou!.model).mean;
  const b = avg(rows, (r) => r.ou!.mm).mean;
  const c = avg(rows, (r) => r.ou!.close).mean;
  emit(`| ${g.label} | ${rows.length} | ${f4(a)} | ${f4(b)} | ${f4(c)} | ${pct(a / c - 1)} | ${pct(b / c - 1)} | ${f4(avg(rows, (r) => r.ou!.bModel).mean)} | ${f4(avg(rows, (r) => r.ou!.bMm).mean)} | ${f4(avg(rows, (r) => r.ou!.bClose).mean)} |`);
}
emit();
emit('### Calibration');
emit();
emit('Calibration slope b of logit P(outcome) = a + b·logit p over every outcome of every match (Cox 1958): 1 is right, above 1 the probabilities are too compressed, below 1 too extreme. s.d. of the home-win probability across matches shows the spread; expected goals per match, model vs implied by the closing prices vs scored.');
emit();
emit('| league-season | slope model | slope model + market | slope closing | s.d. P(home) model | model + market | closing | goals/match model | closing-implied | actual |');
emit('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const g of all) {
  const slope = (k: 'model' | 'mm' | 'close') => calibrationSlope(g.rows.flatMap((r) => r.events[k])).slope.toFixed(3);
  const spread = (k: 'model' | 'mm' | 'close') => sd(g.rows.map((r) => r.homeProb[k])).toFixed(3);
  const mk = g.rows.filter((r) => r.totalGoals.marketClose !== null);
  emit(`| ${g.label} | ${slope('model')} | ${slope('mm')} | ${slope('close')} | ${spread('model')} | ${spread('mm')} | ${spread('close')} | ${avg(g.rows, (r) => r.totalGoals.model).mean.toFixed(2)} | ${avg(mk, (r) => r.totalGoals.marketClose!).mean.toFixed(2)} | ${avg(g.rows, (r) => r.totalGoals.actual).mean.toFixed(2)} |`);
}
emit();
emit('Reliability, all matches pooled (every 1X2 outcome is one event; bins of predicted probability):');
emit();
emit('| bin | n | model: predicted / observed | model + market: predicted / observed | closing: predicted / observed |');
emit('|---|---:|---|---|---|');
{
  const bins = (k: 'model' | 'mm' | 'close') => reliability(scored.flatMap((r) => r.events[k]));
  const bm = bins('model');
  const bmm = bins('mm');
  const bc = bins('close');
  const cell = (list: ReturnType<typeof bins>, from: number) => {
    const b = list.find((x) => Math.abs(x.from - from) < 1e-9);
    return b ? `${b.meanPredicted.toFixed(3)} / ${b.observed.toFixed(3)} (${b.n})` : '–';
  };
  for (const from of [...new Set([...bm, ...bmm, ...bc].map((b) => b.from))].sort((a, b) => a - b)) {
    const n = bm.find((x) => Math.abs(x.from - from) < 1e-9)?.n ?? 0;
    emit(`| ${from.toFixed(1)}–${(from + 0.1).toFixed(1)} | ${n} | ${cell(bm, from)} | ${cell(bmm, from)} | ${cell(bc, from)} |`);
  }
}
emit();
emitSharpSection();
emit('### Hyper-parameters chosen for each season (on the earlier seasons only)');
emit();
emit(`Grid: ${GRID.length} combinations of ξ ∈ {0.004, 0.008, 0.015}/day, κ ∈ {1, 3}, γ ∈ {0.8, 1}, ξ_L ∈ {0, 0.03}/day (ω = 3, ghost-game home advantage on), chosen by pooled 1X2 log-loss of both leagues' earlier seasons. Market weight w ∈ {0, 0.1, …, 1}: chosen by the Kullback–Leibler divergence of the pooled 1X2 from the closing prices of the earlier seasons (the closing price is the market's best estimate, far less noisy than results); the weight chosen by results log-loss (the choice before the sharp-bettor work, used by the "before" quotes) is shown beside it. The first season has nothing earlier: it uses the fixed a-priori values ${key(DEFAULT_HYPER)}, w = ${DEFAULT_MARKET_WEIGHT}.`);
emit();
emit('| season | rating hyper-parameters | market weight w (closing divergence) | w by results (before) |');
emit('|---|---|---:|---:|');
for (const s of seasonNames) emit(`| ${s} | ${key(chosen.get(s)!)} | ${weightChosen.get(s)!.toFixed(1)} | ${weightByResults.get(s)!.toFixed(1)} |`);
emit();
emit('### Ablations (1X2 log-loss, pooled over every league-season, gap to Pinnacle closing)');
emit();
{
  const closeMean = avg(scored, (r) => r.ll.close).mean;
  const variant = (label: string, preds: Map<string, Prediction[]>) => {
    const values: number[] = [];
    for (const l of leagues) for (const m of l.matches) if (m.closing) values.push(logLoss(modelProbs(preds.get(l.league)![m.index]), outcomeIndex(m)));
    const v = mean(values).mean;
    emit(`| ${label} | ${f4(v)} | ${pct(v / closeMean - 1)} |`);
  };
  emit('| variant | log-loss | gap |');
  emit('|---|---:|---:|');
  variant('model as chosen (market-implied targets, weakest-teams prior)', model);
  variant('goals-only targets (no closing prices of past matches)', assemble({ useMarketTargets: false, weakestPrior: true }));
  variant('promoted teams at the league average', assemble({ useMarketTargets: true, weakestPrior: false }));
  variant('no time decay (ξ = 0), otherwise as the default', assemble(BASE_WALK, { ...DEFAULT_HYPER, decayPerDay: 0 }));
  const marketOnly: number[] = [];
  for (const l of leagues) for (const m of l.matches) if (m.closing) marketOnly.push(logLoss(pooledProbs(m, model.get(l.league)![m.index], 1), outcomeIndex(m)));
  const v = mean(marketOnly).mean;
  emit(`| market alone through the engine (w = 1: pre-closing prices → rates → 1X2) | ${f4(v)} | ${pct(v / closeMean - 1)} |`);
}
emit();
emit('### Targets (issue 21)');
emit();
{
  const closeMean = (rows: Scored[]) => avg(rows, (r) => r.ll.close).mean;
  const gap = (rows: Scored[], k: 'model' | 'mm') => avg(rows, (r) => r.ll[k]).mean / closeMean(rows) - 1;
  const mmSharp = sharpBettor(scored.map((r) => r.quotes.mm.oneXTwo));
  const worst = groups.reduce((a, g) => (gap(g.rows, 'model') > gap(a.rows, 'model') ? g : a), groups[0]);
  const ok = (b: boolean) => (b ? 'met' : '**not met**');
  emit(`| target | measured | |`);
  emit(`|---|---|---|`);
  emit(`| with market input: pooled 1X2 log-loss within 1% of Pinnacle closing | ${pct(gap(scored, 'mm'))} | ${ok(gap(scored, 'mm') <= 0.01)} |`);
  const seasonsAbove = groups.filter((g) => sharpBettor(g.rows.map((r) => r.quotes.mm.oneXTwo)).realisedReturn > 0).map((g) => g.label);
  emit(`| with market input: sharp strategy's realised return ≤ 0 (1X2, pooled) | ${returnCell(mmSharp)} on ${mmSharp.bets} bets (${((100 * mmSharp.bets) / (3 * scored.length)).toFixed(1)}% of outcomes); expected at closing fair ${pct(mmSharp.meanEdge)} per bet | ${ok(mmSharp.realisedReturn <= 0)}${mmSharp.realisedReturn - 1.96 * mmSharp.realisedSe < 0 && mmSharp.realisedReturn + 1.96 * mmSharp.realisedSe > 0 ? ' (0 inside the 95% CI)' : ''} |`);
  emit(`| the same, per league-season | above 0 in ${seasonsAbove.length} of ${groups.length}${seasonsAbove.length ? `: ${seasonsAbove.join(', ')}` : ''} | ${ok(seasonsAbove.length === 0)} |`);
  emit(`| without market input: pooled within 3% | ${pct(gap(scored, 'model'))} | ${ok(gap(scored, 'model') <= 0.03)} |`);
  emit(`| without market input: every league-season within 5% | worst ${worst.label} ${pct(gap(worst.rows, 'model'))} | ${ok(groups.every((g) => gap(g.rows, 'model') <= 0.05))} |`);
}


function emitSharpSection(): void {
  /** Every match re-quoted by `quote` (pooled rows of the trade-off table). */
  const requote = (label: string, quote: (m: BacktestMatch, p: Prediction, season: string) => BacktestQuote): SharpRow => {
    const markets: QuotedOutcome[][] = [];
    let booksum = 0;
    for (const l of leagues) {
      for (const m of l.matches) {
        if (!m.closing) continue;
        const q = quoted(m, quote(m, model.get(l.league)![m.index], seasonOf(l, m)));
        markets.push(q.oneXTwo);
        booksum += q.booksum;
      }
    }
    return { label, markets, booksum: booksum / Math.max(1, markets.length) };
  };
  const tradeOff: SharpRow[] = [];
  for (const z of [0, 0.5, 1, 1.5, 2]) tradeOff.push(requote(`model + market (pre-closing), z = ${z}`, (m, p, season) => quoteMatch(pricingFor(season, p.rho, { z }), pooledRates(m, p, weightChosen.get(season)!), preInput(m))));
  for (const z of [0, 1, 2]) tradeOff.push(requote(`model alone, z = ${z}`, (_m, p, season) => quoteMatch(pricingFor(season, p.rho, { z }), p, null)));
  tradeOff.push(requote('model + market at kick-off (closing input)', (m, p, season) => {
    const close = implied.get(m, 'closing', p.rho);
    return quoteMatch(pricingFor(season, p.rho), close ? poolRates(p, close, weightChosen.get(season)!) : p, preInput(m, 'closing'));
  }));
  const marketAll = fitMoves(leagues.flatMap((l) => l.matches.filter((m) => m.closing && m.preClosing).map((m) => ({ ageDays: m.inputAgeDays, from: m.preClosing!.result, to: m.closing!.result }))));
  const engineAll = fitMoves(leagues.flatMap((l) => l.matches.filter((m) => m.closing).map((m) => ({ ageDays: 0, from: modelProbs(model.get(l.league)![m.index]).slice(0, 3), to: m.closing!.result }))));
  const uncertaintyRows: UncertaintyRow[] = seasonNames.map((season) => ({ label: season, config: uncertaintyChosen.get(season)!, fitted: uncertaintyFits.get(season)?.market.n ?? null }));
  uncertaintyRows.push({
    label: "all seasons (the server's defaults)",
    config: { ...APRIORI_UNCERTAINTY, marketJumpVariance: marketAll.jump, marketDriftVariancePerDay: marketAll.drift, engineOnlySigma: Math.sqrt(engineAll.meanSquare) },
    fitted: marketAll.n,
  });
  for (const line of sharpSection({ pricing, groups: all, tradeOff, uncertaintyRows })) emit(line);
}

const markdown = lines.join('\n');
console.log(markdown);
if (!DRY_RUN) {
  const begin = '<!-- backtest:begin -->';
  const end = '<!-- backtest:end -->';
  const doc = existsSync(DOC_PATH) ? readFileSync(DOC_PATH, 'utf8') : '';
  const a = doc.indexOf(begin);
  const b = doc.indexOf(end);
  if (a < 0 || b < a) throw new Error(`${DOC_PATH} lacks the ${begin} … ${end} markers`);
  writeFileSync(DOC_PATH, `${doc.slice(0, a + begin.length)}\n${markdown}\n${doc.slice(b)}`);
  console.error(`wrote the backtest section of ${DOC_PATH}`);
}
console.error(`backtest: ${((performance.now() - started) / 1000).toFixed(0)} s, ${walks.size} walk-forwards`);
