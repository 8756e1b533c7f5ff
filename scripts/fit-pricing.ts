/**
 * Fits pre-match team strengths (Dixon–Coles / Poisson) per league on 2019-20..2021-22 and
 * evaluates 1X2 (and over/under 2.5) probabilities on the held-out 2022-23 season against
 * Pinnacle's closing prices with the margin removed.
 *
 *   npx tsx scripts/fit-pricing.ts            # prints the tables, rewrites the results section of
 *                                              docs/PRICING.md and server/pricing/fitted-strengths.json
 *   npx tsx scripts/fit-pricing.ts --dry-run  # prints only
 *
 * Data: ../shared/data/football (override with PRICING_DATA_DIR). Deterministic: same data, same output.
 * Hyper-parameters (time decay ξ, ridge κ, ghost-game home advantage) are chosen per league on a
 * validation season (fit 2019-21, score 2021-22) and only then applied to the held-out season.
 */

import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseFootballDataCsv, type MatchRecord } from '../server/pricing/football-data-csv.ts';
import {
  brierScore,
  expectedGoalsFor,
  fitTeamModel,
  logLoss,
  meanWithError,
  overProb,
  resultProbs,
  OUTCOME_INDEX,
  type FitMatch,
  type FitOptions,
  type MeanWithError,
  type TeamModel,
} from './lib/pricing-fit.ts';
import { removeMarginPower, removeMarginProportional, removeMarginShin } from '../actors/odds/margin.ts';
import type { FittedStrengths, LeagueStrengths } from '../actors/odds/team-strength.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DATA_DIR = process.env.PRICING_DATA_DIR ?? resolve(ROOT, '../shared/data/football');
const DOC_PATH = join(ROOT, 'docs/PRICING.md');
const JSON_PATH = join(ROOT, 'server/pricing/fitted-strengths.json');
const DRY_RUN = process.argv.includes('--dry-run');

const LEAGUES = [
  { code: 'E0', name: 'Premier League' },
  { code: 'SP1', name: 'La Liga' },
] as const;
const SEASONS = ['2019-20', '2020-21', '2021-22', '2022-23'] as const;
const TRAIN = SEASONS.slice(0, 3);
const VALIDATION_TRAIN = SEASONS.slice(0, 2);
const VALIDATION = SEASONS[2];
const HELD_OUT = SEASONS[3];

/** Matches behind closed doors: the COVID restart (June 2020) to the end of 2020-21. Approximate:
 * a handful of late-2020-21 fixtures admitted small crowds and are still counted as ghost games. */
const GHOST_FROM = '2020-06-01';
const GHOST_TO = '2021-07-31';

const GRID_DECAY = [0, 0.001, 0.002, 0.004, 0.008];
const GRID_RIDGE = [1, 3, 10, 30];
const GRID_GHOST = [false, true];

type Variant = 'static' | 'rolling';
interface Hyper {
  decayPerDay: number;
  ridge: number;
  ghostSplit: boolean;
}

// ---- data ------------------------------------------------------------------------------------

function loadLeague(code: string): MatchRecord[] {
  const all: MatchRecord[] = [];
  for (const season of SEASONS) {
    const path = join(DATA_DIR, `${code}-${season}.csv`);
    const { matches, skipped } = parseFootballDataCsv(readFileSync(path, 'utf8'), { league: code, season });
    for (const s of skipped) console.warn(`skipped ${code} ${season} line ${s.line}: ${s.reason}`);
    all.push(...matches);
  }
  return all.sort((a, b) => a.day - b.day);
}

class TeamIndex {
  readonly names: string[] = [];
  private readonly byName = new Map<string, number>();
  id(name: string): number {
    let i = this.byName.get(name);
    if (i === undefined) {
      i = this.names.length;
      this.names.push(name);
      this.byName.set(name, i);
    }
    return i;
  }
}

