/** Helpers for blackjack tests against real servers, where the shoe is the server's (unknown) own. */
import type { Room } from '@colyseus/sdk';
import { waitForState } from './wait.ts';

/** The cards of every hand, seat by seat (`['9C 2H', …]`), from a synced state. */
export function handCards(state: any): string[][] {
  return state.seats.toArray().map((s: any) => s.hands.toArray().map((h: any) => h.cards.toArray().join(' ')));
}

/** Independent scoring of a hand from its card codes (aces 1 or 11). */
export function handTotal(codes: string[]): number {
  let sum = 0;
  let aces = 0;
  for (const c of codes) {
    const r = 'A23456789TJQK'.indexOf(c[0]!);
    sum += r === 0 ? 1 : Math.min(10, r + 1);
    if (r === 0) aces++;
  }
  return aces > 0 && sum + 10 <= 21 ? sum + 10 : sum;
}

/** Hard total of a hand's card codes when it holds no ace, else null. */
function hardTotalNoAce(codes: string[]): number | null {
  if (codes.some((c) => c[0] === 'A')) return null;
  return codes.reduce((sum, c) => sum + ('TJQK'.includes(c[0]!) ? 10 : Number(c[0])), 0);
}

export interface MidHand {
  roundId: string;
  roundNumber: number;
  /** What seat 0 did: a hit when it could neither bust nor reach 21, else a stand. */
  action: 'hit' | 'stand';
  /** Whose turn it is after that action (a hand still waits for a decision). */
  turn: { seat: number; hand: number; deadline: number };
}

/**
 * Plays rounds, `room` betting on seat 0 and `other` on seat 1, until a round is in the middle of
 * play after seat 0's first decision (a hit when safe, else a stand) with a hand still to decide.
 * Rounds that end at once (a blackjack, the dealer's, or nothing left to decide) are played out.
 */
export async function untilMidHand(room: Room, other: Room, stakeMinor: number, attempts = 15): Promise<MidHand> {
  let round = 0;
  for (let attempt = 0; attempt < attempts; attempt++) {
    const betting = await waitForState(room, (s: any) => s.phase === 'betting' && s.roundNumber > round, 15_000, 'betting');
    round = betting.roundNumber;
    const roundId: string = betting.roundId;
    for (const [r, seat] of [[room, 0], [other, 1]] as const) {
      const placed: any = await r.request('bet', { betId: `s${seat}-${round}-${Date.now()}`, seat, stakeMinor });
      if (!placed.ok) throw new Error(`bet refused: ${JSON.stringify(placed)}`);
    }
    const dealt = await waitForState(room, (s: any) => s.roundNumber === round && ['insurance', 'playing', 'settled'].includes(s.phase), 10_000, 'deal');
    if (dealt.phase === 'insurance') {
      await room.request('insurance', { seat: 0, take: false });
      await other.request('insurance', { seat: 1, take: false });
    }
    const s = await waitForState(room, (x: any) => x.roundNumber === round && (x.phase === 'playing' || x.phase === 'settled'), 10_000, 'play');
    if (s.phase === 'playing' && s.turnSeat === 0) {
      const total = hardTotalNoAce(s.seats[0].hands[0].cards.toArray());
      const action = total !== null && total <= 9 ? 'hit' : 'stand';
      const reply: any = await room.request('act', { seat: 0, hand: 0, action });
      if (!reply.ok) throw new Error(`act refused: ${JSON.stringify(reply)}`);
      if (reply.turn) return { roundId, roundNumber: round, action, turn: reply.turn };
    }
    for (let i = 0; i < 8; i++) {
      const st: any = room.state;
      if (st.roundNumber !== round || st.phase !== 'playing' || st.turnSeat < 0) break;
      const r: any = await (st.turnSeat === 0 ? room : other).request('act', { seat: st.turnSeat, hand: st.turnHand, action: 'stand' });
      if (!r.ok || !r.turn) break;
    }
    await waitForState(room, (x: any) => x.roundNumber === round && x.phase === 'settled', 10_000, 'settled');
  }
  throw new Error(`no round was left in the middle of play in ${attempts} attempts`);
}

/** Stands every remaining hand of the round (`rooms[seat]` owns seat `seat`); resolves when it is settled. */
export async function standToTheEnd(rooms: Room[], roundId: string): Promise<any> {
  for (let i = 0; i < 10; i++) {
    const st: any = rooms[0]!.state;
    if (st.roundId !== roundId || st.phase !== 'playing') break;
    const reply: any = await rooms[st.turnSeat]!.request('act', { seat: st.turnSeat, hand: st.turnHand, action: 'stand' });
    if (!reply.ok) throw new Error(`stand refused: ${JSON.stringify(reply)}`);
    if (!reply.turn) break;
    await waitForState(rooms[0]!, (x: any) => x.turnSeat === reply.turn.seat && x.turnHand === reply.turn.hand, 3000, 'the next turn');
  }
  return waitForState(rooms[0]!, (s: any) => s.roundId === roundId && s.phase === 'settled', 5000, 'settlement');
}
