/**
 * The funded append (../funded.ts) as one job of the write transaction: the journal's fence and
 * sequence checked once, then each entry in order; a funded entry's ops run in a savepoint of
 * their own and, when they do not fund it (a refusal, or a stake hold that is not open: the bet id
 * was used before), are rolled back with the ledger's in-memory effects and its records skipped.
 * One commit makes every appended record and its stake's hold durable together.
 */
import type { DatabaseSync } from 'node:sqlite';
import type { WalletOp, WalletOutcome } from '../types.ts';
import { funded, type FundedAppendResult } from '../funded.ts';
import type { EncodedEvent } from '../journal-input.ts';
import { abortedExcept } from '../wallet-input.ts';
import { executeWalletCall } from '../wallet-ops.ts';
import type { BatchLedger } from './batch-ledger.ts';
import type { journalAppender } from './journal.ts';

/** Stops an atomic group at its first refusal. */
class Refused {
  constructor(readonly outcomes: WalletOutcome[]) {}
}

export function fundedWrites(db: DatabaseSync, ledger: BatchLedger, appender: ReturnType<typeof journalAppender>) {
  const sql = {
    savepoint: db.prepare('SAVEPOINT funded'),
    rollbackTo: db.prepare('ROLLBACK TO funded'),
    release: db.prepare('RELEASE funded'),
  };

  /** The entry's ops, atomic; undone (SQL and ledger) unless they fund it. */
  function fund(ops: WalletOp[], at: number): WalletOutcome[] {
    sql.savepoint.run();
    const mark = ledger.mark();
    let outcomes: WalletOutcome[] = [];
    try {
      executeWalletCall(ledger, ops, at, (outcome, i) => {
        if (!outcome.ok) throw new Refused(abortedExcept(ops, i, outcome));
        outcomes.push(outcome);
      });
    } catch (err) {
      if (!(err instanceof Refused)) throw err; // the whole job fails (its own savepoint)
      outcomes = err.outcomes;
    }
    if (!funded(outcomes)) {
      sql.rollbackTo.run();
      ledger.undo(mark);
    }
    sql.release.run();
    return outcomes;
  }

  return {
    'journal.appendFunded'(roomId: string, firstSeq: number, entries: Array<{ encoded: EncodedEvent[]; ops: WalletOp[] | null }>, fence: number | undefined, at: number): FundedAppendResult {
      appender.check(roomId, firstSeq, fence);
      let seq = firstSeq;
      const outcomes: FundedAppendResult['outcomes'] = [];
      for (const entry of entries) {
        if (entry.ops) {
          const result = fund(entry.ops, at);
          outcomes.push(result);
          if (!funded(result)) continue;
        } else outcomes.push(null);
        appender.insert(roomId, seq, entry.encoded, at);
        seq += entry.encoded.length;
      }
      if (seq > firstSeq) appender.setLast(roomId, seq - 1);
      return { appended: seq - firstSeq, outcomes };
    },
  };
}
