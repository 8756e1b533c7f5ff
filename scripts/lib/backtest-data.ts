/**
 * Backtest data: every `<league>-<season>.csv` (football-data.co.uk format) in a directory, grouped
 * by league in season order, with each match's Pinnacle prices de-margined once.
 *
 * Market input vs benchmark. football-data.co.uk records Pinnacle twice: PSH/PSD/PSA and P>2.5/P<2.5
 * when the file is compiled (Friday afternoon for weekend fixtures, Tuesday for midweek ones:
 * "pre-closing"), and PSCH/PSCD/PSCA and PC>2.5/PC<2.5 at kick-off ("closing"). The backtest feeds
 * the pre-closing prices to the engine as its market input for a match, and scores everything
 * against the closing prices; closing prices of *past* matches are what the ratings learn from.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { removeMargin, type MarginRemovalMethod } from '../../actors/odds/index.ts';
import { parseFootballDataCsv, type MatchRecord } from '../../server/pricing/football-data-csv.ts';

/** Matches behind closed doors: the COVID restart (June 2020) to the end of 2020-21 (approximate). */
export const GHOST_FROM = '2020-06-01';
export const GHOST_TO = '2021-07-31';

export interface Fair {
  /** Home, draw, away. */
  result: [number, number, number];
  /** P(over 2.5), when the over/under prices exist. */
  over: number | null;
}

export interface BacktestMatch {
  index: number;
  record: MatchRecord;
  /** Index of the season in the league's season list. */
  season: number;
  home: number;
  away: number;
  ghost: boolean;
  /** Pinnacle closing, de-margined (the benchmark; past matches' ratings targets). */
  closing: Fair | null;
  /** Pinnacle pre-closing, de-margined (the market input). */
  preClosing: Fair | null;
  /**
   * Days from when the pre-closing prices were taken to kick-off (their age at the close; see
   * inputAgeDays).
   */
  inputAgeDays: number;
  /** Raw closing decimal odds, for the sharp-bettor evaluation. */
  closingOdds: readonly [number, number, number] | null;
  closingTotalsOdds: readonly [number, number] | null;
}

export interface LeagueData {
  league: string;
  seasons: string[];
  teams: string[];
  /** Sorted by day, then file order. */
  matches: BacktestMatch[];
  skipped: string[];
}

/** When football-data.co.uk takes its pre-closing prices: Friday afternoon for Friday–Monday fixtures, Tuesday afternoon for Tuesday–Thursday ones. */
const COLLECTED_AT_HOUR = 15;
const DAYS_SINCE_COLLECTION = [2, 3, 0, 1, 2, 0, 1]; // by kick-off weekday, Sunday = 0

/**
 * Age of the pre-closing prices at kick-off, in days, from the match's date and kick-off time (UK
 * local time, 15:00 when the file has none) and the collection rule above (an afternoon is taken as
 * 15:00). Both times are UK local, so the age needs no time zone.
 */
export function inputAgeDays(date: string, kickOff: string | null): number {
  const weekday = new Date(`${date}T12:00:00Z`).getUTCDay();
  const [h, m] = (kickOff ?? '15:00').split(':').map(Number);
  return Math.max(0, DAYS_SINCE_COLLECTION[weekday] + (h + m / 60 - COLLECTED_AT_HOUR) / 24);
}

const FILE = /^([A-Za-z0-9]+)-(\d{4}-\d{2})\.csv$/;

/** Leagues and their seasons found in `dir`, sorted. */
export function discover(dir: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const name of readdirSync(dir).sort()) {
    const m = FILE.exec(name);
    if (!m) continue;
    const list = out.get(m[1]) ?? [];
    list.push(m[2]);
    out.set(m[1], list);
  }
  for (const list of out.values()) list.sort();
  return out;
}

function fair(odds: readonly [number, number, number] | null, totals: readonly [number, number] | null, removal: MarginRemovalMethod): Fair | null {
  if (!odds) return null;
  return {
    result: removeMargin(odds, removal) as [number, number, number],
    over: totals ? removeMargin(totals, removal)[0] : null,
  };
}

export function loadLeague(dir: string, league: string, seasons: readonly string[], removal: MarginRemovalMethod = 'power'): LeagueData {
  const records: Array<{ record: MatchRecord; season: number }> = [];
  const skipped: string[] = [];
  seasons.forEach((season, s) => {
    const parsed = parseFootballDataCsv(readFileSync(join(dir, `${league}-${season}.csv`), 'utf8'), { league, season });
    for (const k of parsed.skipped) skipped.push(`${league} ${season} line ${k.line}: ${k.reason}`);
    for (const record of parsed.matches) records.push({ record, season: s });
  });
  records.sort((a, b) => a.record.day - b.record.day || a.season - b.season);
  const teams: string[] = [];
  const ids = new Map<string, number>();
  const id = (name: string) => {
    let i = ids.get(name);
    if (i === undefined) {
      i = teams.length;
      teams.push(name);
      ids.set(name, i);
    }
    return i;
  };
  const matches = records.map(({ record, season }, index): BacktestMatch => ({
    index,
    record,
    season,
    home: id(record.homeTeam),
    away: id(record.awayTeam),
    ghost: record.date >= GHOST_FROM && record.date <= GHOST_TO,
    closing: fair(record.pinnacleClosing, record.pinnacleClosingTotals, removal),
    preClosing: fair(record.pinnacle, record.pinnacleTotals, removal),
    inputAgeDays: inputAgeDays(record.date, record.kickOff),
    closingOdds: record.pinnacleClosing,
    closingTotalsOdds: record.pinnacleClosingTotals,
  }));
  return { league, seasons: [...seasons], teams, matches, skipped };
}

/** Match days (distinct days) in order, each with its matches. */
export function matchDays(matches: readonly BacktestMatch[]): Array<{ day: number; matches: BacktestMatch[] }> {
  const out: Array<{ day: number; matches: BacktestMatch[] }> = [];
  for (const m of matches) {
    const last = out[out.length - 1];
    if (last && last.day === m.record.day) last.matches.push(m);
    else out.push({ day: m.record.day, matches: [m] });
  }
  return out;
}
