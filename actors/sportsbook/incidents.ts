/**
 * What each sequenced feed message does to the event: phase changes, score and cards,
 * automatic suspension, early settlement of decided markets, full-time settlement, abandonment,
 * and the clock snapshot that confirms the state after a feed gap or a restart.
 */
import type { FeedMessage, SequenceStep, Team } from './feed.ts';
import { findMarket, nextGoalMarketDef, nextGoalMarketId } from './markets.ts';
import type { Plan } from './plan.ts';
import { closeMarket, rejectPendingOn, settleAtFullTime, settleDecided, voidAllOpen } from './settlement.ts';
import type { AutoSuspendReason, EventState, Phase, ScorePair } from './types.ts';

export function isTerminal(phase: Phase): boolean {
  return phase === 'finished' || phase === 'abandoned';
}

function inHalves(phase: Phase): boolean {
  return phase === 'first_half' || phase === 'second_half';
}

/**
 * Automatic suspension rule: a suspension waiting for a confirming clock (resumeAt null) is only
 * replaced by another such; timed ones combine to the later resumeAt, except that a goal or a miss
 * ends a penalty suspension (its resumeAt is only a cap).
 */
export function suspend(plan: Plan, reason: AutoSuspendReason, resumeAt: number | null, now: number): void {
  const current = plan.state.autoSuspension;
  let until = resumeAt;
  if (current) {
    if (current.resumeAt === null && (resumeAt !== null || current.reason === reason)) return;
    if (current.resumeAt !== null && resumeAt !== null) {
      const endsPenalty = current.reason === 'penalty' && (reason === 'goal' || reason === 'penalty_missed');
      if (!endsPenalty) until = Math.max(current.resumeAt, resumeAt);
    }
  }
  plan.push({ type: 'MarketsSuspended', reason, resumeAt: until, at: now });
}

export function applySteps(plan: Plan, steps: readonly SequenceStep[], now: number): void {
  for (const step of steps) {
    if (step.kind === 'gap') {
      plan.push({ type: 'FeedGapSkipped', fromSeq: step.fromSeq, toSeq: step.toSeq, at: now });
      if (!isTerminal(plan.state.phase) && plan.state.phase !== 'scheduled') suspend(plan, 'feed_gap', null, now);
    } else {
      applyMessage(plan, step.message, now);
    }
  }
}

function ignore(plan: Plan, message: FeedMessage, reason: string, now: number): void {
  plan.push({ type: 'FeedIgnored', message, reason, at: now });
}

export function applyMessage(plan: Plan, message: FeedMessage, now: number): void {
  const { phase } = plan.state;
  const { config } = plan.state;
  if (isTerminal(phase)) return ignore(plan, message, `event is ${phase}`, now);
  const applied = () => plan.push({ type: 'FeedApplied', message, at: now });
  switch (message.type) {
    case 'kick_off':
      if (phase !== 'scheduled') return ignore(plan, message, `kick_off during ${phase}`, now);
      applied();
      return plan.reprice(now);
    case 'half_time':
      if (phase !== 'first_half') return ignore(plan, message, `half_time during ${phase}`, now);
      applied();
      return plan.reprice(now);
    case 'second_half_kick_off':
      if (phase !== 'half_time' && phase !== 'first_half') return ignore(plan, message, `second_half_kick_off during ${phase}`, now);
      applied();
      return plan.reprice(now);
    case 'full_time':
      if (phase === 'scheduled') return ignore(plan, message, 'full_time before kick-off', now);
      applied();
      rejectPendingOn(plan, null, 'bet/market_closed', 'cashout/unavailable', 'full time', now);
      return settleAtFullTime(plan, now);
    case 'abandoned':
      applied();
      rejectPendingOn(plan, null, 'bet/market_closed', 'cashout/unavailable', 'event abandoned', now);
      return voidAllOpen(plan, `abandoned: ${message.reason}`, now);
    case 'goal': {
      if (!inHalves(phase)) return ignore(plan, message, `goal during ${phase}`, now);
      const before = plan.state.score;
      applied();
      suspend(plan, 'goal', now + config.resumeAfterMs, now);
      afterGoals(plan, before, [message.team], now);
      return plan.reprice(now);
    }
    case 'red_card':
      if (!inHalves(phase)) return ignore(plan, message, `red_card during ${phase}`, now);
      applied();
      suspend(plan, 'red_card', now + config.resumeAfterMs, now);
      return plan.reprice(now);
    case 'penalty_awarded':
      if (!inHalves(phase)) return ignore(plan, message, `penalty_awarded during ${phase}`, now);
      applied();
      return suspend(plan, 'penalty', now + config.penaltyResumeAfterMs, now);
    case 'penalty_missed':
      if (!inHalves(phase)) return ignore(plan, message, `penalty_missed during ${phase}`, now);
      applied();
      return suspend(plan, 'penalty_missed', now + config.resumeAfterMs, now);
    case 'clock':
      return applyClock(plan, message, now);
  }
}

