/**
 * Bets applied ahead of their durable write (rooms/host/optimistic.ts), driven directly with a
 * small immutable actor: a refused bet is taken back whatever its place among those in flight,
 * other decisions wait for the bets in flight and bets arriving meanwhile wait behind them.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import { MAX_IN_FLIGHT, OptimisticBets } from '../../rooms/host/optimistic.ts';

type Ev = { type: 'bet'; id: string; stake: number } | { type: 'close' };
interface St { bets: readonly string[]; total: number; closed: boolean }
const evolve = (s: St, e: Ev): St => (e.type === 'bet' ? { ...s, bets: [...s.bets, e.id], total: s.total + e.stake } : { ...s, closed: true });

function actor() {
  const box = { state: { bets: [], total: 0, closed: false } as St };
  const bets = new OptimisticBets<Ev>({ get: () => box.state, set: (s) => (box.state = s as St), apply: (e) => (box.state = evolve(box.state, e)) });
  return { box, bets };
}
const bet = (id: string, stake = 10): Ev[] => [{ type: 'bet', id, stake }];

describe('optimistic bets (host)', () => {
  it('takes back a refused bet in the middle and keeps the ones before and after it', () => {
    const { box, bets } = actor();
    const a = bets.begin(bet('a', 1));
    const b = bets.begin(bet('b', 2));
    const c = bets.begin(bet('c', 4));
    expect(box.state).to.include({ total: 7 });
    bets.settle(b, true);
    expect(box.state.bets).to.deep.equal(['a', 'c']);
    expect(box.state.total).to.equal(5);
    bets.settle(a, false);
    bets.settle(c, false);
    expect(bets.pending).to.equal(0);
    expect(box.state.bets).to.deep.equal(['a', 'c']);
  });

  it('runs an exclusive decision only once no bet is in flight, and makes later bets wait behind it', async () => {
    const { box, bets } = actor();
    const a = bets.begin(bet('a'));
    const order: string[] = [];
    const closing = bets.exclusive(() => {
      order.push('close');
      box.state = evolve(box.state, { type: 'close' });
    });
    expect(bets.blocked, 'a bet arriving now waits').to.equal(true);
    const late = bets.admit().then(() => order.push(`late sees closed=${box.state.closed}`));
    await Promise.resolve();
    expect(order, 'nothing runs while a is in flight').to.deep.equal([]);
    bets.settle(a, false);
    await Promise.all([closing, late]);
    expect(order).to.deep.equal(['close', 'late sees closed=true']);
    expect(bets.blocked).to.equal(false);
  });

  it('caps the bets in flight: the next one waits until one is answered', async () => {
    const { bets } = actor();
    const entries = Array.from({ length: MAX_IN_FLIGHT }, (_, i) => bets.begin(bet(`b${i}`)));
    expect(bets.blocked).to.equal(true);
    let admitted = false;
    const waiting = bets.admit().then(() => (admitted = true));
    await Promise.resolve();
    expect(admitted).to.equal(false);
    bets.settle(entries[0]!, false);
    await waiting;
    expect(bets.blocked).to.equal(false);
  });

  it('runs an exclusive decision at once when nothing is in flight', async () => {
    const { bets } = actor();
    let ran = false;
    const p = bets.exclusive(() => (ran = true));
    expect(ran, 'synchronously').to.equal(true);
    await p;
  });

  it('property: bets placed and answered interleaved, some refused: the state is always the accepted and in-flight bets in placement order', () => {
    fc.assert(fc.property(
      fc.array(fc.oneof(fc.record({ kind: fc.constant('bet' as const), stake: fc.integer({ min: 1, max: 100 }) }), fc.record({ kind: fc.constant('answer' as const), pick: fc.nat(), refuse: fc.boolean() })), { maxLength: 60 }),
      (steps) => {
        const { box, bets } = actor();
        const open: Array<{ id: string; stake: number; entry: ReturnType<typeof bets.begin> }> = [];
        const kept: Array<{ id: string; stake: number; n: number }> = [];
        let n = 0;
        for (const step of steps) {
          if (step.kind === 'bet') {
            const id = `b${n}`;
            const entry = bets.begin(bet(id, step.stake));
            open.push({ id, stake: step.stake, entry });
            kept.push({ id, stake: step.stake, n: n++ });
          } else if (open.length > 0) {
            const [chosen] = open.splice(step.pick % open.length, 1);
            bets.settle(chosen!.entry, step.refuse);
            if (step.refuse) kept.splice(kept.findIndex((k) => k.id === chosen!.id), 1);
          }
          expect(box.state.bets).to.deep.equal(kept.map((k) => k.id));
          expect(box.state.total).to.equal(kept.reduce((t, k) => t + k.stake, 0));
        }
      },
    ), { numRuns: 300 });
  });

  it('property: whatever bets are refused and in whatever order the store answers, the state is the accepted bets in placement order', () => {
    fc.assert(fc.property(
      fc.array(fc.tuple(fc.integer({ min: 1, max: 100 }), fc.boolean()), { minLength: 1, maxLength: 20 }),
      fc.func(fc.integer()),
      (specs, rank) => {
        const { box, bets } = actor();
        const entries = specs.map(([stake], i) => bets.begin(bet(`b${i}`, stake)));
        // The store answers in an arbitrary order.
        const answerOrder = specs.map((_, i) => i).sort((x, y) => rank(x) - rank(y) || x - y);
        for (const i of answerOrder) bets.settle(entries[i]!, specs[i]![1]);
        const accepted = specs.flatMap(([stake, refused], i) => (refused ? [] : [[`b${i}`, stake] as const]));
        expect(box.state.bets).to.deep.equal(accepted.map(([id]) => id));
        expect(box.state.total).to.equal(accepted.reduce((n, [, s]) => n + s, 0));
        expect(bets.pending).to.equal(0);
      },
    ), { numRuns: 300 });
  });
});
