/**
 * Error translation: which driver errors are worth another attempt, and what the port's callers
 * see when an attempt fails for good (a StoreError with a namespaced code, or the error itself
 * when it means a bug). Pure: unit-tested without a server (test/store/mongodb/errors.test.ts).
 */
import {
  MongoError,
  MongoErrorLabel,
  MongoNetworkError,
  MongoNotConnectedError,
  MongoServerClosedError,
  MongoServerSelectionError,
  MongoTopologyClosedError,
} from 'mongodb';
import { StoreError } from '../types.ts';
import { RetryBudgetExhausted } from './retry.ts';

/** What the failing operation was doing: the same duplicate key means different things. */
export type ErrorContext = 'startup' | 'read' | 'wallet' | 'accounts' | 'journal' | 'users' | 'games' | 'audit' | 'protection';

/**
 * A conditional write inside a wallet transaction matched nothing: the documents changed under
 * the transaction (or the batch was decided on a stale view). Nothing was committed; the whole
 * transaction is retried from fresh reads.
 */
export class WriteRace extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WriteRace';
  }
}

/** Server error codes that mean "try again": write conflicts, elections, shutdowns, lock and time limits. */
export const TRANSIENT_CODES: ReadonlySet<number> = new Set([
  6, // HostUnreachable
  7, // HostNotFound
  24, // LockTimeout
  89, // NetworkTimeout
  91, // ShutdownInProgress
  112, // WriteConflict
  189, // PrimarySteppedDown
  251, // NoSuchTransaction
  262, // ExceededTimeLimit
  9001, // SocketException
  10107, // NotWritablePrimary
  11600, // InterruptedAtShutdown
  11602, // InterruptedDueToReplStateChange
  13435, // NotPrimaryNoSecondaryOk
  13436, // NotPrimaryOrSecondary
]);

const AUTH_CODES: ReadonlySet<number> = new Set([13, 18]); // Unauthorized, AuthenticationFailed

const RETRY_LABELS = [
  MongoErrorLabel.TransientTransactionError,
  MongoErrorLabel.UnknownTransactionCommitResult,
  MongoErrorLabel.RetryableWriteError,
] as const;

function serverCode(error: unknown): number | null {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : null;
}

function hasLabel(error: unknown, label: string): boolean {
  return error instanceof MongoError && error.hasErrorLabel(label);
}

/** The server cannot be reached (or stopped answering): a network or server-selection failure. */
export function isUnreachable(error: unknown): boolean {
  return error instanceof MongoNetworkError || error instanceof MongoServerSelectionError;
}

/** The client was closed by us (store.close()), so the operation came too late. */
export function isClosed(error: unknown): boolean {
  return (
    error instanceof MongoTopologyClosedError ||
    error instanceof MongoNotConnectedError ||
    error instanceof MongoServerClosedError
  );
}

export interface DuplicateKey {
  /** Collection name without the database, when the server said. */
  collection: string | null;
  /** Index name, when the server said (or `_id_` when the key pattern is `_id`). */
  index: string | null;
  /** Field names of the violated key. */
  fields: string[];
}

const DUP_MESSAGE = /collection: [^.\s]+\.(\S+) index: (\S+)/;

/** The duplicate key behind an error (E11000), from a plain write or the first bulk write error; else null. */
export function duplicateKeyOf(error: unknown): DuplicateKey | null {
  if (typeof error !== 'object' || error === null) return null;
  const e = error as DupSource & { writeErrors?: unknown; errorResponse?: DupSource };
  const writeErrors = (Array.isArray(e.writeErrors) ? e.writeErrors : e.writeErrors ? [e.writeErrors] : []) as DupSource[];
  const hit = [e, ...writeErrors].find((candidate) => isDupCode(candidate?.code));
  if (!hit) return null;

  const texts = [hit.errmsg, hit.err?.errmsg, hit.message, e.errmsg, e.message];
  const parsed = texts.map((t) => (typeof t === 'string' ? DUP_MESSAGE.exec(t) : null)).find((m) => m !== null) ?? null;
  const pattern = hit.keyPattern ?? e.keyPattern ?? e.errorResponse?.keyPattern;
  const fields = pattern && typeof pattern === 'object' ? Object.keys(pattern) : [];
  let index = parsed ? parsed[2]! : null;
  if (index === null && fields.length === 1 && fields[0] === '_id') index = '_id_';
  if (fields.length === 0 && index === '_id_') fields.push('_id');
  return { collection: parsed ? parsed[1]! : null, index, fields };
}

