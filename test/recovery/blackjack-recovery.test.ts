/**
 * kill -9 in the middle of a blackjack hand (real processes, the real store): the restarted server
 * rebuilds the table from its journal and the hand continues where it was, with the same cards, the
 * same turn and a fresh decision time (the recovery grace): nothing dealt again, nothing refunded.
 * Then it settles once and the books balance.
 */
import { expect } from 'chai';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { Client, type Room } from '@colyseus/sdk';
import { openSqliteStore } from '../../server/store/sqlite/index.ts';
import { waitFor } from '../support/cluster.ts';
import { startServerProcess, type ServerProcess } from '../support/process.ts';
import { handCards, standToTheEnd, untilMidHand } from '../support/blackjack.ts';
import { http } from '../support/server.ts';
import { waitForState } from '../support/wait.ts';

function journalCount(dataDir: string, roomId: string, type: string): number {
  const db = new DatabaseSync(path.join(dataDir, 'casino.sqlite'), { readOnly: true });
  try {
    return (db.prepare('SELECT COUNT(*) AS n FROM journal WHERE room_id = ? AND type = ?').get(roomId, type) as { n: number }).n;
  } finally {
    db.close();
  }
}

async function join(srv: ServerProcess, token: string): Promise<Room> {
  const client = new Client(srv.wsUrl);
  client.auth.token = token;
  const room = await client.join('blackjack', { tableId: 'blackjack-1' });
  room.onMessage('*', () => undefined);
  room.reconnection.enabled = false; // the test kills the server on purpose
  return room;
}


describe('blackjack recovery after kill -9 (real processes)', function () {
  this.timeout(120_000);
  let dataDir: string;
  let srv: ServerProcess | null = null;
  beforeEach(() => (dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'casino-bj-recovery-'))));
  afterEach(async () => {
    await srv?.kill('SIGKILL');
    srv = null;
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('continues a hand killed mid-play: same cards, same turn, a fresh timer, settled once', async () => {
    const env = {
      DATA_DIR: dataDir, BLACKJACK_TABLES: '1', ROULETTE_TABLES: '0', DEMO_BALANCE_MINOR: '100000',
      BLACKJACK_BETTING_WINDOW_MS: '1500', BLACKJACK_DECISION_MS: '60000', BLACKJACK_PAUSE_MS: '500',
    };
    srv = await startServerProcess(env);
    const reg = async (name: string) => (await http(srv!.url, 'POST', '/auth/register', { username: name, password: 'recover123' })).body as { token: string };
    const a = await reg('bjkill_a');
    const b = await reg('bjkill_b');
    let ra = await join(srv, a.token);
    let rb = await join(srv, b.token);

    const mid = await untilMidHand(ra, rb, 1000);
    const round = mid.roundNumber;
    const before = await waitForState(ra, (s: any) => s.turnSeat === mid.turn.seat && s.turnHand === mid.turn.hand, 3000, 'the turn after seat 0 acted');
    const cards = handCards(before);
    const dealtBefore = before.cardsDealt;
    const upCard = before.dealer.cards[0];
    const expectedRecords = mid.action === 'hit' ? 'CardDrawn' : 'HandStood';
    await waitFor('the decision is durable', async () => journalCount(dataDir, 'blackjack-1', expectedRecords) >= 1, 5000, 20);
    expect((await http(srv.url, 'GET', '/wallet', undefined, a.token)).body.heldMinor).to.equal(1000);

    const killedAt = Date.now();
    await srv.kill('SIGKILL');
    srv = await startServerProcess(env);
    ra = await join(srv, a.token);
    rb = await join(srv, b.token);
    const resumed = await waitForState(ra, (s: any) => s.roundId === mid.roundId && s.phase === 'playing', 5000, 'the table rebuilt');
    expect(handCards(resumed), 'no card dealt again').to.deep.equal(cards);
    expect(resumed.cardsDealt).to.equal(dealtBefore);
    expect(resumed.dealer.cards.toArray()).to.deep.equal([upCard]);
    expect(resumed.dealer.holeHidden).to.equal(true);
    expect([resumed.turnSeat, resumed.turnHand], 'the same turn').to.deep.equal([mid.turn.seat, mid.turn.hand]);
    expect(resumed.deadline, 'the turn has at least the recovery grace').to.be.at.least(killedAt + 10_000);
    expect((await http(srv.url, 'GET', '/wallet', undefined, a.token)).body.heldMinor, 'not refunded').to.equal(1000);
    expect(journalCount(dataDir, 'blackjack-1', 'InitialDeal'), 'dealt once per round').to.equal(round);

    const settled = await standToTheEnd([ra, rb], mid.roundId);
    expect(handCards(settled)[0]![0]!.startsWith(cards[0]![0]!), 'the same hand was finished').to.equal(true);
    expect(journalCount(dataDir, 'blackjack-1', 'RoundSettled'), 'every round settled once').to.equal(round);
    await waitFor('stakes settled', async () => (await http(srv!.url, 'GET', '/wallet', undefined, a.token)).body.heldMinor === 0, 5000, 50);
    // Every round's record, before and after the restart, chains to the next (nothing else moved a's balance).
    const records = await waitFor('the resumed round recorded', async () => {
      const items = (await http(srv!.url, 'GET', '/games/recent', undefined, a.token)).body.items as any[];
      return items[0]?.roundId === mid.roundId && items;
    }, 5000, 50);
    expect(records).to.have.length(Math.min(round, 10));
    for (let i = 0; i + 1 < records.length; i++) expect(records[i].balanceBeforeMinor, records[i].roundId).to.equal(records[i + 1].balanceAfterMinor);
    for (const r of records) expect(r.balanceAfterMinor - r.balanceBeforeMinor, r.roundId).to.equal(r.winningsMinor - r.stakeMinor);
    expect(records[0].balanceAfterMinor).to.equal((await http(srv.url, 'GET', '/wallet', undefined, a.token)).body.balanceMinor);

    await Promise.all([ra.leave(), rb.leave()]);
    await srv.kill('SIGTERM');
    srv = null;
    const store = await openSqliteStore({ path: path.join(dataDir, 'casino.sqlite') });
    try {
      const books = await store.wallet.reconcile();
      expect(books.ok, JSON.stringify(books)).to.equal(true);
      expect(books.openHoldCount).to.equal(0);
      expect(books.sumOfBalancesMinor).to.equal(0);
    } finally {
      await store.close();
    }
  });
});
