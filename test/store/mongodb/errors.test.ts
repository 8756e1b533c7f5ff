/**
 * Error translation against the driver's own error classes (built the way the driver builds
 * them from server replies), so no server is needed.
 */
import { expect } from 'chai';
import {
  MongoBulkWriteError,
  MongoErrorLabel,
  MongoNetworkError,
  MongoNetworkTimeoutError,
  MongoServerError,
  MongoServerSelectionError,
  MongoTopologyClosedError,
  type BulkWriteResult,
  type TopologyDescription,
} from 'mongodb';
import { StoreError } from '../../../server/store/types.ts';
import { duplicateKeyOf, isRetryable, translateError, WriteRace, type ErrorContext } from '../../../server/store/mongodb/errors.ts';
import { RetryBudgetExhausted } from '../../../server/store/mongodb/retry.ts';

const dupMessage = (coll: string, index: string, key: string) =>
  `E11000 duplicate key error collection: casino_test.${coll} index: ${index} dup key: ${key}`;

function dup(coll: string, index: string, keyPattern: Record<string, number>): MongoServerError {
  return new MongoServerError({
    message: dupMessage(coll, index, JSON.stringify(keyPattern)),
    code: 11000,
    codeName: 'DuplicateKey',
    keyPattern,
    keyValue: Object.fromEntries(Object.keys(keyPattern).map((k) => [k, 'x'])),
  });
}

/** The driver's WriteError (not exported at run time): the server's write error behind getters. */
class FakeWriteError {
  constructor(readonly err: { index: number; code: number; errmsg: string }) {}
  get code(): number {
    return this.err.code;
  }
  get errmsg(): string {
    return this.err.errmsg;
  }
}

function bulkDup(coll: string, index: string): MongoBulkWriteError {
  const writeError = new FakeWriteError({ index: 0, code: 11000, errmsg: dupMessage(coll, index, '{ _id: "k" }') });
  const error = { message: writeError.errmsg, code: 11000, writeErrors: [writeError] } as unknown as ConstructorParameters<typeof MongoBulkWriteError>[0];
  return new MongoBulkWriteError(error, {} as BulkWriteResult);
}

function withLabel(code: number, label: string, message = 'server said no'): MongoServerError {
  return new MongoServerError({ message, code, errorLabels: [label] });
}

const selectionError = () =>
  new MongoServerSelectionError('connect ECONNREFUSED 127.0.0.1:27017', {} as TopologyDescription);

function expectStoreError(error: unknown, code: string): void {
  expect(error).to.be.instanceOf(StoreError);
  expect((error as StoreError).code).to.equal(code);
}

