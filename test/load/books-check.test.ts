import { expect } from 'chai';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { openSqliteStore } from '../../server/store/sqlite/index.ts';
import { WalletService, playerAccountId } from '../../server/wallet/service.ts';
import { holdId, reserveOp, settlementOps } from '../../rooms/roulette/money.ts';
import { addAcked, emptyAckedSet, type AckedSet } from '../../load-tests/check/ack-log.ts';
import { CHECKS, checkBooksInDatabase } from '../../load-tests/check/books.ts';

const TABLE = 'roulette-1';
const RUN = 'rtest';

/** A ledger and journal as a table leaves them after one settled round with two bets (one winning). */
async function settledRound(dir: string): Promise<{ file: string; acked: AckedSet }> {
  const file = path.join(dir, 'casino.sqlite');
  const store = await openSqliteStore({ path: file });
  const wallet = new WalletService(store.wallet, 'EUR');
  await wallet.bootstrap({ houseFloatMinor: 1_000_000, promotionsBudgetMinor: 1_000_000 });
  await wallet.openPlayerAccount('alice', 10_000);
  const bets = [
    { betId: `${RUN}-1-1`, playerId: 'alice', stakeMinor: 100, spot: { kind: 'red' as const }, payoutMinor: 200 },
    { betId: `${RUN}-1-2`, playerId: 'alice', stakeMinor: 50, spot: { kind: 'black' as const }, payoutMinor: 0 },
  ];
  for (const b of bets) expect((await store.wallet.apply([reserveOp(TABLE, b)]))[0]!.ok).to.equal(true);
  for (const b of bets) expect((await store.wallet.apply(settlementOps(TABLE, b, `${TABLE}:1`), { atomic: true })).every((o) => o.ok)).to.equal(true);
  await store.journal.append(TABLE, 1, [
    ...bets.map((b) => ({ type: 'BetPlaced', data: { type: 'BetPlaced', roundId: `${TABLE}:1`, betId: b.betId, playerId: b.playerId, spot: b.spot, stakeMinor: b.stakeMinor, at: 1 } })),
    { type: 'RoundSettled', data: { type: 'RoundSettled', roundId: `${TABLE}:1`, pocket: 1, settlements: bets.map(({ betId, playerId, stakeMinor, payoutMinor, spot }) => ({ betId, playerId, stakeMinor, payoutMinor, spot })), at: 2 } },
  ]);
  await store.close();
  const acked = emptyAckedSet();
  for (const b of bets) addAcked(acked, { tableId: TABLE, betId: b.betId, userId: b.playerId, stakeMinor: b.stakeMinor });
  return { file, acked };
}

function tamper(file: string, sql: string): void {
  const db = new DatabaseSync(file);
  db.exec(sql);
  db.close();
}

const failed = (r: ReturnType<typeof checkBooksInDatabase>) => r.checks.filter((c) => !c.ok).map((c) => c.name);

describe('load run books check', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'casino-books-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('passes a settled round whose every acknowledged bet is in the ledger and journal once', async () => {
    const { file, acked } = await settledRound(dir);
    const report = checkBooksInDatabase(file, acked, RUN);
    expect(report.problems, report.problems.join('\n')).to.deep.equal([]);
    expect(report.passed).to.equal(true);
    expect(report.stats).to.include({ ackedBets: 2, settledBets: 2, winningBets: 1 });
  });

  it('fails when a hold row of an acknowledged bet was deleted from the ledger', async () => {
    const { file, acked } = await settledRound(dir);
    tamper(file, `DELETE FROM holds WHERE id = '${holdId(TABLE, `${RUN}-1-2`)}'`);
    const report = checkBooksInDatabase(file, acked, RUN);
    expect(report.passed).to.equal(false);
    expect(failed(report)).to.include(CHECKS.holdMatches);
  });

  it('fails when a balance was changed outside the ledger (reconciliation)', async () => {
    const { file, acked } = await settledRound(dir);
    tamper(file, `UPDATE accounts SET balance_minor = balance_minor + 1 WHERE id = '${playerAccountId('alice')}'`);
    const report = checkBooksInDatabase(file, acked, RUN);
    expect(failed(report)).to.deep.equal([CHECKS.reconciles]);
    expect(report.reconciliation?.sumOfBalancesMinor).to.equal(1);
  });

  it('fails when a bet was acknowledged that neither the ledger nor the journal knows', async () => {
    const { file, acked } = await settledRound(dir);
    addAcked(acked, { tableId: TABLE, betId: `${RUN}-9-9`, userId: 'alice', stakeMinor: 70 });
    const report = checkBooksInDatabase(file, acked, RUN);
    expect(failed(report)).to.have.members([CHECKS.journalOnce, CHECKS.holdMatches]);
    expect(report.problems.join('\n')).to.include(`${RUN}-9-9 is not in the journal`);
  });

  it('fails when a winner was not paid and when a hold stays open after settlement', async () => {
    const { file, acked } = await settledRound(dir);
    const win = holdId(TABLE, `${RUN}-1-1`);
    tamper(file, `UPDATE transfers SET amount_minor = 199 WHERE key = '${win}:payout'; UPDATE holds SET status = 'open' WHERE id = '${holdId(TABLE, `${RUN}-1-2`)}'`);
    const report = checkBooksInDatabase(file, acked, RUN);
    expect(failed(report)).to.include.members([CHECKS.winnersPaid, CHECKS.holdStatus, CHECKS.noOpenHold]);
  });
});
