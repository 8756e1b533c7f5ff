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

const hands = (state: any) => state.seats.toArray().map((s: any) => s.hands.toArray().map((h: any) => h.cards.toArray().join(' ')));

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

    // Rounds until one reaches seat 0's turn with two cards (a dealt blackjack settles at once; insurance is declined).
    let round = 0;
    let playing: any = null;
    for (let attempt = 0; attempt < 10 && !playing; attempt++) {
      const betting = await waitForState(ra, (s: any) => s.phase === 'betting' && s.roundNumber > round, 10_000, 'betting');
      round = betting.roundNumber;
      expect(await ra.request('bet', { betId: `a${round}`, seat: 0, stakeMinor: 1000 })).to.deep.include({ ok: true });
      expect(await rb.request('bet', { betId: `b${round}`, seat: 1, stakeMinor: 1000 })).to.deep.include({ ok: true });
      const s = await waitForState(ra, (x: any) => x.roundNumber === round && ['insurance', 'playing', 'settled'].includes(x.phase), 5000, 'deal');
      if (s.phase === 'insurance') {
        await ra.request('insurance', { seat: 0, take: false });
        await rb.request('insurance', { seat: 1, take: false });
      }
      const after = await waitForState(ra, (x: any) => x.roundNumber === round && (x.phase === 'playing' || x.phase === 'settled'), 5000, 'play');
      if (after.phase === 'playing' && after.turnSeat === 0 && after.seats[0].hands[0].cards.length === 2 && after.seats[0].hands[0].total < 21) playing = after;
      else {
        for (const [room, seat] of [[ra, 0], [rb, 1]] as const) if (room.state.turnSeat === seat) await room.request('act', { seat, hand: room.state.turnHand, action: 'stand' });
        await waitForState(ra, (x: any) => x.phase === 'settled', 5000, 'settled');
      }
    }
    expect(playing, 'a round reached seat 0 with a hand to play').to.not.equal(null);
    const roundId = playing.roundId;
    const hit: any = await ra.request('act', { seat: 0, hand: 0, action: 'hit' });
    expect(hit.ok, JSON.stringify(hit)).to.equal(true);
    const before = await waitForState(ra, (s: any) => s.seats[0].hands[0].cards.length === 3, 3000, 'the hit card');
    const cards = hands(before);
    const dealtBefore = before.cardsDealt;
    const turnBefore = [before.turnSeat, before.turnHand];
    const upCard = before.dealer.cards[0];
    await waitFor('the hit is durable', async () => journalCount(dataDir, 'blackjack-1', 'CardDrawn') >= 1, 5000, 20);
    const heldBefore = (await http(srv.url, 'GET', '/wallet', undefined, a.token)).body.heldMinor;
    expect(heldBefore).to.equal(1000);

    const killedAt = Date.now();
    await srv.kill('SIGKILL');
    srv = await startServerProcess(env);
    ra = await join(srv, a.token);
    rb = await join(srv, b.token);
    const resumed = await waitForState(ra, (s: any) => s.roundId === roundId, 5000, 'the table rebuilt');
    expect(resumed.phase).to.equal('playing');
    expect(hands(resumed), 'no card dealt again').to.deep.equal(cards);
    expect(resumed.cardsDealt).to.equal(dealtBefore);
    expect(resumed.dealer.cards.toArray()).to.deep.equal([upCard]);
    expect(resumed.dealer.holeHidden).to.equal(true);
    if (turnBefore[0] === 0) expect([resumed.turnSeat, resumed.turnHand]).to.deep.equal(turnBefore);
    expect(resumed.deadline, 'the turn has at least the recovery grace').to.be.at.least(killedAt + 10_000);
    expect((await http(srv.url, 'GET', '/wallet', undefined, a.token)).body.heldMinor, 'not refunded').to.equal(1000);
    expect(journalCount(dataDir, 'blackjack-1', 'InitialDeal')).to.equal(round);

    // Finish the hand: every remaining decision stands.
    for (let i = 0; i < 10 && ra.state.phase === 'playing'; i++) {
      const seat = ra.state.turnSeat;
      const room = seat === 0 ? ra : rb;
      await room.request('act', { seat, hand: ra.state.turnHand, action: 'stand' });
      await waitForState(ra, (s: any) => s.phase !== 'playing' || s.turnSeat !== seat || s.turnHand !== room.state.turnHand, 3000).catch(() => undefined);
    }
    const settled = await waitForState(ra, (s: any) => s.roundId === roundId && s.phase === 'settled', 5000, 'settlement');
    expect(hands(settled)[0][0].startsWith(cards[0][0]), 'the same hand was finished').to.equal(true);
    expect(journalCount(dataDir, 'blackjack-1', 'RoundSettled'), 'every round settled once').to.equal(round);
    await waitFor('stakes settled', async () => (await http(srv!.url, 'GET', '/wallet', undefined, a.token)).body.heldMinor === 0, 5000, 50);

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