function toFitMatch(m: MatchRecord, teams: TeamIndex): FitMatch {
  return {
    home: teams.id(m.homeTeam),
    away: teams.id(m.awayTeam),
    homeGoals: m.homeGoals,
    awayGoals: m.awayGoals,
    day: m.day,
    ghost: m.date >= GHOST_FROM && m.date <= GHOST_TO,
  };
}

function teamsOf(matches: readonly MatchRecord[], teams: TeamIndex): Set<number> {
  const s = new Set<number>();
  for (const m of matches) {
    s.add(teams.id(m.homeTeam));
    s.add(teams.id(m.awayTeam));
  }
  return s;
}

// ---- fitting protocol ------------------------------------------------------------------------

interface SeasonSetup {
  train: FitMatch[];
  test: MatchRecord[];
  testFit: FitMatch[];
  priorAttack: Float64Array;
  priorDefence: Float64Array;
  promoted: number[];
  preSeason: TeamModel;
}

/**
 * Promoted-team prior: teams in the new season that were not in the last training season start from
 * the mean fitted strengths of the teams relegated at the end of it (known before the season starts).
 * `promotedPrior: 'average'` keeps them at the league average instead (the ablation).
 */
function setupSeason(
  records: readonly MatchRecord[],
  trainSeasons: readonly string[],
  testSeason: string,
  teams: TeamIndex,
  hyper: Hyper,
  promotedPrior: 'relegated' | 'average' = 'relegated',
): SeasonSetup {
  const trainRecords = records.filter((m) => trainSeasons.includes(m.season));
  const test = records.filter((m) => m.season === testSeason);
  const lastTrain = teamsOf(
    records.filter((m) => m.season === trainSeasons[trainSeasons.length - 1]),
    teams,
  );
  const testTeams = teamsOf(test, teams);
  const n = teams.names.length;
  const train = trainRecords.map((m) => toFitMatch(m, teams));
  const testFit = test.map((m) => toFitMatch(m, teams));
  const firstDay = test[0].day;
  const options = (pa?: Float64Array, pd?: Float64Array): FitOptions => ({
    ...hyper,
    referenceDay: firstDay,
    priorAttack: pa,
    priorDefence: pd,
  });
  const base = fitTeamModel(train, n, options());
  const relegated = [...lastTrain].filter((t) => !testTeams.has(t));
  const promoted = [...testTeams].filter((t) => !lastTrain.has(t));
  const priorAttack = new Float64Array(n);
  const priorDefence = new Float64Array(n);
  if (promotedPrior === 'relegated' && relegated.length > 0) {
    const meanA = relegated.reduce((s, t) => s + base.attack[t], 0) / relegated.length;
    const meanD = relegated.reduce((s, t) => s + base.defence[t], 0) / relegated.length;
    for (const t of promoted) {
      priorAttack[t] = meanA;
      priorDefence[t] = meanD;
    }
  }
  const preSeason = fitTeamModel(train, n, options(priorAttack, priorDefence), base.theta);
  return { train, test, testFit, priorAttack, priorDefence, promoted, preSeason };
}

interface Prediction {
  probs: [number, number, number];
  lambdaHome: number;
  lambdaAway: number;
  rho: number;
}

function predictSeason(setup: SeasonSetup, hyper: Hyper, variant: Variant, nTeams: number): Prediction[] {
  const predict = (model: TeamModel, g: FitMatch): Prediction => {
    const [lh, la] = expectedGoalsFor(model, g.home, g.away);
    return { probs: [...resultProbs(model, g.home, g.away)], lambdaHome: lh, lambdaAway: la, rho: model.rho };
  };
  if (variant === 'static') return setup.testFit.map((g) => predict(setup.preSeason, g));
  // Rolling: refit before every match day on everything strictly earlier (warm-started).
  const all = [...setup.train, ...setup.testFit];
  const out: Prediction[] = [];
  let model = setup.preSeason;
  let currentDay = setup.testFit[0].day;
  for (const g of setup.testFit) {
    if (g.day !== currentDay) {
      currentDay = g.day;
      model = fitTeamModel(
        all,
        nTeams,
        { ...hyper, referenceDay: g.day, priorAttack: setup.priorAttack, priorDefence: setup.priorDefence },
        model.theta,
      );
    }
    out.push(predict(model, g));
  }
  return out;
}

