/**
 * Parser for football-data.co.uk result/odds CSVs (the files in ../shared/data/football).
 * Tolerates a UTF-8 BOM, CRLF line ends, quoted fields, whole numbers written as "10.0", and
 * blank odds cells (odds become null). Rows without a usable result are skipped with a reason.
 */

export type Outcome = 'H' | 'D' | 'A';
export type Triple = readonly [number, number, number];

export interface MatchRecord {
  league: string;
  season: string;
  /** ISO date (yyyy-mm-dd) and whole days since 1970-01-01 (UTC), for ordering and time decay. */
  date: string;
  day: number;
  /** Kick-off time of day as written (UK local time, 'HH:MM'), or null when the file has none. */
  kickOff: string | null;
  homeTeam: string;
  awayTeam: string;
  homeGoals: number;
  awayGoals: number;
  result: Outcome;
  halfTimeHomeGoals: number | null;
  halfTimeAwayGoals: number | null;
  /** Pinnacle closing 1X2 (PSCH/PSCD/PSCA) and pre-closing (PSH/PSD/PSA) decimal odds. */
  pinnacleClosing: Triple | null;
  pinnacle: Triple | null;
  /** Pinnacle closing over/under 2.5 goals (PC>2.5, PC<2.5). */
  pinnacleClosingTotals: readonly [number, number] | null;
  /** Pinnacle pre-closing over/under 2.5 goals (P>2.5, P<2.5), taken when the file was compiled. */
  pinnacleTotals: readonly [number, number] | null;
}

export interface SkippedRow {
  line: number;
  reason: string;
}

const TIME_OF_DAY = /^([01]?\d|2[0-3]):([0-5]\d)$/;

/** 'HH:MM' (24 h) or null. */
export function parseTimeOfDay(raw: string | undefined): string | null {
  const m = TIME_OF_DAY.exec((raw ?? '').trim());
  return m ? `${m[1].padStart(2, '0')}:${m[2]}` : null;
}

/** RFC 4180-style split into rows of fields; blank lines are dropped. */
export function parseCsv(text: string): string[][] {
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (quoted) {
      if (c === '"' && src[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && src[i + 1] === '\n') i++;
      row.push(field);
      if (row.length > 1 || row[0] !== '') rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    if (row.length > 1 || row[0] !== '') rows.push(row);
  }
  return rows;
}

/** dd/mm/yyyy or dd/mm/yy → { iso, day } or null. */
export function parseDayMonthYear(value: string): { iso: string; day: number } | null {
  const m = /^(\d{1,2})\/(\d{1,2})\/(\d{2}|\d{4})$/.exec(value.trim());
  if (!m) return null;
  const d = Number(m[1]);
  const mo = Number(m[2]);
  const y = m[3].length === 2 ? 2000 + Number(m[3]) : Number(m[3]);
  const ms = Date.UTC(y, mo - 1, d);
  const check = new Date(ms);
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) return null;
  return { iso: check.toISOString().slice(0, 10), day: Math.round(ms / 86_400_000) };
}

function parseCount(value: string | undefined): number | null {
  if (value === undefined || value.trim() === '') return null;
  const n = Number(value);
  return Number.isInteger(n) && n >= 0 ? n : null;
}

function parseOdds(value: string | undefined): number | null {
  if (value === undefined || value.trim() === '') return null;
  const n = Number(value);
  return Number.isFinite(n) && n > 1 ? n : null;
}

function oddsGroup(get: (col: string) => string | undefined, cols: string[]): number[] | null {
  const values = cols.map((c) => parseOdds(get(c)));
  return values.every((v) => v !== null) ? (values as number[]) : null;
}

export function parseFootballDataCsv(
  text: string,
  meta: { league: string; season: string },
): { matches: MatchRecord[]; skipped: SkippedRow[] } {
  const rows = parseCsv(text);
  const matches: MatchRecord[] = [];
  const skipped: SkippedRow[] = [];
  if (rows.length === 0) return { matches, skipped };
  const header = rows[0].map((h) => h.trim());
  const index = new Map(header.map((h, i) => [h, i]));
  for (const required of ['Date', 'HomeTeam', 'AwayTeam', 'FTHG', 'FTAG']) {
    if (!index.has(required)) throw new Error(`CSV for ${meta.league} ${meta.season} lacks column ${required}`);
  }
  for (let r = 1; r < rows.length; r++) {
    const cells = rows[r];
    const get = (col: string): string | undefined => {
      const i = index.get(col);
      return i === undefined ? undefined : cells[i];
    };
    const line = r + 1;
    const homeTeam = (get('HomeTeam') ?? '').trim();
    const awayTeam = (get('AwayTeam') ?? '').trim();
    if (!homeTeam || !awayTeam) {
      skipped.push({ line, reason: 'missing team' });
      continue;
    }
    const date = parseDayMonthYear(get('Date') ?? '');
    if (!date) {
      skipped.push({ line, reason: `bad date ${JSON.stringify(get('Date'))}` });
      continue;
    }
    const homeGoals = parseCount(get('FTHG'));
    const awayGoals = parseCount(get('FTAG'));
    if (homeGoals === null || awayGoals === null) {
      skipped.push({ line, reason: 'missing or invalid full-time score' });
      continue;
    }
    const result: Outcome = homeGoals > awayGoals ? 'H' : homeGoals < awayGoals ? 'A' : 'D';
    const reported = (get('FTR') ?? '').trim();
    if (reported !== '' && reported !== result) {
      skipped.push({ line, reason: `FTR ${reported} disagrees with score ${homeGoals}-${awayGoals}` });
      continue;
    }
    const closing = oddsGroup(get, ['PSCH', 'PSCD', 'PSCA']);
    const opening = oddsGroup(get, ['PSH', 'PSD', 'PSA']);
    const totals = oddsGroup(get, ['PC>2.5', 'PC<2.5']);
    const openingTotals = oddsGroup(get, ['P>2.5', 'P<2.5']);
    matches.push({
      league: meta.league,
      season: meta.season,
      date: date.iso,
      day: date.day,
      kickOff: parseTimeOfDay(get('Time')),
      homeTeam,
      awayTeam,
      homeGoals,
      awayGoals,
      result,
      halfTimeHomeGoals: parseCount(get('HTHG')),
      halfTimeAwayGoals: parseCount(get('HTAG')),
      pinnacleClosing: closing ? [closing[0], closing[1], closing[2]] : null,
      pinnacle: opening ? [opening[0], opening[1], opening[2]] : null,
      pinnacleClosingTotals: totals ? [totals[0], totals[1]] : null,
      pinnacleTotals: openingTotals ? [openingTotals[0], openingTotals[1]] : null,
    });
  }
  return { matches, skipped };
}
