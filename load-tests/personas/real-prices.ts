/**
 * Real 1X2 prices for the simulated matches: football-data.co.uk rows (../shared/data/football,
 * or PRICING_DATA_DIR) with Pinnacle's pre-closing prices (PSH/PSD/PSA, taken days before the
 * match) and closing prices (PSCH/PSCD/PSCA), and the real result. Honest bettors take the
 * pre-closing price of whatever they back; the sharp bettor backs the selection whose price the
 * market then shortened the most — real line moves, so closing-line value is measured on real
 * price paths rather than on a drawn number.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseFootballDataCsv } from '../../server/pricing/football-data-csv.ts';

export type Side = 'home' | 'draw' | 'away';

export interface RealMarket {
  early: Record<Side, number>;
  closing: Record<Side, number>;
  result: Side;
}

const milli = (odds: number) => Math.max(1010, Math.round(odds * 1000));

/** Every match of the directory's CSVs with both price sets (empty when the directory is absent). */
export function loadRealMarkets(dir = path.resolve(process.env.PRICING_DATA_DIR || '../shared/data/football')): RealMarket[] {
  if (!fs.existsSync(dir)) return [];
  const out: RealMarket[] = [];
  for (const file of fs.readdirSync(dir).filter((f) => /^[A-Z0-9]+-\d{4}-\d{2}\.csv$/.test(f)).sort()) {
    const [league, season] = [file.split('-')[0]!, file.slice(file.indexOf('-') + 1, -4)];
    for (const m of parseFootballDataCsv(fs.readFileSync(path.join(dir, file), 'utf8'), { league, season }).matches) {
      if (!m.pinnacle || !m.pinnacleClosing) continue;
      const [eh, ed, ea] = m.pinnacle;
      const [ch, cd, ca] = m.pinnacleClosing;
      out.push({ early: { home: milli(eh), draw: milli(ed), away: milli(ea) }, closing: { home: milli(ch), draw: milli(cd), away: milli(ca) }, result: m.result === 'H' ? 'home' : m.result === 'D' ? 'draw' : 'away' });
    }
  }
  return out;
}