function meanLogLoss(records: readonly MatchRecord[], preds: readonly Prediction[]): number {
  let s = 0;
  for (let i = 0; i < records.length; i++) s += logLoss(preds[i].probs, OUTCOME_INDEX[records[i].result]);
  return s / records.length;
}

function selectHyper(records: MatchRecord[], teams: TeamIndex, variant: Variant): { hyper: Hyper; logLoss: number } {
  let best: { hyper: Hyper; logLoss: number } | null = null;
  for (const decayPerDay of GRID_DECAY) {
    for (const ridge of GRID_RIDGE) {
      for (const ghostSplit of GRID_GHOST) {
        const hyper = { decayPerDay, ridge, ghostSplit };
        const setup = setupSeason(records, VALIDATION_TRAIN, VALIDATION, teams, hyper);
        const ll = meanLogLoss(setup.test, predictSeason(setup, hyper, variant, teams.names.length));
        if (!best || ll < best.logLoss - 1e-12) best = { hyper, logLoss: ll };
      }
    }
  }
  return best!;
}

// ---- scoring ---------------------------------------------------------------------------------

interface ScoreRow {
  league: string;
  predictor: string;
  logLoss: MeanWithError;
  brier: MeanWithError;
  perMatchLogLoss: number[];
  perMatchBrier: number[];
}

function score(
  league: string,
  predictor: string,
  records: readonly MatchRecord[],
  probsOf: (m: MatchRecord, i: number) => readonly number[] | null,
  observedOf: (m: MatchRecord) => number = (m) => OUTCOME_INDEX[m.result],
): ScoreRow {
  const ll: number[] = [];
  const br: number[] = [];
  records.forEach((m, i) => {
    const p = probsOf(m, i);
    if (!p) return;
    ll.push(logLoss(p, observedOf(m)));
    br.push(brierScore(p, observedOf(m)));
  });
  return { league, predictor, logLoss: meanWithError(ll), brier: meanWithError(br), perMatchLogLoss: ll, perMatchBrier: br };
}

function combine(league: string, rows: ScoreRow[]): ScoreRow {
  const ll = rows.flatMap((r) => r.perMatchLogLoss);
  const br = rows.flatMap((r) => r.perMatchBrier);
  return {
    league,
    predictor: rows[0].predictor,
    logLoss: meanWithError(ll),
    brier: meanWithError(br),
    perMatchLogLoss: ll,
    perMatchBrier: br,
  };
}

function pairedDifference(a: ScoreRow, b: ScoreRow): MeanWithError {
  if (a.perMatchLogLoss.length !== b.perMatchLogLoss.length) throw new Error('paired rows differ in length');
  return meanWithError(a.perMatchLogLoss.map((v, i) => v - b.perMatchLogLoss[i]));
}

// ---- main ------------------------------------------------------------------------------------

const f4 = (x: number) => x.toFixed(4);
const f3 = (x: number) => x.toFixed(3);

function firstHalfShare(records: readonly MatchRecord[]): number {
  let ht = 0;
  let ft = 0;
  for (const m of records) {
    if (m.halfTimeHomeGoals === null || m.halfTimeAwayGoals === null) continue;
    ht += m.halfTimeHomeGoals + m.halfTimeAwayGoals;
    ft += m.homeGoals + m.awayGoals;
  }
  return ht / ft;
}

