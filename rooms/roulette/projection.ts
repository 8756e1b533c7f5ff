/** Copies the table actor's state into the synced schema, touching only what changed. */
import { spotKey, type RouletteEvent, type TableState } from '../../actors/roulette/index.ts';
import type { TableSchema } from './schema.ts';

/** `events` are what changed since the last projection; null projects everything (on create). */
export function projectTable(s: TableSchema, t: TableState, events: readonly RouletteEvent[] | null): void {
  const round = t.round;
  s.phase = t.phase;
  s.roundId = round?.roundId ?? '';
  s.roundNumber = round?.number ?? 0;
  s.deadline = t.phase === 'betting' ? round!.closesAt : t.phase === 'closed' ? round!.closesAt + t.config.spinMs : (t.nextOpenAt ?? 0);
  s.serverSeedHash = round?.serverSeedHash ?? '';
  const revealed = round !== null && (round.pocket !== null || t.phase === 'voided');
  s.serverSeed = revealed ? round!.serverSeed : '';
  s.clientSeed = round?.clientSeed ?? '';
  s.pocket = round?.pocket ?? -1;
  s.minBetMinor = t.config.minBetMinor;
  s.maxBetMinor = t.config.maxBetMinor;

  const pockets = t.history.map((h) => h.pocket);
  if (pockets.length !== s.history.length || pockets.some((p, i) => s.history[i] !== p)) {
    s.history.clear();
    s.history.push(...pockets);
  }
  s.betCount = t.phase === 'voided' ? 0 : (round?.bets.length ?? 0);
  if (events === null) return rebuildTotals(s, t);
  for (const e of events) {
    if (e.type === 'RoundOpened' || e.type === 'RoundVoided') s.totals.clear();
    else if (e.type === 'BetPlaced' || e.type === 'BetRemoved') {
      const k = spotKey(e.spot);
      const v = (s.totals.get(k) ?? 0) + (e.type === 'BetPlaced' ? e.stakeMinor : -e.stakeMinor);
      if (v > 0) s.totals.set(k, v);
      else s.totals.delete(k);
    }
  }
}

function rebuildTotals(s: TableSchema, t: TableState): void {
  s.totals.clear();
  if (t.phase === 'voided') return;
  for (const b of t.round?.bets ?? []) {
    const k = spotKey(b.spot);
    s.totals.set(k, (s.totals.get(k) ?? 0) + b.stakeMinor);
  }
}