interface DupSource {
  code?: unknown;
  message?: unknown;
  errmsg?: unknown;
  keyPattern?: unknown;
  err?: { errmsg?: unknown };
}

function isDupCode(code: unknown): boolean {
  return code === 11000 || code === 11001;
}

function isIdKey(dup: DuplicateKey): boolean {
  return dup.index === '_id_' || (dup.fields.length === 1 && dup.fields[0] === '_id');
}

/**
 * True when another attempt may succeed. A duplicate key in the wallet, journal or games
 * context means a concurrent writer got there first: the next attempt re-reads and answers
 * from what it wrote (a replay, a sequence conflict, a merge). For users it is final.
 */
export function isRetryable(error: unknown, context: ErrorContext): boolean {
  if (error instanceof StoreError || error instanceof RetryBudgetExhausted) return false;
  if (error instanceof WriteRace) return true;
  if (isClosed(error)) return false;
  if (RETRY_LABELS.some((label) => hasLabel(error, label))) return true;
  if (isUnreachable(error)) return true;
  const code = serverCode(error);
  if (code !== null && TRANSIENT_CODES.has(code)) return true;
  if (duplicateKeyOf(error)) return context === 'wallet' || context === 'journal' || context === 'games' || context === 'audit' || context === 'protection';
  return false;
}

const describe = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * The error a caller of the port sees. Expected conditions become StoreErrors; anything
 * unrecognised is returned unchanged so it fails loudly as a bug.
 */
export function translateError(error: unknown, context: ErrorContext): unknown {
  if (error instanceof StoreError) return error;
  if (error instanceof RetryBudgetExhausted) {
    const last = error.lastError;
    if (last !== undefined && isUnreachable(last)) return new StoreError('store/unreachable', `MongoDB is unreachable: ${describe(last)}`);
    return new StoreError('store/busy', `MongoDB ${context} write did not go through: ${error.message}`);
  }
  if (isClosed(error)) return new StoreError('store/closed', 'the store is closed');
  if (isUnreachable(error)) return new StoreError('store/unreachable', `MongoDB is unreachable: ${describe(error)}`);
  const code = serverCode(error);
  if (code !== null && AUTH_CODES.has(code)) return new StoreError('store/unauthorized', `MongoDB refused the credentials or the operation: ${describe(error)}`);

  const dup = duplicateKeyOf(error);
  if (dup) {
    switch (context) {
      case 'users':
        return isIdKey(dup)
          ? new StoreError('store/duplicate_id', 'a user with this id already exists')
          : new StoreError('store/username_taken', 'the username is taken');
      case 'journal':
        return new StoreError('journal/seq_conflict', `a concurrent append took these sequence numbers (${dup.index ?? 'unknown index'})`);
      case 'accounts':
        return new StoreError('store/account_conflict', 'the account was created concurrently with different settings');
      default:
        return new StoreError('store/busy', `concurrent writers kept colliding on ${dup.collection ?? 'a collection'} (${dup.index ?? 'unknown index'})`);
    }
  }
  if (error instanceof WriteRace) return new StoreError('store/busy', error.message);
  if (hasLabel(error, MongoErrorLabel.UnknownTransactionCommitResult)) {
    return new StoreError('store/busy', `MongoDB could not confirm the commit (it may have been applied; repeating the call is safe): ${describe(error)}`);
  }
  if (code !== null && TRANSIENT_CODES.has(code)) return new StoreError('store/busy', `MongoDB kept failing transiently: ${describe(error)}`);
  if (RETRY_LABELS.some((label) => hasLabel(error, label))) {
    return new StoreError('store/busy', `MongoDB kept failing transiently: ${describe(error)}`);
  }
  return error;
}
