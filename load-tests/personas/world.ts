/**
 * The simulated world the fraud personas live in (docs/FRAUD.md, "How the data is made"): a week
 * of football matches with kick-offs, in-play incidents (goals, red cards, penalties) and, per
 * selection, a closing price; and the event builder every persona writes its risk events with.
 * Everything is drawn from one seeded generator, so a seed gives the same world and the same
 * event sequences every time.
 */
import type { RiskEvent } from '../../actors/risk/index.ts';
import { rngFromSeed, type Rng } from '../../actors/sportsbook/rng.ts';
import type { RealMarket } from './real-prices.ts';

export const DAY = 86_400_000;
export const MATCH_MS = 105 * 60_000;
export const BET_DELAY_MS = 5_000;
export const MARGIN = 0.05;

export interface Match {
  eventId: string;
  kickOff: number;
  /** In-play incidents (ms since the epoch), ascending. */
  incidents: number[];
  /** Closing (kick-off) prices in milli-odds for match_result home/draw/away. */
  closing: Record<'home' | 'draw' | 'away', number>;
  /** With real data: the prices days before (what early bettors get) and the real result. */
  early?: Record<'home' | 'draw' | 'away', number>;
  result?: 'home' | 'draw' | 'away';
}

export class World {
  readonly rng: Rng;
  readonly matches: Match[] = [];
  private n = 0;

  constructor(readonly seed: string, readonly start: number, readonly days = 7, matchesPerDay = 40, real: readonly RealMarket[] = []) {
    this.rng = rngFromSeed(seed);
    for (let d = 0; d < days; d++) {
      for (let m = 0; m < matchesPerDay; m++) {
        const kickOff = start + d * DAY + 12 * 3600_000 + Math.floor(this.rng() * 10 * 3600_000);
        const goals = this.poisson(2.7) + (this.rng() < 0.15 ? 1 : 0); // goals, plus now and then a red card or penalty
        const incidents = Array.from({ length: goals }, () => kickOff + Math.floor(this.rng() * MATCH_MS)).sort((a, b) => a - b);
        const pHome = 0.25 + this.rng() * 0.35;
        const pDraw = 0.22 + this.rng() * 0.08;
        const pAway = 1 - pHome - pDraw;
        const price = (p: number) => Math.max(1010, Math.round(1000 / (p * (1 + MARGIN))));
        const row = real.length > 0 ? real[Math.floor(this.rng() * real.length)]! : null;
        this.matches.push(row
          ? { eventId: `${seed}-m${d}-${m}`, kickOff, incidents, closing: row.closing, early: row.early, result: row.result }
          : { eventId: `${seed}-m${d}-${m}`, kickOff, incidents, closing: { home: price(pHome), draw: price(pDraw), away: price(pAway) } });
      }
    }
    this.matches.sort((a, b) => a.kickOff - b.kickOff);
  }

  id(kind: string): string {
    return `${this.seed}:${kind}:${++this.n}`;
  }

  poisson(lambda: number): number {
    let k = 0;
    for (let p = Math.exp(-lambda), s = p, u = this.rng(); u > s; k++) {
      p *= lambda / (k + 1);
      s += p;
    }
    return k;
  }

  normal(mean = 0, sd = 1): number {
    const u = Math.max(1e-12, this.rng());
    return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.rng());
  }

  pick<T>(list: readonly T[]): T {
    return list[Math.min(list.length - 1, Math.floor(this.rng() * list.length))]!;
  }

  between(lo: number, hi: number): number {
    return lo + Math.floor(this.rng() * (hi - lo));
  }

  /** Matches kicking off within [from, to). */
  matchesBetween(from: number, to: number): Match[] {
    return this.matches.filter((m) => m.kickOff >= from && m.kickOff < to);
  }
}

/** Builds one player's events; `events` ends up in time order once the mix sorts it. */
export class Actor {
  readonly events: RiskEvent[] = [];

  constructor(
    readonly w: World,
    readonly playerId: string,
    readonly username: string,
    readonly persona: string,
  ) {}

