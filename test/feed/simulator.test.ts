import { expect } from 'chai';
import { expectedGoals } from '../../actors/odds/index.ts';
import { parseFeedMessage, type FeedMessage } from '../../actors/sportsbook/index.ts';
import { matchesInWindow, scheduledMatch, simulateMatch, simulateScheduled, type SimulationOptions } from '../../server/feed/simulator/index.ts';
import { FITTED_STRENGTHS } from '../../server/pricing/seed-strengths.ts';

const KICK_OFF = 1_700_000_000_000;
const arsenalChelsea = expectedGoals(FITTED_STRENGTHS.leagues.E0, 'Arsenal', 'Chelsea');

function options(seed: string | number, extra: Partial<SimulationOptions> = {}): SimulationOptions {
  return { seed, eventId: 'sim-test', ...arsenalChelsea, kickOffAt: KICK_OFF, msPerMinute: 0, ...extra };
}

function count(messages: FeedMessage[], type: FeedMessage['type']): number {
  return messages.filter((m) => m.type === type).length;
}

describe('sportsbook simulator', () => {
  it('produces the same match from the same seed and a different one from another seed', () => {
    const a = simulateMatch(options('seed-a', { msPerMinute: 2_000 }));
    expect(simulateMatch(options('seed-a', { msPerMinute: 2_000 }))).to.deep.equal(a);
    const others = [1, 2, 3, 4, 5].map((s) => JSON.stringify(simulateMatch(options(`other-${s}`, { msPerMinute: 2_000 })).messages));
    expect(others.some((o) => o !== JSON.stringify(a.messages))).to.equal(true);
  });

  it('emits a valid, contiguous, time-ordered feed from kick-off to full time with truthful clock snapshots', () => {
    for (let i = 0; i < 50; i++) {
      const { messages, score, reds } = simulateMatch(options(i, { msPerMinute: 2_000 }));
      messages.forEach((m, k) => {
        expect(parseFeedMessage(m).ok, JSON.stringify(m)).to.equal(true);
        expect(m.seq).to.equal(k + 1);
        if (k > 0) expect(m.at).to.be.at.least(messages[k - 1].at);
      });
      expect(messages[0].type).to.equal('kick_off');
      expect(messages[messages.length - 1].type).to.equal('full_time');
      const order = messages.filter((m) => ['kick_off', 'half_time', 'second_half_kick_off', 'full_time'].includes(m.type)).map((m) => m.type);
      expect(order).to.deep.equal(['kick_off', 'half_time', 'second_half_kick_off', 'full_time']);
      const running = { home: 0, away: 0 };
      for (const m of messages) {
        if (m.type === 'goal') running[m.team] += 1;
        if (m.type === 'clock') expect(m.score).to.deep.equal(running);
      }
      expect(running).to.deep.equal(score);
      expect(count(messages, 'red_card')).to.equal(reds.home + reds.away);
    }
  });

  it('runs on an accelerated clock, or instantly', () => {
    const fast = simulateMatch(options('clock', { msPerMinute: 2_000, halfTimeMs: 10_000 }));
    const duration = fast.endsAt - KICK_OFF;
    // 90 minutes + 3..10 minutes of stoppage at 2 s a minute, plus a 10 s break: about 3 real minutes.
    expect(duration).to.be.within(93 * 2_000 + 10_000, 100 * 2_000 + 10_000);
    const clocks = fast.messages.filter((m) => m.type === 'clock');
    expect(clocks[1].at - clocks[0].at).to.equal(2_000);
    const instant = simulateMatch(options('clock'));
    expect(new Set(instant.messages.map((m) => m.at))).to.deep.equal(new Set([KICK_OFF]));
    const sparse = simulateMatch(options('clock', { clockEveryMinutes: 5 }));
    expect(count(sparse.messages, 'clock')).to.be.lessThan(count(instant.messages, 'clock') / 4);
  });

  it('scores at the teams’ expected rates with plausible cards and penalties over 2,000 seeded matches', () => {
    const n = 2_000;
    let home = 0;
    let away = 0;
    let reds = 0;
    let penalties = 0;
    let scored = 0;
    for (let i = 0; i < n; i++) {
      const match = simulateMatch(options(`stats-${i}`));
      expect(match.messages[match.messages.length - 1].type).to.equal('full_time');
      home += match.score.home;
      away += match.score.away;
      reds += match.reds.home + match.reds.away;
      penalties += match.penalties;
      scored += match.penaltiesScored;
    }
    // Standard errors: √(λ/n) ≈ 0.03 per side; the tolerances are > 3 of them.
    expect(home / n).to.be.closeTo(arsenalChelsea.lambdaHome, 0.1);
    expect(away / n).to.be.closeTo(arsenalChelsea.lambdaAway, 0.1);
    expect(reds / n / 2).to.be.closeTo(0.1, 0.025);
    expect(penalties / n).to.be.closeTo(0.3, 0.05);
    expect(scored / penalties).to.be.closeTo(0.76, 0.08);
  });

  it('lets red cards lower the scoring of the side that receives them', () => {
    const n = 600;
    let goals = 0;
    for (let i = 0; i < n; i++) {
      const m = simulateMatch(options(`reds-${i}`, { lambdaHome: 1.5, lambdaAway: 1.5, redCardsPerTeam: 2, penaltiesPerMatch: 0 }));
      goals += m.score.home + m.score.away;
    }
    // Both sides carded: each side's rate × 0.75 × 1.15 per card pair, so fewer goals than λh + λa = 3.
    expect(goals / n).to.be.lessThan(2.85);
  });

  it('abandons matches when asked, cutting the feed there', () => {
    for (let i = 0; i < 20; i++) {
      const { messages, abandoned } = simulateMatch(options(`abandon-${i}`, { abandonProbability: 1 }));
      expect(abandoned).to.equal(true);
      expect(messages[messages.length - 1].type).to.equal('abandoned');
      expect(count(messages, 'full_time')).to.equal(0);
    }
  });

  it('builds a deterministic rolling schedule from the fitted teams', () => {
    const schedule = { seed: 'demo', anchorAt: KICK_OFF, everyMs: 120_000, preMatchMs: 60_000, msPerMinute: 2_000 };
    const first = scheduledMatch(schedule, 0);
    expect(scheduledMatch(schedule, 0)).to.deep.equal(first);
    for (let i = 0; i < 30; i++) {
      const match = scheduledMatch(schedule, i);
      expect(match.startsAt).to.equal(KICK_OFF + i * 120_000);
      expect(match.listAt).to.equal(match.startsAt - 60_000);
      expect(match.home).to.not.equal(match.away);
      const league = FITTED_STRENGTHS.leagues[match.league];
      expect(league.teams).to.have.property(match.home);
      expect(league.teams).to.have.property(match.away);
      expect({ lambdaHome: match.lambdaHome, lambdaAway: match.lambdaAway }).to.deep.equal(expectedGoals(league, match.home, match.away));
    }
    const window = matchesInWindow(schedule, KICK_OFF + 600_000, KICK_OFF + 700_000);
    for (const m of window) {
      expect(m.listAt).to.be.at.most(KICK_OFF + 700_000);
      expect(m.endsBy).to.be.at.least(KICK_OFF + 600_000);
    }
    expect(window.map((m) => m.index)).to.include(5); // kicks off at +600 s
    expect(window.map((m) => m.index)).to.include(6); // listed at +660 s
    const feed = simulateScheduled(schedule, first);
    expect(feed.messages[0]).to.include({ eventId: 'sim-0', type: 'kick_off', at: first.startsAt });
    expect(feed.endsAt).to.be.at.most(first.endsBy);
  });
});
