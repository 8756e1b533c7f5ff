/**
 * The detectors (docs/FRAUD.md, "Detectors"): each looks at one player's features (and, for the
 * group ones, the player's linked group) and returns a reason with its evidence, or null. Rules,
 * not a model: each fires on an explicit, documented condition, so an operator can read why.
 * `now` is the time of the event being processed (velocity windows end there).
 */
import { HEDGE_WINDOW_MS, LATENCY_WINDOW_MS, type PlayerFeatures, type RiskBook } from './book.ts';
import { binomialTailLog10, mean, tStat } from './stats.ts';

export type DetectorName = 'velocity' | 'linked_accounts' | 'bonus_ring' | 'latency' | 'sharp' | 'hedging' | 'cycling' | 'chargeback';

export interface Reason {
  detector: DetectorName;
  message: string;
  evidence: Record<string, unknown>;
}

export const DEFAULT_RULES = {
  velocity: { depositsPerHour: 5, failedDepositsPerHour: 3, failedLoginsPer15Min: 10, betsPerMinute: 60 },
  /** A strong-link group (shared device, card or name skeleton) of at least this many accounts. */
  linkedGroupSize: 3,
  /** Group members (strong or address links) that claimed a bonus, with turnover below `maxTurnoverPerBonus` × the bonus each. */
  bonusRing: { members: 3, maxTurnoverPerBonus: 3 },
  /** In-play requests just before incidents: at least `minBets` and a binomial tail p ≤ 10^-minLog10P against the chance rate. */
  latency: { minBets: 3, minLog10P: 5, chanceFloor: 0.02 },
  /** Closing-line value: at least `minBets` settled pre-match bets, mean log-CLV ≥ `minMean`, t ≥ `minT` (one-sided p ≈ 0.006). */
  sharp: { minBets: 20, minMean: 0.015, minT: 2.5 },
  /** Markets where two accounts of the player's group (strong links) backed different selections within minutes. */
  hedging: { minMarkets: 3 },
  /** Withdrawals asked ≥ `minWithdrawShare` of deposits, with turnover < `maxTurnoverShare` of deposits. */
  cycling: { minDeposits: 2, minWithdrawShare: 0.6, maxTurnoverShare: 0.5 },
};

export type Rules = typeof DEFAULT_RULES;

const within = (times: readonly number[], now: number, ms: number) => times.filter((t) => t > now - ms && t <= now).length;

export function velocity(p: PlayerFeatures, now: number, r: Rules['velocity']): Reason | null {
  const counts = {
    depositsLastHour: within(p.depositTimes, now, 3600_000),
    failedDepositsLastHour: within(p.failedDepositTimes, now, 3600_000),
    failedLoginsLast15Min: within(p.failedLoginTimes, now, 900_000),
    betsLastMinute: within(p.betTimes, now, 60_000),
  };
  const over: string[] = [];
  if (counts.depositsLastHour >= r.depositsPerHour) over.push(`${counts.depositsLastHour} deposits in an hour`);
  if (counts.failedDepositsLastHour >= r.failedDepositsPerHour) over.push(`${counts.failedDepositsLastHour} failed deposits in an hour`);
  if (counts.failedLoginsLast15Min >= r.failedLoginsPer15Min) over.push(`${counts.failedLoginsLast15Min} failed logins in 15 minutes`);
  if (counts.betsLastMinute >= r.betsPerMinute) over.push(`${counts.betsLastMinute} bets in a minute`);
  return over.length ? { detector: 'velocity', message: over.join('; '), evidence: counts } : null;
}

export function linkedAccounts(book: RiskBook, playerId: string, minSize: number): Reason | null {
  const group = book.component(playerId);
  if (group.length < minSize) return null;
  const links = [...book.neighbours(playerId, ['d', 'c', 'n'])].map(([other, via]) => ({ other, via }));
  return { detector: 'linked_accounts', message: `one of ${group.length} accounts linked by shared devices, cards or near-identical names`, evidence: { groupSize: group.length, group: group.slice(0, 20), links: links.slice(0, 20) } };
}

export function bonusRing(book: RiskBook, playerId: string, r: Rules['bonusRing']): Reason | null {
  const p = book.player(playerId);
  if (!p || p.bonusClaims === 0) return null;
  const group = book.component(playerId, ['d', 'c', 'n', 'i']);
  const abusers = group.filter((id) => {
    const q = book.player(id)!;
    return q.bonusClaims > 0 && q.stakeMinor < r.maxTurnoverPerBonus * q.bonusMinor;
  });
  if (abusers.length < r.members) return null;
  return { detector: 'bonus_ring', message: `${abusers.length} linked accounts claimed bonuses with little play`, evidence: { members: abusers.slice(0, 20), groupSize: group.length } };
}

