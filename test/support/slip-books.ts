/** The slip books check (load-tests/check/slip-books.ts) plus the ledger's own balance, as a test assertion. */
import { expect } from 'chai';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { SlipState } from '../../actors/multiples/index.ts';
import { checkSlipBooksIn } from '../../load-tests/check/slip-books.ts';
import { createReconciler } from '../../server/store/sqlite/reconcile.ts';

export function checkSlipBooks(dataDir: string): Map<string, SlipState> {
  const db = new DatabaseSync(path.join(dataDir, 'casino.sqlite'), { readOnly: true });
  try {
    const rec = createReconciler(db)();
    expect(rec.sumOfBalancesMinor, 'sum of balances').to.equal(0);
    expect(rec.escrowBalanceMinor, 'escrow equals open holds').to.equal(rec.openHoldsMinor);
    expect(rec.negativeAccounts, 'negative balances').to.deep.equal([]);
    const books = checkSlipBooksIn(db);
    expect(books.problems.map((p) => `${p.check}: ${p.problem}`)).to.deep.equal([]);
    return books.slips;
  } finally {
    db.close();
  }
}

/** A slip's state as its journal says now, read while the servers run (no books assertions: they may be mid-step). */
export function journaledSlip(dataDir: string, slipId: string): SlipState | undefined {
  const db = new DatabaseSync(path.join(dataDir, 'casino.sqlite'), { readOnly: true });
  try {
    return checkSlipBooksIn(db).slips.get(slipId);
  } finally {
    db.close();
  }
}