/**
 * Settles next_goal_<n> for each new goal (scorer null: unknown order after a gap → void), opens the
 * next one, and settles every market the new score decides.
 */
function afterGoals(plan: Plan, before: ScorePair, scorers: ReadonlyArray<Team | null>, now: number): void {
  const first = before.home + before.away + 1;
  scorers.forEach((scorer, i) => {
    const marketId = nextGoalMarketId(first + i);
    closeMarket(plan, marketId, scorer ? { kind: 'winner', selectionId: scorer } : { kind: 'void', reason: 'scorer_unknown' }, now);
  });
  const state = plan.state;
  const next = state.score.home + state.score.away + 1;
  if (next <= state.config.maxNextGoalMarkets && !findMarket(state, nextGoalMarketId(next))) {
    plan.push({ type: 'MarketOpened', market: nextGoalMarketDef(next, state.home, state.away), at: now });
  }
  settleDecided(plan, now);
}

const PHASE_RANK: Record<Phase, number> = { scheduled: 0, first_half: 1, half_time: 2, second_half: 3, finished: 4, abandoned: 4 };

type Snapshot = { phase: Phase; score: ScorePair; reds: ScorePair };

/** 'ahead' (the feed knows more: catch up), 'behind' (conflict: keep our state), or 'match'. */
function compareSnapshot(state: EventState, snap: Snapshot): 'ahead' | 'behind' | 'match' {
  const pairs: Array<[number, number]> = [
    [PHASE_RANK[snap.phase], PHASE_RANK[state.phase]],
    [snap.score.home, state.score.home],
    [snap.score.away, state.score.away],
    [snap.reds.home, state.reds.home],
    [snap.reds.away, state.reds.away],
  ];
  if (pairs.some(([feed, ours]) => feed < ours)) return 'behind';
  return pairs.some(([feed, ours]) => feed > ours) ? 'ahead' : 'match';
}

function applyClock(plan: Plan, message: Extract<FeedMessage, { type: 'clock' }>, now: number): void {
  const state = plan.state;
  if (state.phase === 'scheduled' && !message.period) return ignore(plan, message, 'clock before kick-off', now);
  plan.push({ type: 'FeedApplied', message, at: now });
  const snap: Snapshot = {
    phase: message.period ?? (state.phase === 'scheduled' ? 'first_half' : state.phase),
    score: message.score ?? state.score,
    reds: message.reds ?? state.reds,
  };
  // Half-time has no clock of its own: a first-half clock during half-time is not a conflict.
  if (snap.phase === 'first_half' && state.phase === 'half_time') snap.phase = 'half_time';
  const comparison = compareSnapshot(plan.state, snap);
  const before = plan.state;
  if (comparison === 'ahead') {
    const phase = PHASE_RANK[snap.phase] > PHASE_RANK[before.phase] ? snap.phase : before.phase;
    plan.push({ type: 'StateCorrected', seq: message.seq, phase, score: { ...snap.score }, reds: { ...snap.reds }, at: now });
    const dh = snap.score.home - before.score.home;
    const da = snap.score.away - before.score.away;
    if (dh + da > 0) {
      const scorer: Team | null = dh > 0 && da > 0 ? null : dh > 0 ? 'home' : 'away';
      afterGoals(plan, before.score, new Array<Team | null>(dh + da).fill(scorer), now);
    }
  }
  const waiting = plan.state.autoSuspension;
  if (comparison !== 'behind' && waiting && waiting.resumeAt === null) plan.push({ type: 'MarketsResumed', at: now });
  if (comparison === 'ahead' && (snap.score.home + snap.score.away > before.score.home + before.score.away || snap.reds.home + snap.reds.away > before.reds.home + before.reds.away)) {
    suspend(plan, 'goal', now + plan.state.config.resumeAfterMs, now);
  }
  plan.reprice(now);
}
