/**
 * Funded appends: a room's journal records and, for some of them, the wallet ops that fund them
 * (a bet's reserve), written as one store call. An entry with funding is appended only when its
 * ops all succeed and its last op (the stake's reserve) leaves an open hold; otherwise its ops are
 * undone and its records skipped, and the later entries take the next sequence numbers. So a
 * bet's record and its stake's hold are durable together or not at all, in one write.
 *
 * SQLite does this in one job of its write transaction (sqlite/funded.ts), MongoDB in one
 * transaction through the wallet's batch logic (mongodb/journal.ts).
 */
import { MAX_EVENTS_PER_APPEND, invalid } from './journal-input.ts';
import { StoreError } from './types.ts';
import { assertOpsShape } from './wallet-input.ts';
import type { JournalEvent, WalletOp, WalletOutcome } from './types.ts';

export interface FundedEntry {
  records: JournalEvent[];
  /** The ops funding the records, applied as one atomic group; the last one is the stake's reserve. */
  funding?: WalletOp[];
}

export interface FundedAppendResult {
  /** Records appended (the next append starts at firstSeq + appended). */
  appended: number;
  /** Per entry: the funding's outcomes (null for an unfunded entry). */
  outcomes: Array<WalletOutcome[] | null>;
}

/** At most this many entries per call. */
export const MAX_FUNDED_ENTRIES = 1000;

/** Whether a funded entry's outcomes let its records in: every op applied and the stake's hold open. */
export function funded(outcomes: readonly WalletOutcome[]): boolean {
  const last = outcomes[outcomes.length - 1];
  return outcomes.every((o) => o.ok) && last !== undefined && last.ok && last.hold?.status === 'open';
}

export function assertFundedEntries(entries: FundedEntry[]): void {
  if (!Array.isArray(entries) || entries.length === 0 || entries.length > MAX_FUNDED_ENTRIES) invalid(`appendFunded takes 1..${MAX_FUNDED_ENTRIES} entries`);
  let records = 0;
  for (const e of entries) {
    if (!e || !Array.isArray(e.records) || e.records.length === 0) invalid('every entry needs at least one record');
    records += e.records.length;
    if (e.funding !== undefined) assertOpsShape(e.funding);
  }
  if (records > MAX_EVENTS_PER_APPEND) throw new StoreError('journal/too_large', `${records} events exceed ${MAX_EVENTS_PER_APPEND} per append`);
}
