/**
 * Walk-forward backtest of the pre-match pricing (npm run backtest).
 *
 * For every league and season found in the data directory (`<league>-<season>.csv`,
 * football-data.co.uk format; default ../shared/data/football, override with PRICING_DATA_DIR):
 *  - the rating model (actors/odds/rating-fit.ts) is refitted before every match day on all earlier
 *    matches, with time decay, market-implied targets where closing prices exist, a drifting
 *    scoring level and the weakest-teams prior for promoted sides (scripts/lib/backtest-walk.ts);
 *  - hyper-parameters, and the weight of the market in the blend, are chosen for each season on
 *    the earlier seasons only (the first season uses fixed a-priori values);
 *  - "model + market" pools the model's rates with those implied by Pinnacle's pre-closing prices
 *    of the match (PSH/PSD/PSA, P>2.5/P<2.5) — never the closing ones, which are the benchmark;
 *  - everything is scored against the actual results and against Pinnacle's closing prices, and the
 *    prices the server would quote (its default margin and ladder) are tried by a sharp bettor.
 *
 *   npm run backtest               # prints, and rewrites the results section of docs/PRICING.md
 *   npm run backtest -- --dry-run  # prints only
 *
 * Deterministic: the same data gives the same output.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { poolRates, preMatchProbabilities, priceMatch, type RatingHyper } from '../actors/odds/index.ts';
import { DEFAULT_SPORTSBOOK_CONFIG } from '../actors/sportsbook/config.ts';
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
const DEFAULT_MARKET_WEIGHT = 0.8;
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

// Market weight per season, chosen on the earlier seasons.
const weightChosen = new Map<string, number>();
for (const season of seasonNames) {
  const earlier = seasonNames.filter((s) => s < season);
  if (earlier.length === 0) {
    weightChosen.set(season, DEFAULT_MARKET_WEIGHT);
    continue;
  }
  let best = DEFAULT_MARKET_WEIGHT;
  let bestLoss = Infinity;
  for (const w of MARKET_WEIGHTS) {
    let loss = 0;
    for (const l of leagues) for (const m of l.matches) if (earlier.includes(seasonOf(l, m))) loss += logLoss(pooledProbs(m, model.get(l.league)![m.index], w), outcomeIndex(m));
    if (loss < bestLoss - 1e-12) {
      best = w;
      bestLoss = loss;
    }
  }
  weightChosen.set(season, best);
}

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
  quotes: Record<'model' | 'mm', { oneXTwo: QuotedOutcome[]; ou: QuotedOutcome[] | null }>;
}

const pricing = DEFAULT_SPORTSBOOK_CONFIG.pricing;
function quotes(m: BacktestMatch, rates: { lambdaHome: number; lambdaAway: number }, rho: number): { oneXTwo: QuotedOutcome[]; ou: QuotedOutcome[] | null } {
  const priced = priceMatch({ ...rates, rho, minute: 0, homeGoals: 0, awayGoals: 0, overround: pricing.overround, overroundByMarket: pricing.overroundByMarket, marginMethod: pricing.marginMethod });
  const byId = (id: string) => priced.markets.find((x) => x.marketId === id)!.selections.map((s) => s.priceMilli / 1000);
  const o = outcomeIndex(m);
  const oneXTwo = byId('1x2').map((price, k) => ({ price, closingFair: m.closing!.result[k], won: k === o }));
  const over = m.closing?.over;
  const ou = over != null ? byId('ou_2.5').map((price, k) => ({ price, closingFair: k === 0 ? over : 1 - over, won: k === overIndex(m) })) : null;
  return { oneXTwo, ou };
}

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
        quotes: { model: quotes(m, p, p.rho), mm: quotes(m, mmRates, p.rho) },
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
emit(`### Sharp-bettor evaluation of the quoted prices`);
emit();
emit(`Prices as the server quotes them: the power margin at the default overround (${pricing.overround} on 1X2 and over/under), rounded down onto the ladder. The bettor backs, one unit each, every outcome quoted above its closing fair price (Pinnacle closing, de-margined): "beatable" is the share of matches with at least one such outcome, "edge" the mean of price × closing fair − 1 over those bets, "return" the realised profit per unit staked on the actual results (± its standard error).`);
emit();
emit('| league-season | prices | 1X2 beatable | bets | edge | return | O/U beatable | bets | edge | return |');
emit('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const g of all) {
  for (const k of ['model', 'mm'] as const) {
    const x = sharpBettor(g.rows.map((r) => r.quotes[k].oneXTwo));
    const ouRows = g.rows.filter((r) => r.quotes[k].ou);
    const y = sharpBettor(ouRows.map((r) => r.quotes[k].ou!));
    const share = (s: typeof x) => `${((100 * s.beatableMatches) / Math.max(1, s.matches)).toFixed(1)}%`;
    const ret = (s: typeof x) => (s.bets > 0 ? `${pct(s.realisedReturn)} ± ${(100 * s.realisedSe).toFixed(1)}%` : '–');
    const edge = (s: typeof x) => (s.bets > 0 ? pct(s.meanEdge) : '–');
    emit(`| ${g.label} | ${k === 'model' ? 'model' : 'model + market'} | ${share(x)} | ${x.bets} | ${edge(x)} | ${ret(x)} | ${share(y)} | ${y.bets} | ${edge(y)} | ${ret(y)} |`);
  }
}
emit();
emit('What would hold the margin: the same pooled 1X2 evaluation by overround and by what the market input is. "At kick-off" feeds the closing prices themselves as the input, standing in for a live price feed that keeps the input current up to kick-off (the server\'s price feed); it is not an out-of-sample forecast, it shows what the blend, the margin and the ladder leave to a sharp bettor when the input is current.');
emit();
emit('| market input | weight w | overround | beatable | bets | edge | return |');
emit('|---|---|---:|---:|---:|---:|---:|');
{
  type Input = { label: string; weight: 'chosen' | number | null; which: 'preClosing' | 'closing' | null };
  const inputs: Input[] = [
    { label: 'none (model alone)', weight: null, which: null },
    { label: 'pre-closing', weight: 'chosen', which: 'preClosing' },
    { label: 'pre-closing', weight: 1, which: 'preClosing' },
    { label: 'at kick-off (closing)', weight: 'chosen', which: 'closing' },
    { label: 'at kick-off (closing)', weight: 1, which: 'closing' },
  ];
  for (const input of inputs) {
    for (const overround of [1.05, 1.1, 1.2]) {
      const marketsQuoted: QuotedOutcome[][] = [];
      for (const l of leagues) {
        for (const m of l.matches) {
          if (!m.closing) continue;
          const p = model.get(l.league)![m.index];
          const w = input.weight === 'chosen' ? weightChosen.get(seasonOf(l, m))! : (input.weight ?? 0);
          const market = input.which ? implied.get(m, input.which, p.rho) : null;
          const rates = market ? poolRates(p, market, w) : p;
          const priced = priceMatch({ lambdaHome: rates.lambdaHome, lambdaAway: rates.lambdaAway, rho: p.rho, minute: 0, homeGoals: 0, awayGoals: 0, overround, marginMethod: pricing.marginMethod });
          const o = outcomeIndex(m);
          marketsQuoted.push(priced.markets[0].selections.map((s, k) => ({ price: s.priceMilli / 1000, closingFair: m.closing!.result[k], won: k === o })));
        }
      }
      const x = sharpBettor(marketsQuoted);
      const wLabel = input.weight === null ? '–' : input.weight === 'chosen' ? 'as chosen' : String(input.weight);
      emit(`| ${input.label} | ${wLabel} | ${overround.toFixed(2)} | ${((100 * x.beatableMatches) / x.matches).toFixed(1)}% | ${x.bets} | ${x.bets ? pct(x.meanEdge) : '–'} | ${x.bets ? `${pct(x.realisedReturn)} ± ${(100 * x.realisedSe).toFixed(1)}%` : '–'} |`);
    }
  }
}
emit();
emit('### Hyper-parameters chosen for each season (on the earlier seasons only)');
emit();
emit(`Grid: ${GRID.length} combinations of ξ ∈ {0.004, 0.008, 0.015}/day, κ ∈ {1, 3}, γ ∈ {0.8, 1}, ξ_L ∈ {0, 0.03}/day (ω = 3, ghost-game home advantage on), chosen by pooled 1X2 log-loss of both leagues' earlier seasons; market weight w ∈ {0, 0.1, …, 1} likewise. The first season has nothing earlier: it uses the fixed a-priori values ${key(DEFAULT_HYPER)}, w = ${DEFAULT_MARKET_WEIGHT}.`);
emit();
emit('| season | rating hyper-parameters | market weight w |');
emit('|---|---|---:|');
for (const s of seasonNames) emit(`| ${s} | ${key(chosen.get(s)!)} | ${weightChosen.get(s)!.toFixed(1)} |`);
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
  emit(`| with market input: sharp strategy's realised return ≤ 0 (1X2, pooled) | ${pct(mmSharp.realisedReturn)} ± ${(100 * mmSharp.realisedSe).toFixed(1)}% on ${mmSharp.bets} bets | ${ok(mmSharp.realisedReturn <= 0)} |`);
  emit(`| without market input: pooled within 3% | ${pct(gap(scored, 'model'))} | ${ok(gap(scored, 'model') <= 0.03)} |`);
  emit(`| without market input: every league-season within 5% | worst ${worst.label} ${pct(gap(worst.rows, 'model'))} | ${ok(groups.every((g) => gap(g.rows, 'model') <= 0.05))} |`);
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
