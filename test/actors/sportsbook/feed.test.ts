import { expect } from 'chai';
import {
  EMPTY_SEQUENCER,
  bufferDeadline,
  expireBuffer,
  offerMessage,
  parseFeedJson,
  parseFeedMessage,
  type FeedMessage,
  type SequencerState,
} from '../../../actors/sportsbook/index.ts';

const LIMITS = { reorderWindowMs: 5_000, reorderBufferSize: 3 };
const base = { eventId: 'ev-1', at: 1_000 };

function msg(seq: number, extra: Record<string, unknown> = { type: 'clock', minute: seq }): FeedMessage {
  return { ...base, seq, ...extra } as FeedMessage;
}

function issuesOf(raw: unknown): string[] {
  const parsed = parseFeedMessage(raw);
  if (parsed.ok) expect.fail(`expected ${JSON.stringify(raw)} to be malformed`);
  expect(parsed.rejection.code).to.equal('feed/malformed');
  return (parsed.rejection.details!.issues as Array<{ path: string }>).map((i) => i.path);
}

describe('sportsbook feed: validation', () => {
  it('accepts every incident type and the clock with an optional state snapshot', () => {
    const valid = [
      { type: 'kick_off' },
      { type: 'goal', team: 'home', minute: 12.5 },
      { type: 'red_card', team: 'away' },
      { type: 'penalty_awarded', team: 'home' },
      { type: 'penalty_missed', team: 'home' },
      { type: 'half_time' },
      { type: 'second_half_kick_off' },
      { type: 'full_time' },
      { type: 'abandoned', reason: 'floodlight failure' },
      { type: 'clock', minute: 0 },
      { type: 'clock', minute: 93.25, period: 'second_half', score: { home: 2, away: 1 }, reds: { home: 0, away: 1 } },
    ];
    valid.forEach((body, i) => {
      const parsed = parseFeedMessage({ ...base, seq: i + 1, ...body });
      if (!parsed.ok) expect.fail(`${body.type}: ${parsed.rejection.message}`);
      expect(parsed.message).to.deep.equal({ ...base, seq: i + 1, ...body });
    });
  });

  it('drops unknown keys instead of rejecting them', () => {
    const parsed = parseFeedMessage({ ...base, seq: 1, type: 'kick_off', provider: 'x' });
    expect(parsed.ok && parsed.message).to.deep.equal({ ...base, seq: 1, type: 'kick_off' });
  });

  it('rejects malformed messages with feed/malformed naming the bad fields', () => {
    expect(issuesOf(null)).to.deep.equal(['(root)']);
    expect(issuesOf('goal')).to.deep.equal(['(root)']);
    expect(issuesOf({ ...base, seq: 1, type: 'corner' })).to.deep.equal(['type']);
    expect(issuesOf({ ...base, type: 'kick_off' })).to.deep.equal(['seq']);
    expect(issuesOf({ ...base, seq: 0, type: 'kick_off' })).to.deep.equal(['seq']);
    expect(issuesOf({ ...base, seq: 1.5, type: 'kick_off' })).to.deep.equal(['seq']);
    expect(issuesOf({ ...base, seq: -3, type: 'kick_off' })).to.deep.equal(['seq']);
    expect(issuesOf({ ...base, at: -1, seq: 1, type: 'kick_off' })).to.deep.equal(['at']);
    expect(issuesOf({ ...base, eventId: '', seq: 1, type: 'kick_off' })).to.deep.equal(['eventId']);
    expect(issuesOf({ ...base, seq: 1, type: 'goal' })).to.deep.equal(['team']);
    expect(issuesOf({ ...base, seq: 1, type: 'goal', team: 'both' })).to.deep.equal(['team']);
    expect(issuesOf({ ...base, seq: 1, type: 'clock' })).to.deep.equal(['minute']);
    expect(issuesOf({ ...base, seq: 1, type: 'clock', minute: 131 })).to.deep.equal(['minute']);
    expect(issuesOf({ ...base, seq: 1, type: 'clock', minute: 5, score: { home: -1, away: 0 } })).to.deep.equal(['score.home']);
    expect(issuesOf({ ...base, seq: 1, type: 'abandoned' })).to.deep.equal(['reason']);
  });

  it('decodes JSON with a size bound', () => {
    expect(parseFeedJson(JSON.stringify({ ...base, seq: 1, type: 'kick_off' })).ok).to.equal(true);
    const bad = parseFeedJson('{not json');
    expect(!bad.ok && bad.rejection.code).to.equal('feed/malformed');
    const long = parseFeedJson(JSON.stringify({ ...base, seq: 1, type: 'abandoned', reason: 'x'.repeat(5_000) }));
    expect(!long.ok && long.rejection.code).to.equal('feed/malformed');
  });
});

