import { expect } from 'chai';
import { backoffMs, RetryBudget, RetryBudgetExhausted, retrying, retryPolicy } from '../../../server/store/mongodb/retry.ts';
import { expectStoreError } from '../contract/helpers.ts';

/** A clock that only moves when the code under test sleeps. */
function fakeTime() {
  let now = 0;
  const sleeps: number[] = [];
  return {
    clock: () => now,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      now += ms;
    },
    advance: (ms: number) => {
      now += ms;
    },
    sleeps,
  };
}

class Transient extends Error {}

describe('mongodb transaction retry policy', () => {
  it('fills in defaults and refuses nonsense settings', async () => {
    expect(retryPolicy()).to.deep.equal({ maxAttempts: 20, baseDelayMs: 10, maxDelayMs: 1_000, maxTotalMs: 15_000 });
    expect(retryPolicy({ maxAttempts: 3 }).maxAttempts).to.equal(3);
    for (const bad of [{ maxAttempts: 0 }, { baseDelayMs: -1 }, { maxTotalMs: 1.5 }, { baseDelayMs: 100, maxDelayMs: 10 }]) {
      await expectStoreError(Promise.resolve().then(() => retryPolicy(bad)), 'store/invalid_argument');
    }
  });

  it('backs off exponentially with full jitter, capped', () => {
    const policy = retryPolicy({ baseDelayMs: 10, maxDelayMs: 100 });
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffMs(policy, n, () => 0.999999))).to.deep.equal([9, 19, 39, 79, 99, 99]);
    expect(backoffMs(policy, 3, () => 0)).to.equal(0);
    expect(backoffMs(policy, 3, () => 0.5)).to.equal(20);
    // A random source returning 1 (some do) still stays below the cap.
    expect(backoffMs(policy, 10, () => 1)).to.be.below(100);
  });

  it('allows maxAttempts attempts, then throws RetryBudgetExhausted carrying the last error', () => {
    const time = fakeTime();
    const budget = new RetryBudget(retryPolicy({ maxAttempts: 3 }), time.clock);
    budget.begin();
    budget.begin();
    budget.lastError = new Transient('write conflict');
    budget.begin();
    expect(() => budget.begin()).to.throw(RetryBudgetExhausted, /gave up after 3 attempts.*write conflict/);
    expect(budget.attempts).to.equal(3);
  });

  it('starts no attempt after maxTotalMs, but always the first', () => {
    const time = fakeTime();
    const budget = new RetryBudget(retryPolicy({ maxTotalMs: 100 }), time.clock);
    time.advance(500);
    budget.begin();
    expect(() => budget.begin()).to.throw(RetryBudgetExhausted);
  });

  it('offers no delay that would end past maxTotalMs', () => {
    const time = fakeTime();
    const budget = new RetryBudget(retryPolicy({ baseDelayMs: 50, maxDelayMs: 50, maxTotalMs: 100 }), time.clock);
    budget.begin();
    time.advance(60);
    expect(budget.nextDelayMs(() => 0.9)).to.equal(null);
    expect(budget.nextDelayMs(() => 0.5)).to.equal(25);
  });

  describe('retrying', () => {
    it('retries retryable failures until one attempt succeeds, sleeping the backoff in between', async () => {
      const time = fakeTime();
      const budget = new RetryBudget(retryPolicy({ baseDelayMs: 10, maxDelayMs: 1_000 }), time.clock);
      let calls = 0;
      const seen: Array<[number, number]> = [];
      const result = await retrying(async () => {
        budget.begin();
        if (++calls < 4) throw new Transient(`conflict ${calls}`);
        return 'done';
      }, { budget, shouldRetry: (e) => e instanceof Transient, sleep: time.sleep, random: () => 0.5, onRetry: (_e, attempt, delay) => seen.push([attempt, delay]) });
      expect(result).to.equal('done');
      expect(calls).to.equal(4);
      expect(time.sleeps).to.deep.equal([5, 10, 20]);
      expect(seen).to.deep.equal([[1, 5], [2, 10], [3, 20]]);
    });

    it('stops at the first error that is not retryable', async () => {
      const time = fakeTime();
      const budget = new RetryBudget(retryPolicy(), time.clock);
      let calls = 0;
      const failure = new Error('bad value');
      const outcome = await retrying(async () => {
        budget.begin();
        calls++;
        throw failure;
      }, { budget, shouldRetry: (e) => e instanceof Transient, sleep: time.sleep }).catch((e: unknown) => e);
      expect(outcome).to.equal(failure);
      expect(calls).to.equal(1);
    });

    it('throws the last error as it is once the attempts are spent', async () => {
      const time = fakeTime();
      const budget = new RetryBudget(retryPolicy({ maxAttempts: 5 }), time.clock);
      let calls = 0;
      const outcome = await retrying(async () => {
        budget.begin();
        throw new Transient(`conflict ${++calls}`);
      }, { budget, shouldRetry: (e) => e instanceof Transient, sleep: time.sleep, random: () => 0.5 }).catch((e: unknown) => e);
      expect(outcome).to.be.instanceOf(Transient).with.property('message', 'conflict 5');
      expect(calls).to.equal(5);
      expect(time.sleeps).to.have.length(4);
    });

    it('stops within the total time budget', async () => {
      const time = fakeTime();
      const budget = new RetryBudget(retryPolicy({ maxAttempts: 1_000, baseDelayMs: 100, maxDelayMs: 100, maxTotalMs: 1_000 }), time.clock);
      let calls = 0;
      await retrying(async () => {
        budget.begin();
        calls++;
        time.advance(150); // each attempt itself takes time
        throw new Transient('slow');
      }, { budget, shouldRetry: () => true, sleep: time.sleep, random: () => 0.5 }).catch(() => undefined);
      expect(time.clock()).to.be.at.most(1_000 + 150);
      expect(calls).to.be.within(2, 6);
    });

    it('counts attempts made inside the work (the driver\'s own retries) against the same budget', async () => {
      const time = fakeTime();
      const budget = new RetryBudget(retryPolicy({ maxAttempts: 4 }), time.clock);
      // Each outer attempt runs the callback three times, like withTransaction retrying a write conflict.
      const outcome = await retrying(async () => {
        for (let i = 0; i < 3; i++) budget.begin();
        throw new Transient('escaped the driver');
      }, { budget, shouldRetry: (e) => e instanceof Transient, sleep: time.sleep }).catch((e: unknown) => e);
      expect(outcome).to.be.instanceOf(RetryBudgetExhausted);
      expect(budget.attempts).to.equal(4);
    });
  });
});
