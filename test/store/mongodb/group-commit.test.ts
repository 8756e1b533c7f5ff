import { expect } from 'chai';
import { StoreError } from '../../../server/store/types.ts';
import { GroupCommit, type Settled } from '../../../server/store/mongodb/group-commit.ts';
import { expectStoreError } from '../contract/helpers.ts';

interface Call {
  id: string;
  ops: number;
}

/** A batch runner that records its batches and answers each call with its id, unless told to fail. */
function recorder(opts: { failBatch?: (calls: Call[]) => unknown; failCall?: (call: Call) => unknown; delayMs?: number } = {}) {
  const batches: string[][] = [];
  const runBatch = async (calls: Call[]): Promise<Array<Settled<string>>> => {
    batches.push(calls.map((c) => c.id));
    if (opts.delayMs) await new Promise((resolve) => setTimeout(resolve, opts.delayMs));
    const failure = opts.failBatch?.(calls);
    if (failure) throw failure;
    return calls.map((c) => {
      const error = opts.failCall?.(c);
      return error ? { ok: false, error } : { ok: true, value: `done:${c.id}` };
    });
  };
  return { batches, runBatch };
}

const call = (id: string, ops = 1): Call => ({ id, ops });

describe('mongodb wallet group commit', () => {
  it('writes the calls of one tick in one batch and settles each with its own result', async () => {
    const r = recorder({ failCall: (c) => (c.id === 'b' ? new Error('b failed') : null) });
    const group = new GroupCommit<Call, string>({ runBatch: r.runBatch, weight: (c) => c.ops });
    const results = await Promise.allSettled([group.submit(call('a')), group.submit(call('b')), group.submit(call('c'))]);
    expect(r.batches).to.deep.equal([['a', 'b', 'c']]);
    expect(results.map((x) => (x.status === 'fulfilled' ? x.value : (x.reason as Error).message))).to.deep.equal(['done:a', 'b failed', 'done:c']);
  });

  it('runs one batch at a time; calls arriving meanwhile form the next batch', async () => {
    const r = recorder({ delayMs: 20 });
    const group = new GroupCommit<Call, string>({ runBatch: r.runBatch, weight: (c) => c.ops });
    const first = group.submit(call('a'));
    await new Promise((resolve) => setTimeout(resolve, 5)); // 'a' is in flight
    const later = [group.submit(call('b')), group.submit(call('c'))];
    await Promise.all([first, ...later]);
    expect(r.batches).to.deep.equal([['a'], ['b', 'c']]);
  });

  it('caps a batch at maxBatchOps ops, but always takes at least one call', async () => {
    const r = recorder();
    const group = new GroupCommit<Call, string>({ runBatch: r.runBatch, weight: (c) => c.ops, maxBatchOps: 3 });
    await Promise.all([call('a', 2), call('b', 1), call('c', 2), call('big', 5), call('d', 1)].map((c) => group.submit(c)));
    expect(r.batches).to.deep.equal([['a', 'b'], ['c'], ['big'], ['d']]);
  });

  it('retries the calls of a failed batch one by one, so only a poison call fails', async () => {
    const poison = new Error('poison');
    const r = recorder({ failBatch: (calls) => (calls.some((c) => c.id === 'p') ? poison : null) });
    const group = new GroupCommit<Call, string>({ runBatch: r.runBatch, weight: (c) => c.ops });
    const results = await Promise.allSettled([group.submit(call('a')), group.submit(call('p')), group.submit(call('c'))]);
    expect(results.map((x) => x.status)).to.deep.equal(['fulfilled', 'rejected', 'fulfilled']);
    expect(r.batches).to.deep.equal([['a', 'p', 'c'], ['a'], ['p'], ['c']]);
  });

  it('does not split when the failure is not one call\'s doing', async () => {
    const down = new StoreError('store/unreachable', 'gone');
    const r = recorder({ failBatch: () => down });
    const group = new GroupCommit<Call, string>({ runBatch: r.runBatch, weight: (c) => c.ops, splitOn: (e) => e !== down });
    const results = await Promise.allSettled([group.submit(call('a')), group.submit(call('b'))]);
    expect(results.map((x) => x.status === 'rejected' && x.reason)).to.deep.equal([down, down]);
    expect(r.batches).to.deep.equal([['a', 'b']]);
  });

  it('fails fast with store/overloaded beyond maxPendingOps', async () => {
    const r = recorder({ delayMs: 10 });
    const group = new GroupCommit<Call, string>({ runBatch: r.runBatch, weight: (c) => c.ops, maxPendingOps: 3 });
    const accepted = [group.submit(call('a', 2)), group.submit(call('b', 1))];
    await expectStoreError(group.submit(call('c', 1)), 'store/overloaded');
    await Promise.all(accepted);
    expect(group.pending).to.equal(0);
    expect(await group.submit(call('d', 3))).to.equal('done:d');
  });

  it('writes what is queued on close and refuses new calls after', async () => {
    const r = recorder({ delayMs: 5 });
    const group = new GroupCommit<Call, string>({ runBatch: r.runBatch, weight: (c) => c.ops });
    const queued = [group.submit(call('a')), group.submit(call('b'))];
    await group.close();
    expect(await Promise.all(queued)).to.deep.equal(['done:a', 'done:b']);
    await expectStoreError(group.submit(call('c')), 'store/closed');
  });

  it('refuses limits that are not positive integers', () => {
    expect(() => new GroupCommit<Call, string>({ runBatch: async () => [], weight: () => 1, maxBatchOps: 0 })).to.throw(StoreError);
  });
});