  register(at: number, ip: string, deviceId: string | null): this {
    this.events.push({ type: 'registered', id: this.w.id('reg'), at, playerId: this.playerId, username: this.username, ip, deviceId });
    return this;
  }

  login(at: number, ip: string, deviceId: string | null, ok = true): this {
    this.events.push({ type: 'login', id: this.w.id('login'), at, playerId: ok ? this.playerId : null, username: this.username, ok, ip, deviceId });
    return this;
  }

  deposit(at: number, amountMinor: number, instrument: string, status: 'captured' | 'failed' = 'captured'): this {
    this.events.push({ type: 'deposit', id: this.w.id('dep'), at, playerId: this.playerId, paymentId: this.w.id('pay'), amountMinor, status, instrument });
    return this;
  }

  withdraw(at: number, amountMinor: number, instrument: string): this {
    this.events.push({ type: 'withdrawal', id: this.w.id('wd'), at, playerId: this.playerId, paymentId: this.w.id('pay'), amountMinor, status: 'requested', instrument });
    return this;
  }

  chargeback(at: number, amountMinor: number, instrument: string): this {
    this.events.push({ type: 'chargeback', id: this.w.id('cb'), at, playerId: this.playerId, paymentId: this.w.id('pay'), amountMinor, instrument });
    return this;
  }

  bonus(at: number, amountMinor: number): this {
    this.events.push({ type: 'bonus_claimed', id: this.w.id('bonus'), at, playerId: this.playerId, bonusId: 'welcome', amountMinor });
    return this;
  }

  /**
   * A pre-match bet on `sel`: at the match's real pre-closing price when it has one, else at the
   * closing price moved by exp(clv) (clv > 0: a better price than the close). Settled at full time
   * by the real result, or one drawn from the closing odds.
   */
  preMatch(m: Match, sel: 'home' | 'draw' | 'away', stakeMinor: number, clv: number, at = m.kickOff - this.w.between(60_000, 2 * DAY)): this {
    const priceMilli = m.early ? m.early[sel] : Math.max(1010, Math.round(m.closing[sel] * Math.exp(clv)));
    const betId = this.w.id('bet');
    this.events.push({ type: 'bet', id: `${betId}:a`, at, playerId: this.playerId, betId, eventId: m.eventId, marketId: 'match_result', selectionId: sel, stakeMinor, priceMilli, inPlay: false, requestedAt: at, status: 'accepted', code: null });
    const won = m.result ? m.result === sel : this.w.rng() < 1000 / (m.closing[sel] * (1 + MARGIN));
    this.events.push({
      type: 'bet_settled', id: `${betId}:s`, at: m.kickOff + MATCH_MS, playerId: this.playerId, betId, eventId: m.eventId, marketId: 'match_result', selectionId: sel, stakeMinor,
      priceMilli, closingPriceMilli: m.closing[sel], inPlay: false, outcome: won ? 'won' : 'lost', payoutMinor: won ? Math.floor((stakeMinor * priceMilli) / 1000) : 0,
    });
    return this;
  }

  /** An in-play request at `requestedAt`; rejected when an incident falls inside the bet delay (markets suspend). */
  inPlay(m: Match, requestedAt: number, stakeMinor: number): this {
    // Each goal opens the next "next goal" market.
    const marketId = `next_goal_${m.incidents.filter((t) => t <= requestedAt).length + 1}`;
    const interrupted = m.incidents.some((t) => t > requestedAt && t <= requestedAt + BET_DELAY_MS);
    const betId = this.w.id('bet');
    this.events.push({
      type: 'bet', id: `${betId}:${interrupted ? 'r' : 'a'}`, at: requestedAt + BET_DELAY_MS, playerId: this.playerId, betId, eventId: m.eventId, marketId, selectionId: this.w.pick(['home', 'away']),
      stakeMinor, priceMilli: this.w.between(1500, 4000), inPlay: true, requestedAt, status: interrupted ? 'rejected' : 'accepted', code: interrupted ? 'bet/market_suspended' : null,
    });
    return this;
  }
}
