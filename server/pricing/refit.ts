/**
 * The refit: every `<league>-<season>.csv` (football-data.co.uk format) in the data directory →
 * a versioned pricing model (actors/odds/pricing-model.ts). Past matches' Pinnacle closing prices,
 * de-margined by the power method, are the ratings' targets and decide ρ; the hyper-parameters are
 * the backtest's choice for its latest season (docs/PRICING.md). The reference day is the day after
 * the last match in the data, so the same data always gives the same model and version, on every
 * process of a cluster.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fitLeagueModel, removeMargin, type LeagueModel, type ModelMatch, type PricingModel, type RatingHyper } from '../../actors/odds/index.ts';
import { DEFAULT_MARKET_WEIGHT } from '../../actors/sportsbook/config.ts';
import { parseFootballDataCsv } from './football-data-csv.ts';

/** The backtest's choice for its latest season (docs/PRICING.md, "Hyper-parameters chosen"). */
export const SERVER_RATING_HYPER: RatingHyper = Object.freeze({ decayPerDay: 0.015, ridge: 1, marketShare: 1, marketWeight: 3, levelDecayPerDay: 0, ghostSplit: true });

/** Matches behind closed doors (COVID): June 2020 to the end of 2020-21. */
const GHOST_FROM = '2020-06-01';
const GHOST_TO = '2021-07-31';
const FILE = /^([A-Za-z0-9]+)-(\d{4}-\d{2})\.csv$/;
/** Bounds on what one refit reads. */
const MAX_FILES = 200;
const MAX_FILE_BYTES = 5_000_000;

export function loadModelMatches(dataDir: string): Map<string, ModelMatch[]> {
  const byLeague = new Map<string, ModelMatch[]>();
  const files = readdirSync(dataDir).filter((f) => FILE.test(f)).sort().slice(0, MAX_FILES);
  for (const file of files) {
    const [, league, season] = FILE.exec(file)!;
    const text = readFileSync(join(dataDir, file), 'utf8');
    if (text.length > MAX_FILE_BYTES) throw new Error(`refit: ${file} is larger than ${MAX_FILE_BYTES} bytes`);
    const { matches } = parseFootballDataCsv(text, { league, season });
    const list = byLeague.get(league) ?? [];
    for (const m of matches) {
      const closing = m.pinnacleClosing
        ? { result: removeMargin(m.pinnacleClosing) as [number, number, number], over: m.pinnacleClosingTotals ? removeMargin(m.pinnacleClosingTotals)[0] : undefined }
        : undefined;
      list.push({ day: m.day, date: m.date, season, home: m.homeTeam, away: m.awayTeam, homeGoals: m.homeGoals, awayGoals: m.awayGoals, ghost: m.date >= GHOST_FROM && m.date <= GHOST_TO, closing });
    }
    byLeague.set(league, list);
  }
  for (const list of byLeague.values()) list.sort((a, b) => a.day - b.day);
  return byLeague;
}

export function buildPricingModel(data: Map<string, ModelMatch[]>, fittedAt: number, hyper: RatingHyper = SERVER_RATING_HYPER, marketWeight = DEFAULT_MARKET_WEIGHT): PricingModel {
  if (data.size === 0) throw new Error('refit: no match data');
  const leagues: Record<string, LeagueModel> = {};
  for (const [league, matches] of [...data].sort(([a], [b]) => a.localeCompare(b))) {
    if (matches.length === 0) continue;
    const referenceDay = matches[matches.length - 1].day + 1;
    leagues[league] = fitLeagueModel(league, matches, referenceDay, hyper);
  }
  const lastDate = Object.values(leagues).reduce((d, l) => (l.lastMatchDate > d ? l.lastMatchDate : d), '');
  const hash = createHash('sha256').update(JSON.stringify({ hyper, marketWeight, leagues })).digest('hex').slice(0, 10);
  return { version: `${lastDate}-${hash}`, fittedAt, hyper: { ...hyper }, marketWeight, leagues };
}

export function refitFromDirectory(dataDir: string, fittedAt: number): PricingModel {
  return buildPricingModel(loadModelMatches(dataDir), fittedAt);
}