function main(): void {
  const started = performance.now();
  const resultRows: ScoreRow[] = [];
  const totalsRows: ScoreRow[] = [];
  const paramLines: string[] = [];
  const diffLines: string[] = [];
  const selectionLines: string[] = [];
  const fitted: FittedStrengths = { generatedBy: 'scripts/fit-pricing.ts', intensitySlope: 0, leagues: {} };
  const byLeagueRows = new Map<string, ScoreRow[]>();
  const trainingRecords: MatchRecord[] = [];

  for (const league of LEAGUES) {
    const records = loadLeague(league.code);
    trainingRecords.push(...records.filter((m) => TRAIN.includes(m.season as (typeof TRAIN)[number])));
    const teams = new TeamIndex();
    for (const m of records) {
      teams.id(m.homeTeam);
      teams.id(m.awayTeam);
    }
    const n = teams.names.length;

    const chosen: Record<Variant, { hyper: Hyper; logLoss: number }> = {
      static: selectHyper(records, teams, 'static'),
      rolling: selectHyper(records, teams, 'rolling'),
    };
    for (const v of ['static', 'rolling'] as const) {
      const h = chosen[v].hyper;
      selectionLines.push(
        `| ${league.code} | ${v} | ${h.decayPerDay} | ${h.ridge} | ${h.ghostSplit ? 'yes' : 'no'} | ${f4(chosen[v].logLoss)} |`,
      );
    }

    const staticSetup = setupSeason(records, TRAIN, HELD_OUT, teams, chosen.static.hyper);
    const rollingSetup = setupSeason(records, TRAIN, HELD_OUT, teams, chosen.rolling.hyper);
    const ablationSetup = setupSeason(records, TRAIN, HELD_OUT, teams, chosen.static.hyper, 'average');
    const test = staticSetup.test;
    const staticPreds = predictSeason(staticSetup, chosen.static.hyper, 'static', n);
    const rollingPreds = predictSeason(rollingSetup, chosen.rolling.hyper, 'rolling', n);
    const ablationPreds = predictSeason(ablationSetup, chosen.static.hyper, 'static', n);

    const trainRecords = records.filter((m) => (TRAIN as readonly string[]).includes(m.season));
    const baseRates = [0, 1, 2].map(
      (k) => trainRecords.filter((m) => OUTCOME_INDEX[m.result] === k).length / trainRecords.length,
    );

    const rows: ScoreRow[] = [
      score(league.code, 'Model, static (fit once on 2019-22)', test, (_m, i) => staticPreds[i].probs),
      score(league.code, 'Model, rolling (refit before each match day)', test, (_m, i) => rollingPreds[i].probs),
      score(league.code, 'Model, static, promoted = league average (ablation)', test, (_m, i) => ablationPreds[i].probs),
      score(league.code, 'Base rates (training H/D/A frequencies)', test, () => baseRates),
      score(league.code, 'Pinnacle pre-closing, proportional', test, (m) => (m.pinnacle ? removeMarginProportional(m.pinnacle) : null)),
      score(league.code, 'Pinnacle closing, proportional', test, (m) => (m.pinnacleClosing ? removeMarginProportional(m.pinnacleClosing) : null)),
      score(league.code, 'Pinnacle closing, Shin', test, (m) => (m.pinnacleClosing ? removeMarginShin(m.pinnacleClosing) : null)),
      score(league.code, 'Pinnacle closing, power', test, (m) => (m.pinnacleClosing ? removeMarginPower(m.pinnacleClosing) : null)),
    ];
    resultRows.push(...rows);
    byLeagueRows.set(league.code, rows);

    const shin = rows[6];
    for (const [label, row] of [
      ['static', rows[0]],
      ['rolling', rows[1]],
    ] as const) {
      if (row.perMatchLogLoss.length === shin.perMatchLogLoss.length) {
        const d = pairedDifference(row, shin);
        diffLines.push(`| ${league.code} | ${label} − Pinnacle closing (Shin) | ${f4(d.mean)} | ${f4(d.se)} | ${d.n} |`);
      }
    }

    // Over/under 2.5 from the same score matrix vs Pinnacle closing totals. Observed index 0 = over.
    const overOf = (preds: Prediction[]) => (_m: MatchRecord, i: number) => {
      const p = overProb(preds[i].lambdaHome, preds[i].lambdaAway, preds[i].rho);
      return [p, 1 - p];
    };
    const obsOver = (m: MatchRecord) => (m.homeGoals + m.awayGoals > 2.5 ? 0 : 1);
    const withTotals = test.filter((m) => m.pinnacleClosingTotals);
    const idx = test.map((m, i) => (m.pinnacleClosingTotals ? i : -1)).filter((i) => i >= 0);
    const sub = (preds: Prediction[]) => idx.map((i) => preds[i]);
    totalsRows.push(
      score(league.code, 'Model, static', withTotals, overOf(sub(staticPreds)), obsOver),
      score(league.code, 'Model, rolling', withTotals, overOf(sub(rollingPreds)), obsOver),
      score(league.code, 'Pinnacle closing O/U 2.5, proportional', withTotals, (m) => removeMarginProportional(m.pinnacleClosingTotals!), obsOver),
      score(league.code, 'Pinnacle closing O/U 2.5, Shin', withTotals, (m) => removeMarginShin(m.pinnacleClosingTotals!), obsOver),
      score(league.code, 'Pinnacle closing O/U 2.5, power', withTotals, (m) => removeMarginPower(m.pinnacleClosingTotals!), obsOver),
    );

    const pre = staticSetup.preSeason;
    const meanLh = staticPreds.reduce((s, p) => s + p.lambdaHome, 0) / staticPreds.length;
    const meanLa = staticPreds.reduce((s, p) => s + p.lambdaAway, 0) / staticPreds.length;
    const actualH = test.reduce((s, m) => s + m.homeGoals, 0) / test.length;
    const actualA = test.reduce((s, m) => s + m.awayGoals, 0) / test.length;
    paramLines.push(
      `| ${league.code} | ${f3(pre.rho)} | ${f3(Math.exp(pre.home))} | ${chosen.static.hyper.ghostSplit ? f3(Math.exp(pre.homeGhost)) : '—'} | ${f3(meanLh)} / ${f3(meanLa)} | ${f3(actualH)} / ${f3(actualA)} | ${staticSetup.promoted.map((t) => teams.names[t]).join(', ')} |`,
    );

    // Strengths for the simulator: refit on all four seasons with the static hyper-parameters.
    const allFit = records.map((m) => toFitMatch(m, teams));
    const lastDay = records[records.length - 1].day + 1;
    const final = fitTeamModel(allFit, n, { ...chosen.static.hyper, referenceDay: lastDay });
    const lastSeasonTeams = [...teamsOf(records.filter((m) => m.season === HELD_OUT), teams)];
    const ranked = [...lastSeasonTeams].sort(
      (a, b) => final.attack[a] + final.defence[a] - (final.attack[b] + final.defence[b]),
    );
    const weakest = ranked.slice(0, 3);
    const lastSeasonMatches = records.filter((m) => m.season === HELD_OUT).map((m) => toFitMatch(m, teams));
    let sumH = 0;
    let sumA = 0;
    for (const g of lastSeasonMatches) {
      const [lh, la] = expectedGoalsFor(final, g.home, g.away);
      sumH += lh;
      sumA += la;
    }
    const round4 = (x: number) => Math.round(x * 1e4) / 1e4;
    const entry: LeagueStrengths = {
      league: league.code,
      fittedThrough: HELD_OUT,
      intercept: round4(final.intercept),
      homeAdvantage: round4(final.home),
      rho: round4(final.rho),
      promotedPrior: {
        attack: round4(weakest.reduce((s, t) => s + final.attack[t], 0) / weakest.length),
        defence: round4(weakest.reduce((s, t) => s + final.defence[t], 0) / weakest.length),
      },
      typicalLambda: { home: round4(sumH / lastSeasonMatches.length), away: round4(sumA / lastSeasonMatches.length) },
      teams: Object.fromEntries(
        lastSeasonTeams
          .sort((a, b) => teams.names[a].localeCompare(teams.names[b]))
          .map((t) => [teams.names[t], { attack: round4(final.attack[t]), defence: round4(final.defence[t]) }]),
      ),
    };
    fitted.leagues[league.code] = entry;
  }

  const share = firstHalfShare(trainingRecords);
  const beta = 8 * (0.5 - share);
  fitted.intensitySlope = Math.round(beta * 1000) / 1000;

  // Both leagues pooled, match by match.
  const e0 = byLeagueRows.get('E0')!;
  const sp1 = byLeagueRows.get('SP1')!;
  const pooled = e0.map((row, i) => combine('both', [row, sp1[i]]));

  const table = (rows: ScoreRow[]) =>
    [
      '| league | predictor | n | log-loss | ± s.e. | Brier |',
      '|---|---|---:|---:|---:|---:|',
      ...rows.map(
        (r) => `| ${r.league} | ${r.predictor} | ${r.logLoss.n} | ${f4(r.logLoss.mean)} | ${f4(r.logLoss.se)} | ${f4(r.brier.mean)} |`,
      ),
    ].join('\n');

  const markdown = [
    `Generated by \`npx tsx scripts/fit-pricing.ts\` from the CSVs in \`../shared/data/football\`; training seasons ${TRAIN.join(', ')}, held-out season ${HELD_OUT}. Deterministic: rerunning gives the same numbers.`,
    '',
    `### Held-out 1X2, ${HELD_OUT} (lower is better)`,
    '',
    table([...resultRows, ...pooled]),
    '',
    'Log-loss is the mean of −ln p(observed result) (uniform guessing scores ln 3 = 1.0986); Brier is the multi-class score Σₖ(pₖ − oₖ)² (uniform: 0.6667). "± s.e." is the standard error of the mean over matches.',
    '',
    '### Paired log-loss difference, model − market (positive = market better)',
    '',
    '| league | comparison | mean difference | s.e. | n |',
    '|---|---|---:|---:|---:|',
    ...diffLines,
    '',
    `### Held-out over/under 2.5 goals, ${HELD_OUT} (binary log-loss; Brier in the two-class form Σₖ(pₖ − oₖ)²)`,
    '',
    table(totalsRows),
    '',
    '### Hyper-parameters chosen on the validation season (fit 2019-21, score 2021-22 by 1X2 log-loss)',
    '',
    `Grid: ξ ∈ {${GRID_DECAY.join(', ')}} per day, κ ∈ {${GRID_RIDGE.join(', ')}}, separate ghost-game home advantage ∈ {no, yes}.`,
    '',
    '| league | variant | ξ (per day) | κ | ghost split | validation log-loss |',
    '|---|---|---:|---:|---|---:|',
    ...selectionLines,
    '',
    '### Fitted values (static fit on 2019-22, as used for the held-out season)',
    '',
    '| league | rho | home advantage (× goals) | ghost-game home advantage | mean predicted λ home / away | actual mean goals home / away | promoted teams (prior) |',
    '|---|---:|---:|---:|---:|---:|---|',
    ...paramLines,
    '',
    `First-half share of goals in the training seasons (both leagues): ${f4(share)} → intensity slope β = 8·(½ − share) = ${f3(beta)} (engine default DEFAULT_INTENSITY_SLOPE = 0.4).`,
  ].join('\n');

  console.log(markdown);
  console.log(`\n(fit and evaluation took ${((performance.now() - started) / 1000).toFixed(1)} s)`);
  if (DRY_RUN) return;

  writeFileSync(JSON_PATH, `${JSON.stringify(fitted, null, 2)}\n`);
  const begin = '<!-- fit-pricing:begin -->';
  const end = '<!-- fit-pricing:end -->';
  const doc = existsSync(DOC_PATH) ? readFileSync(DOC_PATH, 'utf8') : `# Pricing\n\n## Results\n\n${begin}\n${end}\n`;
  const a = doc.indexOf(begin);
  const b = doc.indexOf(end);
  if (a < 0 || b < a) throw new Error(`${DOC_PATH} lacks the ${begin} … ${end} markers`);
  writeFileSync(DOC_PATH, `${doc.slice(0, a + begin.length)}\n${markdown}\n${doc.slice(b)}`);
  console.log(`wrote ${JSON_PATH} and the results section of ${DOC_PATH}`);
}

main();
