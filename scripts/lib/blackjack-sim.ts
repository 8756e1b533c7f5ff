/**
 * A basic-strategy bot playing rounds through the blackjack actor (decide → evolve, exactly as the
 * room does, with the provably fair shoe and its cut card), and the return it measured.
 */
import { createHash } from 'node:crypto';
import {
  basicStrategy, blackjackConfig, decide, evolve, initialTableState, isSplitAces, rankOf,
  type BlackjackCommand, type BlackjackConfig, type RoundSettled, type TableState,
} from '../../actors/blackjack/index.ts';

export interface SimOptions {
  /** Hands (seat-rounds) to play, at least. */
  hands: number;
  /** Seats the bot plays each round (one player). */
  seats?: number;
  seed?: string;
  config?: Partial<BlackjackConfig>;
  betMinor?: number;
  onProgress?: (result: SimResult) => void;
}

export interface SimResult {
  hands: number;
  rounds: number;
  shoes: number;
  /** Sum of initial bets. */
  initialMinor: number;
  /** Sum of every stake (bets, doubles, splits). */
  wageredMinor: number;
  /** Player's net result (payouts − stakes). */
  netMinor: number;
  /** Σ over rounds of (round net / bet)², for the variance. */
  sumSquaredUnits: number;
  outcomes: Record<string, number>;
}

const Z99 = 2.5758293035489;

/**
 * Published house edge for the default rules (6 decks, S17, DAS, late surrender, peek, split to 4
 * hands, no resplit of aces, split aces one card, 3:2): the Wizard of Odds calculator's 0.3305%
 * (docs/FAIRNESS.md cites it with the other sources; `low..high` spans them and the cut-card and
 * total-dependent-strategy effects).
 */
export const PUBLISHED_HOUSE_EDGE = { value: 0.003305, low: 0.0030, high: 0.0040 };

/**
 * The Wizard of Odds calculator's house edge (6 decks, peek, split to 4, no resplit of aces, 3:2,
 * "optimal results") for the rule variants the simulation takes; null when none is at hand.
 */
export function publishedHouseEdge(rules: { dealerHitsSoft17: boolean; doubleAfterSplit: boolean; lateSurrender: boolean }): number | null {
  if (!rules.doubleAfterSplit) return null;
  if (!rules.dealerHitsSoft17) return rules.lateSurrender ? 0.003305 : 0.004031;
  return rules.lateSurrender ? 0.005274 : null;
}

export interface RtpEstimate {
  /** Return per initial bet: 1 + mean net / bet. */
  rtp: number;
  houseEdge: number;
  /** 99% confidence interval of the RTP (normal approximation over rounds). */
  ci99: [number, number];
  standardError: number;
  /** Return per unit wagered (all stakes), for reference. */
  returnPerWagered: number;
}

export function estimate(r: SimResult, betMinor: number, seats: number): RtpEstimate {
  // Samples are rounds (a round's seats share the dealer's hand): the mean and variance of the round's net per seat-bet.
  const n = r.rounds;
  const unitsPerRound = (r.netMinor / betMinor) / n;
  const variance = r.sumSquaredUnits / n - unitsPerRound * unitsPerRound;
  const se = Math.sqrt(variance / n) / seats;
  const rtp = 1 + unitsPerRound / seats;
  return { rtp, houseEdge: 1 - rtp, ci99: [rtp - Z99 * se, rtp + Z99 * se], standardError: se, returnPerWagered: 1 + r.netMinor / r.wageredMinor };
}

function seedAt(seed: string, n: number): string {
  return createHash('sha256').update(`${seed}:${n}`).digest('hex');
}

export function simulate(opts: SimOptions): SimResult {
  const seats = opts.seats ?? 1;
  const bet = opts.betMinor ?? 1000;
  const config = blackjackConfig({ maxSeatsPerPlayer: Math.max(seats, 1), minBetMinor: 2, maxBetMinor: 1_000_000, ...opts.config });
  const seed = opts.seed ?? 'blackjack-sim';
  let state: TableState = initialTableState('sim', config);
  let now = 1_700_000_000_000;
  let seeds = 0;
  let serverSeed = seedAt(seed, seeds);
  const run = (cmd: BlackjackCommand): RoundSettled | null => {
    const d = decide(state, cmd);
    if (!d.ok) throw new Error(`sim: ${cmd.type} refused: ${d.rejection.code} ${d.rejection.message}`);
    let settled: RoundSettled | null = null;
    for (const e of d.events) {
      state = evolve(state, e);
      if (e.type === 'RoundSettled') settled = e;
    }
    return settled;
  };
  const result: SimResult = { hands: 0, rounds: 0, shoes: 0, initialMinor: 0, wageredMinor: 0, netMinor: 0, sumSquaredUnits: 0, outcomes: {} };
  let betSeq = 0;
  while (result.hands < opts.hands) {
    // A seed per shoe: a tick uses its seed only when it opens a shoe.
    const shoeBefore = state.lastShoeNumber;
    run({ type: 'tick', now, playersPresent: true, serverSeed });
    if (state.lastShoeNumber !== shoeBefore) {
      result.shoes++;
      serverSeed = seedAt(seed, ++seeds);
    }
    for (let s = 0; s < seats; s++) run({ type: 'placeBet', playerId: 'bot', seat: s, betId: `b${betSeq++}`, stakeMinor: bet, now });
    now = state.round!.closesAt;
    let settled = run({ type: 'tick', now, playersPresent: true, serverSeed });
    if (state.phase === 'insurance') {
      for (const s of state.round!.seats) settled = run({ type: 'insurance', playerId: 'bot', seat: s.seat, take: false, now }) ?? settled;
    }
    while (state.phase === 'playing' && state.round!.turn) {
      const { seat, hand } = state.round!.turn;
      const rs = state.round!.seats.find((x) => x.seat === seat)!;
      const h = rs.hands[hand]!;
      const two = h.cards.length === 2;
      const action = basicStrategy({
        cards: h.cards,
        up: state.round!.dealer[0]!.card,
        canDouble: two && !isSplitAces(h) && (!h.fromSplit || config.doubleAfterSplit),
        canSplit: two && rankOf(h.cards[0]!) === rankOf(h.cards[1]!) && rs.hands.length < config.maxHands && (!isSplitAces(h) || config.resplitAces),
        canSurrender: config.lateSurrender && two && rs.hands.length === 1 && !h.fromSplit,
        doubleAfterSplit: config.doubleAfterSplit,
        dealerHitsSoft17: config.dealerHitsSoft17,
      });
      settled = run({ type: 'act', playerId: 'bot', seat, hand, action, now }) ?? settled;
    }
    if (!settled) throw new Error(`sim: round ${state.round?.roundId} did not settle (phase ${state.phase})`);
    let roundNet = 0;
    for (const s of settled.settlements) {
      result.hands++;
      result.initialMinor += bet;
      result.wageredMinor += s.stakeMinor;
      roundNet += s.payoutMinor - s.stakeMinor;
      for (const h of s.hands) result.outcomes[h.outcome] = (result.outcomes[h.outcome] ?? 0) + 1;
    }
    result.netMinor += roundNet;
    result.sumSquaredUnits += (roundNet / bet) ** 2;
    result.rounds++;
    now = settled.nextOpenAt;
    if (opts.onProgress && result.rounds % 100_000 === 0) opts.onProgress(result);
  }
  return result;
}
