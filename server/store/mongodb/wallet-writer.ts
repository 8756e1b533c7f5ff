/**
 * The wallet's write path without the database: shape checks, a call id per apply call, group
 * commit, and the batch logic, over any `LedgerSource` provided per transaction. The MongoDB
 * wallet plugs in a transaction; the unit tests plug in memory and run the shared contract.
 */
import { randomBytes } from 'node:crypto';
import type { WalletApplyOptions, WalletOp, WalletOutcome, WalletStore } from '../types.ts';
import { assertFenceShape, assertOpsShape } from '../wallet-input.ts';
import { GroupCommit, type GroupCommitOptions, type Settled } from './group-commit.ts';
import { applyCalls, type CallResult, type LedgerSource, type WalletCall } from './wallet-batch.ts';

export interface WalletWriter {
  apply: WalletStore['apply'];
  /** Ops queued or in flight. */
  readonly pending: number;
  /** Refuses new calls and resolves once every queued call is written. */
  close(): Promise<void>;
}

export interface WalletWriterOptions extends GroupCommitOptions {
  /** Runs `work` in one transaction (possibly several times, once per attempt) and returns its result. */
  inTransaction: (work: (source: LedgerSource) => Promise<CallResult[]>) => Promise<CallResult[]>;
  now: () => number;
  /** Whether a failed batch is worth splitting into single calls. */
  splitOn?: (error: unknown) => boolean;
}

/** Unique across processes and restarts: a random process token and a counter. */
export function callIdFactory(): () => string {
  const token = randomBytes(8).toString('hex');
  let n = 0;
  return () => `${token}-${(n++).toString(36)}`;
}

const toSettled = (result: CallResult): Settled<WalletOutcome[]> =>
  result.ok ? { ok: true, value: result.outcomes } : { ok: false, error: result.error };

export function createWalletWriter(opts: WalletWriterOptions): WalletWriter {
  const nextCallId = callIdFactory();
  const group = new GroupCommit<WalletCall, WalletOutcome[]>({
    maxBatchOps: opts.maxBatchOps,
    maxPendingOps: opts.maxPendingOps,
    weight: (call) => call.ops.length,
    splitOn: opts.splitOn,
    runBatch: async (calls) => (await opts.inTransaction((source) => applyCalls(source, calls, opts.now))).map(toSettled),
  });
  return {
    async apply(ops: WalletOp[], applyOpts?: WalletApplyOptions) {
      assertOpsShape(ops);
      assertFenceShape(applyOpts?.fence);
      return group.submit({ callId: nextCallId(), ops, atomic: applyOpts?.atomic === true, ...(applyOpts?.fence ? { fence: { roomId: applyOpts.fence.roomId, fence: applyOpts.fence.fence } } : {}) });
    },
    get pending() {
      return group.pending;
    },
    close: () => group.close(),
  };
}
