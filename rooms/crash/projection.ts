/**
 * Copies the crash actor's state into the synced schema. The player list holds the bets with the
 * largest stakes (at most `listSize`), kept incrementally: a bet enters when it outstakes the
 * smallest listed one, and listed bets follow their cash-outs, so a round of thousands of bets
 * costs O(listSize) per event, not a sort.
 */
import type { ArraySchema } from '@colyseus/schema';
import { liabilityCapCents, type CrashBet, type CrashEvent, type CrashTableState } from '../../actors/crash/index.ts';
import { CrashPlayerSchema, type CrashSchema } from './schema.ts';

export interface ProjectionContext {
  listSize: number;
  nameOf: (playerId: string) => string;
}

/** `events` are what changed since the last projection; null projects everything (on create). */
export function projectCrash(s: CrashSchema, t: CrashTableState, events: readonly CrashEvent[] | null, ctx: ProjectionContext): void {
  const round = t.round;
  const revealed = round !== null && (t.phase === 'crashed' || t.phase === 'voided');
  s.phase = t.phase;
  s.roundId = round?.roundId ?? '';
  s.roundNumber = round?.number ?? 0;
  s.startsAt = round?.startsAt ?? 0;
  s.nextRoundAt = t.nextOpenAt ?? 0;
  s.crashCents = revealed && t.phase === 'crashed' ? round!.crashCents : 0;
  s.crashElapsedMs = revealed && t.phase === 'crashed' ? round!.crashElapsedMs : 0;
  s.instant = revealed && t.phase === 'crashed' ? round!.instant : false;
  s.roundHash = revealed ? round!.roundHash : '';
  s.chainIndex = round?.chainIndex ?? 0;
  s.terminalHash = t.chain?.terminalHash ?? '';
  s.salt = t.chain?.salt ?? '';
  s.minBetMinor = t.config.minBetMinor;
  s.maxBetMinor = t.config.maxBetMinor;
  s.maxPayoutPerBetMinor = t.config.maxPayoutPerBetMinor;
  s.liabilityCapMinor = t.config.liabilityCapMinor;
  const bets = round?.bets ?? [];
  s.betCount = t.phase === 'voided' ? 0 : bets.length;
  s.inCount = t.phase === 'voided' ? 0 : bets.length - bets.filter((b) => b.cashedOutCents !== null).length;
  s.totalStakeMinor = t.phase === 'voided' ? 0 : bets.reduce((sum, b) => sum + b.stakeMinor, 0);
  s.totalPayoutMinor = t.phase === 'voided' ? 0 : bets.reduce((sum, b) => sum + b.payoutMinor, 0);
  s.capCents = round && (t.phase === 'betting' || t.phase === 'running') ? (liabilityCapCents(t.config, round.stakeInMinor) ?? 0) : 0;
  const points = t.history.map((h) => h.crashCents);
  if (points.length !== s.history.length || points.some((p, i) => s.history[i] !== p)) {
    s.history.clear();
    s.history.push(...points);
  }
  if (events === null) return rebuildList(s, bets, ctx);
  for (const e of events) {
    if (e.type === 'RoundOpened' || e.type === 'RoundVoided') s.players.clear();
    else if (e.type === 'BetPlaced') admit(s.players, e, ctx);
    else if (e.type === 'CashedOut') {
      const byBet = new Map(e.cashOuts.map((c) => [c.betId, c]));
      for (const row of s.players) {
        const c = byBet.get(row.betId);
        if (!c) continue;
        row.cashedOutCents = e.multiplierCents;
        row.payoutMinor = c.payoutMinor;
        row.reason = e.reason;
      }
    }
  }
}

function row(b: Pick<CrashBet, 'betId' | 'playerId' | 'stakeMinor' | 'autoCashOutCents'> & Partial<CrashBet>, ctx: ProjectionContext): CrashPlayerSchema {
  const r = new CrashPlayerSchema();
  r.betId = b.betId;
  r.name = ctx.nameOf(b.playerId);
  r.stakeMinor = b.stakeMinor;
  r.autoCashOutCents = b.autoCashOutCents ?? 0;
  r.cashedOutCents = b.cashedOutCents ?? 0;
  r.payoutMinor = b.payoutMinor ?? 0;
  r.reason = b.reason ?? '';
  return r;
}

/** Inserts a bet in stake order (largest first) when it belongs in the top `listSize`. */
function admit(list: ArraySchema<CrashPlayerSchema>, b: Pick<CrashBet, 'betId' | 'playerId' | 'stakeMinor' | 'autoCashOutCents'>, ctx: ProjectionContext): void {
  if (list.length >= ctx.listSize && list[list.length - 1]!.stakeMinor >= b.stakeMinor) return;
  let at = list.length;
  while (at > 0 && list[at - 1]!.stakeMinor < b.stakeMinor) at--;
  list.splice(at, 0, row(b, ctx));
  while (list.length > ctx.listSize) list.pop();
}

function rebuildList(s: CrashSchema, bets: readonly CrashBet[], ctx: ProjectionContext): void {
  s.players.clear();
  const top = [...bets].sort((a, b) => b.stakeMinor - a.stakeMinor).slice(0, ctx.listSize);
  s.players.push(...top.map((b) => row(b, ctx)));
}