/** The chance that an in-play request falls just before an incident, from the whole population (with a floor). */
export function latencyChance(book: RiskBook, floor: number): number {
  const pop = book.state.population;
  return Math.max(floor, pop.inPlay > 0 ? pop.preIncident / pop.inPlay : 0);
}

export function latency(book: RiskBook, p: PlayerFeatures, r: Rules['latency']): Reason | null {
  if (p.preIncidentBets < r.minBets) return null;
  const chance = latencyChance(book, r.chanceFloor);
  const log10p = binomialTailLog10(p.preIncidentBets, p.inPlayBets, chance);
  if (log10p < r.minLog10P) return null;
  return {
    detector: 'latency',
    message: `${p.preIncidentBets} of ${p.inPlayBets} in-play bets within ${LATENCY_WINDOW_MS / 1000} s before an incident (chance ${(chance * 100).toFixed(1)} %, p = 1e-${log10p.toFixed(1)})`,
    evidence: { preIncidentBets: p.preIncidentBets, inPlayBets: p.inPlayBets, chance, log10p },
  };
}

export function sharp(p: PlayerFeatures, r: Rules['sharp']): Reason | null {
  const m = mean(p.clv);
  const t = tStat(p.clv);
  if (p.clv.n < r.minBets || m < r.minMean || t < r.minT) return null;
  return { detector: 'sharp', message: `beats the closing price by ${(m * 100).toFixed(1)} % on ${p.clv.n} bets (t = ${t.toFixed(1)})`, evidence: { bets: p.clv.n, meanClv: m, t } };
}

/**
 * Backing opposing selections of one market within minutes from two linked accounts: the ring
 * locks in a promotion or an arbitrage whatever the result. One player trading both sides with
 * his own money is not flagged (it only costs him the margin); it is a model feature.
 */
export function hedging(book: RiskBook, playerId: string, r: Rules['hedging']): Reason | null {
  const group = book.component(playerId);
  if (group.length < 2) return null;
  const covered = new Map<string, Array<[string, number, string]>>();
  for (const id of group) {
    for (const [market, bets] of Object.entries(book.player(id)?.markets ?? {})) covered.set(market, [...(covered.get(market) ?? []), ...bets.map(([sel, at]) => [sel, at, id] as [string, number, string])]);
  }
  const crossHedged = (bets: Array<[string, number, string]>) => bets.some(([s1, t1, p1], i) => bets.some(([s2, t2, p2], j) => j > i && s1 !== s2 && p1 !== p2 && Math.abs(t1 - t2) <= HEDGE_WINDOW_MS));
  const hedged = [...covered].filter(([, bets]) => crossHedged(bets)).map(([m]) => m);
  if (hedged.length < r.minMarkets) return null;
  return { detector: 'hedging', message: `a group of ${group.length} linked accounts backed opposing selections within minutes on ${hedged.length} markets`, evidence: { markets: hedged.slice(0, 20), groupSize: group.length } };
}

export function cycling(p: PlayerFeatures, r: Rules['cycling']): Reason | null {
  if (p.deposits < r.minDeposits || p.depositMinor === 0) return null;
  const withdrawShare = p.withdrawMinor / p.depositMinor;
  const turnoverShare = p.stakeMinor / p.depositMinor;
  if (withdrawShare < r.minWithdrawShare || turnoverShare >= r.maxTurnoverShare) return null;
  return { detector: 'cycling', message: `withdrew ${(withdrawShare * 100).toFixed(0)} % of deposits after staking ${(turnoverShare * 100).toFixed(0)} % of them`, evidence: { deposits: p.deposits, depositMinor: p.depositMinor, withdrawMinor: p.withdrawMinor, stakeMinor: p.stakeMinor } };
}

export function chargeback(p: PlayerFeatures): Reason | null {
  return p.chargebacks > 0 ? { detector: 'chargeback', message: `${p.chargebacks} chargeback(s), ${p.chargebackMinor} minor units`, evidence: { chargebacks: p.chargebacks, amountMinor: p.chargebackMinor } } : null;
}

/** Every detector on one player. */
export function detect(book: RiskBook, playerId: string, now: number, rules: Rules = DEFAULT_RULES): Reason[] {
  const p = book.player(playerId);
  if (!p) return [];
  return [
    velocity(p, now, rules.velocity),
    linkedAccounts(book, playerId, rules.linkedGroupSize),
    bonusRing(book, playerId, rules.bonusRing),
    latency(book, p, rules.latency),
    sharp(p, rules.sharp),
    hedging(book, playerId, rules.hedging),
    cycling(p, rules.cycling),
    chargeback(p),
  ].filter((r): r is Reason => r !== null);
}
