/**
 * The books check against the server's SQLite file (opened read-only): the ledger reconciles,
 * nobody is negative, and every acknowledged bet exists exactly once — one BetPlaced in its
 * table's journal and one hold `roulette:<tableId>:bet:<betId>` on the player's account for the
 * stake — with the status its fate requires (captured when settled, released when taken back or
 * voided), winners paid, and no hold of the run left open after settlement.
 */
import { DatabaseSync } from 'node:sqlite';
import { createReconciler } from '../../server/store/sqlite/reconcile.ts';
import { holdId } from '../../rooms/roulette/money.ts';
import { holdId as crashHoldId } from '../../rooms/crash/money.ts';
import { playerAccountId } from '../../server/wallet/service.ts';
import { betKey, type AckedSet } from './ack-log.ts';
import { BooksVerdict, type BooksReport } from './books-report.ts';
import { readJournalFacts, type JournalFacts } from './journal-facts.ts';
import { SLIP_CHECKS, checkSlipBooksIn } from './slip-books.ts';

export const CHECKS = {
  reconciles: 'ledger reconciles (sum of balances is zero, escrow equals open holds)',
  noNegative: 'no negative balance',
  journalOnce: 'every acknowledged bet is in the journal exactly once',
  holdMatches: 'every acknowledged bet has its hold (account, amount)',
  holdStatus: "every hold has the status its bet's fate requires",
  winnersPaid: 'every winning bet was paid',
  noOpenHold: 'no hold of this run open after settlement',
  removals: 'acknowledged take-backs are in the journal',
  ackConsistent: 'no bet acknowledged twice with different contents',
} as const;

export function openReadOnly(dbFile: string): DatabaseSync {
  return new DatabaseSync(dbFile, { readOnly: true, timeout: 5000 });
}

/** Open holds of this run's bets (their ids carry the run tag; crash holds carry the round number before it). */
export function countOpenRunHolds(db: DatabaseSync, runTag: string): number {
  const row = db.prepare("SELECT COUNT(*) AS n FROM holds WHERE status = 'open' AND (id GLOB ? OR id GLOB ?)").get(`roulette:*:bet:${runTag}-*`, `crash:*:bet:*:${runTag}-*`);
  return Number(row?.n ?? 0);
}

export function checkBooksInDatabase(dbFile: string, acked: AckedSet, runTag: string): BooksReport {
  const v = new BooksVerdict([...Object.values(CHECKS), ...(acked.slips.size > 0 ? Object.values(SLIP_CHECKS) : [])]);
  const db = openReadOnly(dbFile);
  try {
    const rec = createReconciler(db)();
    if (rec.sumOfBalancesMinor !== 0 || rec.escrowBalanceMinor !== rec.openHoldsMinor) {
      v.fail(CHECKS.reconciles, `sum of balances ${rec.sumOfBalancesMinor}, escrow ${rec.escrowBalanceMinor} vs open holds ${rec.openHoldsMinor}`);
    }
    for (const a of rec.negativeAccounts) v.fail(CHECKS.noNegative, `${a.id} is at ${a.balanceMinor}`);
    for (const key of acked.conflicts) v.fail(CHECKS.ackConsistent, key.replace('\u0000', ' '));

    const open = countOpenRunHolds(db, runTag);
    if (open > 0) v.fail(CHECKS.noOpenHold, `${open} holds of run ${runTag} are still open`);

    const holdQ = db.prepare('SELECT account_id, amount_minor, status FROM holds WHERE id = ?');
    const payoutQ = db.prepare('SELECT amount_minor FROM transfers WHERE key = ?');
    const byTable = new Map<string, JournalFacts>();
    const factsOf = (t: string) => byTable.get(t) ?? byTable.set(t, readJournalFacts(db, t)).get(t)!;

    for (const [key, bet] of acked.bets) {
      v.stat('ackedBets');
      const facts = factsOf(bet.tableId);
      const name = `${bet.tableId}/${bet.betId}`;
      const placed = facts.placed.get(bet.betId);
      if (!placed) v.fail(CHECKS.journalOnce, `${name} is not in the journal`);
      else if (placed.count !== 1) v.fail(CHECKS.journalOnce, `${name} is in the journal ${placed.count} times`);
      else if (placed.playerId !== bet.userId || placed.stakeMinor !== bet.stakeMinor) v.fail(CHECKS.journalOnce, `${name} journal says ${placed.playerId}/${placed.stakeMinor}, ack said ${bet.userId}/${bet.stakeMinor}`);

      // Crash holds are keyed by round too (rooms/crash/money.ts).
      const hid = bet.tableId.startsWith('crash-') && placed ? crashHoldId(placed.roundId, bet.betId) : holdId(bet.tableId, bet.betId);
      const hold = holdQ.get(hid);
      if (!hold) {
        v.fail(CHECKS.holdMatches, `${name} has no hold ${hid}`);
        continue;
      }
      if (hold.account_id !== playerAccountId(bet.userId) || Number(hold.amount_minor) !== bet.stakeMinor) {
        v.fail(CHECKS.holdMatches, `${name} hold is ${String(hold.account_id)}/${String(hold.amount_minor)}, expected ${playerAccountId(bet.userId)}/${bet.stakeMinor}`);
      }
      const removed = facts.removed.has(bet.betId);
      if (acked.removalsAcked.has(key) && !removed) v.fail(CHECKS.removals, `${name} take-back was acknowledged but is not in the journal`);
      if (removed && !acked.removalsSent.has(key)) v.fail(CHECKS.removals, `${name} was taken back though no bot asked`);
      const payout = facts.settled.get(bet.betId);
      const expected = removed || facts.voided.has(bet.betId) ? 'released' : payout !== undefined ? 'captured' : 'open';
      v.stat(removed ? 'removedBets' : facts.voided.has(bet.betId) ? 'voidedBets' : payout !== undefined ? 'settledBets' : 'unsettledBets');
      if (expected === 'open') v.fail(CHECKS.holdStatus, `${name} never settled (hold ${String(hold.status)})`);
      else if (hold.status !== expected) v.fail(CHECKS.holdStatus, `${name} hold is ${String(hold.status)}, its fate requires ${expected}`);
      if (payout !== undefined && payout > 0) {
        v.stat('winningBets');
        const paid = payoutQ.get(`${hid}:payout`);
        if (!paid || Number(paid.amount_minor) !== payout) v.fail(CHECKS.winnersPaid, `${name} won ${payout} but was paid ${paid ? String(paid.amount_minor) : 'nothing'}`);
      }
    }
    if (acked.slips.size > 0) {
      const slips = checkSlipBooksIn(db, acked.slips.values(), `${runTag}-`);
      for (const p of slips.problems) v.fail(p.check, p.problem);
      for (const [name, n] of Object.entries(slips.stats)) v.stat(name, n);
    }
    let unacked = 0;
    for (const [tableId, facts] of byTable) {
      for (const betId of facts.placed.keys()) if (betId.startsWith(`${runTag}-`) && !acked.bets.has(betKey(tableId, betId))) unacked++;
    }
    v.stat('placedButNotAcknowledged', unacked);
    if (unacked > 0) v.notes.push(`${unacked} bets reached the journal but their acknowledgement never reached a bot (timed out or dropped with the connection); their money is covered by the reconciliation and open-hold checks.`);
    return v.report('database', rec);
  } finally {
    db.close();
  }
}
