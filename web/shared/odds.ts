/** The player's odds format preference and the display of an integer priceMilli in it. */
import { formatAmerican, formatDecimal, formatFractional } from '../../actors/odds/formats.ts';

export type OddsFormat = 'decimal' | 'fractional' | 'american';
export const ODDS_FORMATS: readonly OddsFormat[] = ['decimal', 'fractional', 'american'];
const KEY = 'casino.oddsFormat';

export function oddsFormat(): OddsFormat {
  const v = localStorage.getItem(KEY);
  return (ODDS_FORMATS as readonly string[]).includes(v ?? '') ? (v as OddsFormat) : 'decimal';
}

export function setOddsFormat(f: OddsFormat): void {
  localStorage.setItem(KEY, f);
}

export function formatOdds(priceMilli: number, format: OddsFormat = oddsFormat()): string {
  if (priceMilli <= 1000) return '–';
  return format === 'fractional' ? formatFractional(priceMilli) : format === 'american' ? formatAmerican(priceMilli) : formatDecimal(priceMilli);
}
