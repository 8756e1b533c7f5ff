/**
 * Per-account transfer history (schema v10). A transfer row is written once, in seq order, into
 * `transfers`; the per-account view of it — one `postings` row (account, seq) for each side —
 * is written later, in chunks, by the writer that sees the un-indexed tail reach
 * `historyChunk` transfers (inside that batch's transaction, so no extra commit).
 *
 * Why later: a posting keyed by account lands on that account's own leaf page, so a batch that
 * moves money for N accounts dirties N index pages, and each dirtied page is written to the WAL
 * (and later checkpointed) at commit. Written per batch that was ~1.6 pages of 4 KiB per
 * transfer, most of a transfer's cost; written per chunk of thousands of transfers, an active
 * account's postings share their page (docs/BENCHMARKS.md, "Ledger row cost").
 *
 * Reads stay exact at every moment: `history_mark.indexed_seq` says up to which seq the postings
 * are complete, and a read takes the postings up to the mark plus a scan of the (bounded) tail of
 * `transfers` above it, in one statement, i.e. one snapshot.
 */
import type { DatabaseSync } from 'node:sqlite';
import { StoreError } from '../types.ts';

/** Un-indexed transfers that trigger indexing: bounds the tail a history read scans. */
export const DEFAULT_HISTORY_CHUNK = 8_192;

export interface LedgerOptions {
  /** Transfers left un-indexed before a batch indexes them (≥ 1; 1 indexes every batch). */
  historyChunk?: number;
}

/** Runs inside the write transaction, after the batch's transfers are inserted. */
export function createHistoryIndexer(db: DatabaseSync, opts: LedgerOptions = {}): (lastSeq: number) => void {
  const chunk = opts.historyChunk ?? DEFAULT_HISTORY_CHUNK;
  if (!Number.isSafeInteger(chunk) || chunk < 1) throw new StoreError('store/invalid_argument', 'historyChunk must be a positive integer');
  const sql = {
    mark: db.prepare('SELECT indexed_seq FROM history_mark WHERE id = 1'),
    // Sorted by (account, seq) so each account's run of postings is appended to its page in one go.
    index: db.prepare(`
      INSERT INTO postings (account_id, seq)
      SELECT account_id, seq FROM (
        SELECT from_account AS account_id, seq FROM transfers WHERE seq > ?1 AND seq <= ?2
        UNION ALL
        SELECT to_account, seq FROM transfers WHERE seq > ?1 AND seq <= ?2
      ) ORDER BY account_id, seq`),
    setMark: db.prepare('UPDATE history_mark SET indexed_seq = ? WHERE id = 1'),
  };
  return (lastSeq) => {
    const mark = Number(sql.mark.get()!.indexed_seq);
    if (lastSeq - mark < chunk) return;
    sql.index.run(mark, lastSeq);
    sql.setMark.run(lastSeq);
  };
}

/**
 * One page of an account's history, newest first: `?1` account, `?2` exclusive upper seq, `?3`
 * rows. The tail above the mark is walked by seq (the rowid), the rest through the account's
 * postings; one statement, so the mark and both parts come from one snapshot.
 */
export function prepareHistoryPage(db: DatabaseSync) {
  return db.prepare(`
    WITH mark AS (SELECT indexed_seq AS seq FROM history_mark WHERE id = 1)
    SELECT * FROM (
      SELECT * FROM transfers
      WHERE seq > (SELECT seq FROM mark) AND seq < ?2 AND (from_account = ?1 OR to_account = ?1)
      ORDER BY seq DESC LIMIT ?3)
    UNION ALL
    SELECT * FROM (
      SELECT t.* FROM postings AS p JOIN transfers AS t ON t.seq = p.seq
      WHERE p.account_id = ?1 AND p.seq < ?2 AND p.seq <= (SELECT seq FROM mark)
      ORDER BY p.seq DESC LIMIT ?3)
    ORDER BY seq DESC LIMIT ?3`);
}