describe('sportsbook feed: sequencing', () => {
  function applied(outcome: ReturnType<typeof offerMessage>): unknown[] {
    if (outcome.kind !== 'steps') expect.fail(`expected steps, got ${outcome.kind}`);
    return outcome.steps.map((s) => (s.kind === 'apply' ? s.message.seq : `gap ${s.fromSeq}-${s.toSeq}`));
  }

  it('applies the next seq at once', () => {
    const outcome = offerMessage(EMPTY_SEQUENCER, msg(1), 0, LIMITS);
    expect(applied(outcome)).to.deep.equal([1]);
    expect(outcome.kind === 'steps' && outcome.state).to.deep.equal({ lastSeq: 1, buffer: [] });
  });

  it('ignores duplicates: an applied seq, an older one, or one already buffered', () => {
    const state: SequencerState = { lastSeq: 5, buffer: [{ message: msg(7), receivedAt: 0 }] };
    expect(offerMessage(state, msg(5), 0, LIMITS).kind).to.equal('duplicate');
    expect(offerMessage(state, msg(2), 0, LIMITS).kind).to.equal('duplicate');
    expect(offerMessage(state, msg(7), 0, LIMITS).kind).to.equal('duplicate');
  });

  it('buffers an out-of-order message and drains it once the gap fills', () => {
    const first = offerMessage({ lastSeq: 1, buffer: [] }, msg(3), 100, LIMITS);
    expect(first.kind).to.equal('buffered');
    const buffered = first.kind === 'buffered' ? first.state : EMPTY_SEQUENCER;
    const second = offerMessage(buffered, msg(4), 200, LIMITS);
    const state = second.kind === 'buffered' ? second.state : EMPTY_SEQUENCER;
    expect(state.buffer.map((b) => b.message.seq)).to.deep.equal([3, 4]);
    const filled = offerMessage(state, msg(2), 300, LIMITS);
    expect(applied(filled)).to.deep.equal([2, 3, 4]);
    expect(filled.kind === 'steps' && filled.state).to.deep.equal({ lastSeq: 4, buffer: [] });
  });

  it('skips a gap not filled within the reorder window, applying the buffer in order', () => {
    let state: SequencerState = { lastSeq: 1, buffer: [] };
    for (const [seq, at] of [[6, 1_000], [3, 2_000]] as const) {
      const outcome = offerMessage(state, msg(seq), at, LIMITS);
      if (outcome.kind !== 'buffered') expect.fail('expected buffered');
      state = outcome.state;
    }
    expect(bufferDeadline(state, LIMITS)).to.equal(6_000); // from the oldest receipt
    expect(expireBuffer(state, 5_999, LIMITS).steps).to.deep.equal([]);
    const expired = expireBuffer(state, 6_000, LIMITS);
    expect(expired.steps.map((s) => (s.kind === 'apply' ? s.message.seq : `gap ${s.fromSeq}-${s.toSeq}`))).to.deep.equal(['gap 2-2', 3, 'gap 4-5', 6]);
    expect(expired.state).to.deep.equal({ lastSeq: 6, buffer: [] });
  });

  it('skips ahead at once when the reorder buffer would overflow', () => {
    let state: SequencerState = { lastSeq: 1, buffer: [] };
    for (const seq of [3, 4, 5]) {
      const outcome = offerMessage(state, msg(seq), 0, LIMITS);
      if (outcome.kind !== 'buffered') expect.fail('expected buffered');
      state = outcome.state;
    }
    expect(applied(offerMessage(state, msg(6), 0, LIMITS))).to.deep.equal(['gap 2-2', 3, 4, 5, 6]);
  });
});