describe('mongodb error translation', () => {
  describe('duplicate keys', () => {
    it('reads collection, index and key fields from a plain write error', () => {
      expect(duplicateKeyOf(dup('users', 'users_username_key', { usernameKey: 1 }))).to.deep.equal({
        collection: 'users', index: 'users_username_key', fields: ['usernameKey'],
      });
    });

    it('reads them from the first duplicate in a bulk write error', () => {
      expect(duplicateKeyOf(bulkDup('wallet_keys', '_id_'))).to.deep.equal({ collection: 'wallet_keys', index: '_id_', fields: ['_id'] });
    });

    it('falls back to the key pattern when the message names no index', () => {
      const e = new MongoServerError({ message: 'E11000 duplicate key error', code: 11000, keyPattern: { _id: 1 } });
      expect(duplicateKeyOf(e)).to.deep.equal({ collection: null, index: '_id_', fields: ['_id'] });
    });

    it('is null for anything else', () => {
      expect(duplicateKeyOf(new MongoServerError({ message: 'nope', code: 2 }))).to.equal(null);
      expect(duplicateKeyOf(new Error('E11000 in a message only'))).to.equal(null);
      expect(duplicateKeyOf(null)).to.equal(null);
    });

    it('is a taken username or a duplicate id for users', () => {
      expectStoreError(translateError(dup('users', 'users_username_key', { usernameKey: 1 }), 'users'), 'store/username_taken');
      expectStoreError(translateError(dup('users', '_id_', { _id: 1 }), 'users'), 'store/duplicate_id');
      expect(isRetryable(dup('users', 'users_username_key', { usernameKey: 1 }), 'users')).to.equal(false);
    });

    it('is retried in the wallet, journal and games (a concurrent writer got there first), final elsewhere', () => {
      for (const context of ['wallet', 'journal', 'games'] as ErrorContext[]) expect(isRetryable(bulkDup('wallet_keys', '_id_'), context), context).to.equal(true);
      for (const context of ['users', 'accounts', 'read', 'startup'] as ErrorContext[]) expect(isRetryable(bulkDup('x', '_id_'), context), context).to.equal(false);
    });

    it('is a sequence conflict for the journal when retries did not settle it', () => {
      expectStoreError(translateError(bulkDup('journal', 'journal_room_seq'), 'journal'), 'journal/seq_conflict');
    });
  });

  describe('transient failures', () => {
    it('retries errors the server labels transient or of unknown commit outcome, and retryable writes', () => {
      for (const label of [MongoErrorLabel.TransientTransactionError, MongoErrorLabel.UnknownTransactionCommitResult, MongoErrorLabel.RetryableWriteError]) {
        expect(isRetryable(withLabel(1, label), 'wallet'), label).to.equal(true);
      }
    });

    it('retries write conflicts, elections and shutdowns by code', () => {
      for (const code of [112, 189, 10107, 11602, 91, 251]) expect(isRetryable(new MongoServerError({ message: 'x', code }), 'journal'), String(code)).to.equal(true);
      expect(isRetryable(new MongoServerError({ message: 'bad value', code: 2 }), 'wallet')).to.equal(false);
    });

    it('retries a WriteRace and network failures but not our own errors or an exhausted budget', () => {
      expect(isRetryable(new WriteRace('moved'), 'wallet')).to.equal(true);
      expect(isRetryable(new MongoNetworkError('socket hang up'), 'wallet')).to.equal(true);
      expect(isRetryable(selectionError(), 'wallet')).to.equal(true);
      expect(isRetryable(new StoreError('journal/seq_conflict', 'x'), 'journal')).to.equal(false);
      expect(isRetryable(new RetryBudgetExhausted(3, 100, undefined), 'wallet')).to.equal(false);
      expect(isRetryable(new Error('bug'), 'wallet')).to.equal(false);
    });
  });

  describe('what callers see', () => {
    it('reports network and server-selection failures as store/unreachable', () => {
      expectStoreError(translateError(selectionError(), 'read'), 'store/unreachable');
      expectStoreError(translateError(new MongoNetworkTimeoutError('timed out'), 'wallet'), 'store/unreachable');
      expectStoreError(translateError(new RetryBudgetExhausted(3, 15_000, new MongoNetworkError('reset')), 'wallet'), 'store/unreachable');
    });

    it('reports a closed client as store/closed', () => {
      expectStoreError(translateError(new MongoTopologyClosedError(), 'read'), 'store/closed');
    });

    it('reports an exhausted retry budget, a lasting race and an unconfirmed commit as store/busy', () => {
      expectStoreError(translateError(new RetryBudgetExhausted(20, 900, withLabel(112, MongoErrorLabel.TransientTransactionError)), 'wallet'), 'store/busy');
      expectStoreError(translateError(new WriteRace('counter moved'), 'wallet'), 'store/busy');
      const unknown = translateError(withLabel(50, MongoErrorLabel.UnknownTransactionCommitResult), 'wallet');
      expectStoreError(unknown, 'store/busy');
      expect((unknown as Error).message).to.match(/may have been applied/);
    });

    it('reports refused credentials as store/unauthorized', () => {
      expectStoreError(translateError(new MongoServerError({ message: 'Authentication failed.', code: 18 }), 'startup'), 'store/unauthorized');
    });

    it('passes StoreErrors through and leaves unrecognised errors as they are (bugs fail loudly)', () => {
      const ours = new StoreError('journal/stale_fence', 'x');
      expect(translateError(ours, 'journal')).to.equal(ours);
      const bug = new TypeError('undefined is not a function');
      expect(translateError(bug, 'wallet')).to.equal(bug);
      const unknown = new MongoServerError({ message: 'BadValue', code: 2 });
      expect(translateError(unknown, 'wallet')).to.equal(unknown);
    });
  });
});
