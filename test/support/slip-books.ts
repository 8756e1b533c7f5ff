/**
 * The books of slips, read straight from the store file once every process stopped: the ledger
 * reconciles; every slip's stake hold is resolved as its journal says (open only for an accepted,
 * unsettled slip; captured for a settled or cashed-out one; released for a rejected one); every
 * settlement decision's payout transfer exists exactly as journaled (keys are unique in the ledger,
 * so nothing was paid twice) and what was paid adds up to the slip's paidMinor; a rejected slip's
 * legs are released at their events, and an event holds open legs only of open slips.
 */
import { expect } from 'chai';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { EMPTY_LEG_BOOK, evolveLegs, isLegEvent, replaySlip, type LegBook, type SlipEvent, type SlipState } from '../../actors/multiples/index.ts';

interface Row { [k: string]: unknown }

export function checkSlipBooks(dataDir: string): Map<string, SlipState> {
  const db = new DatabaseSync(path.join(dataDir, 'casino.sqlite'), { readOnly: true });
  try {
    expect(Number((db.prepare('SELECT COALESCE(SUM(balance_minor), 0) AS s FROM accounts').get() as Row).s), 'sum of balances').to.equal(0);
    const escrow = Number((db.prepare("SELECT balance_minor AS b FROM accounts WHERE id = 'sys:escrow'").get() as Row).b);
    const open = Number((db.prepare("SELECT COALESCE(SUM(amount_minor), 0) AS s FROM holds WHERE status = 'open'").get() as Row).s);
    expect(escrow, 'escrow equals open holds').to.equal(open);
    const journal = (roomId: string) => (db.prepare('SELECT type, data FROM journal WHERE room_id = ? ORDER BY seq').all(roomId) as Row[]).map((r) => ({ type: String(r.type), data: JSON.parse(String(r.data)) }));
    const hold = db.prepare('SELECT status FROM holds WHERE id = ?');
    const transfer = db.prepare('SELECT amount_minor FROM transfers WHERE key = ?');
    const slips = new Map<string, SlipState>();
    for (const { room_id } of db.prepare("SELECT room_id FROM journal_rooms WHERE room_id GLOB 'slip:*'").all() as Row[]) {
      const slipId = String(room_id).slice('slip:'.length);
      const events = journal(String(room_id)).map((r) => r.data as SlipEvent);
      const s = replaySlip(events)!;
      slips.set(slipId, s);
      const h = hold.get(`slip:${slipId}:stake`) as Row | undefined;
      if (s.status === 'rejected') {
        expect(h?.status ?? 'released', `stake of rejected slip ${slipId}`).to.equal('released');
        expect(s.legsReleased, `legs of rejected slip ${slipId} released`).to.equal(true);
      } else if (s.status === 'settled' || s.status === 'cashed_out') {
        expect(h?.status, `stake of ${s.status} slip ${slipId}`).to.equal('captured');
      } else {
        expect(s.status, `slip ${slipId} left mid-saga`).to.equal('accepted');
        expect(h?.status, `stake of open slip ${slipId}`).to.equal('open');
      }
      let paid = 0;
      for (const e of events) {
        if (e.type === 'SlipSettled') {
          const t = transfer.get(`slip:${slipId}:settle:${e.n}`) as Row | undefined;
          const amount = e.n === 1 ? e.payoutMinor : Math.abs(e.deltaMinor);
          expect(Number(t?.amount_minor ?? 0), `settlement ${e.n} of ${slipId}`).to.equal(amount);
          paid += e.deltaMinor;
        }
        if (e.type === 'SlipCashedOut') {
          expect(Number((transfer.get(`slip:${slipId}:cashout`) as Row | undefined)?.amount_minor ?? 0), `cash-out of ${slipId}`).to.equal(e.offerMinor);
          paid = e.offerMinor;
        }
      }
      expect(paid, `paid for ${slipId}`).to.equal(s.paidMinor);
    }
    // Legs at events: every leg of an open slip is accepted there; no prepared leg is left anywhere.
    for (const { room_id } of db.prepare("SELECT room_id FROM journal_rooms WHERE room_id NOT GLOB 'slip:*' AND room_id NOT GLOB 'roulette-*'").all() as Row[]) {
      let book: LegBook = EMPTY_LEG_BOOK;
      for (const r of journal(String(room_id))) if (isLegEvent(r.data)) book = evolveLegs(book, r.data);
      for (const leg of Object.values(book.legs)) {
        const s = slips.get(leg.slipId);
        if (!s) continue;
        expect(leg.status, `leg ${leg.slipId}/${leg.legId} at ${room_id} left prepared`).to.not.equal('prepared');
        if (s.status === 'rejected') expect(leg.status, `leg of rejected slip ${leg.slipId} at ${room_id}`).to.be.oneOf(['released', 'rejected']);
        if (s.status === 'accepted' || s.status === 'settled') expect(leg.status, `leg of ${s.status} slip ${leg.slipId} at ${room_id}`).to.equal('accepted');
      }
    }
    return slips;
  } finally {
    db.close();
  }
}
