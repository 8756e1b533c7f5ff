/**
 * The books of slips (multiples), read from the store file: every accepted slip is in its own
 * journal (`slip:<slipId>`) once, for its player and stake; its stake hold is resolved as the
 * journal says (open only while the slip is accepted and unsettled, captured once settled or cashed
 * out, released when rejected); every settlement decision's payout transfer exists exactly as
 * journaled (ledger keys are unique, so nothing was paid twice) and what was paid adds up to the
 * slip's `paidMinor`; a rejected slip's legs are released; no leg is left prepared at any event, and
 * the leg of an open or settled slip is accepted at its event.
 */
import type { DatabaseSync } from 'node:sqlite';
import { EMPTY_LEG_BOOK, evolveLegs, isLegEvent, replaySlip, type LegBook, type SlipEvent, type SlipState } from '../../actors/multiples/index.ts';
import { Reassembler } from '../../rooms/journal-chunks.ts';
import type { AckedSlip } from './ack-log.ts';

export const SLIP_CHECKS = {
  slipJournaled: 'every accepted slip is in its journal, for its player and stake',
  slipHold: "every slip's stake hold has the status its journal requires",
  slipPaid: "every slip's settlement and cash-out transfers are in the ledger exactly as journaled",
  slipLegs: "every slip's legs are in the state its fate requires at their events",
} as const;

export interface SlipBooks {
  problems: Array<{ check: string; problem: string }>;
  slips: Map<string, SlipState>;
  stats: Record<string, number>;
}

function records(db: DatabaseSync, roomId: string): Array<{ type: string; data: any }> {
  const joiner = new Reassembler();
  const out: Array<{ type: string; data: any }> = [];
  for (const row of db.prepare('SELECT seq, type, data FROM journal WHERE room_id = ? ORDER BY seq').iterate(roomId)) {
    const e = joiner.push({ roomId, seq: Number(row.seq), at: 0, type: String(row.type), data: JSON.parse(String(row.data)) });
    if (e) out.push({ type: e.type, data: e.data });
  }
  return out;
}

/** Checks every slip journal in the store (and `acked` against them); `prefix` limits it to one run's slips. */
export function checkSlipBooksIn(db: DatabaseSync, acked: Iterable<AckedSlip> = [], prefix = ''): SlipBooks {
  const problems: SlipBooks['problems'] = [];
  const stats: Record<string, number> = {};
  const fail = (check: string, problem: string) => problems.push({ check, problem });
  const stat = (name: string) => (stats[name] = (stats[name] ?? 0) + 1);
  const hold = db.prepare('SELECT status FROM holds WHERE id = ?');
  const transfer = db.prepare('SELECT amount_minor FROM transfers WHERE key = ?');
  const slips = new Map<string, SlipState>();
  for (const row of db.prepare('SELECT room_id FROM journal_rooms WHERE room_id GLOB ?').all(`slip:${prefix}*`)) {
    const slipId = String(row.room_id).slice('slip:'.length);
    const events = records(db, String(row.room_id)).map((r) => r.data as SlipEvent);
    const s = replaySlip(events);
    if (!s) continue;
    slips.set(slipId, s);
    stat(`slips_${s.status}`);
    const h = (hold.get(`slip:${slipId}:stake`) as { status?: string } | undefined)?.status ?? null;
    const want = s.status === 'rejected' ? ['released', null] : s.status === 'settled' || s.status === 'cashed_out' ? ['captured'] : s.status === 'accepted' ? ['open'] : [];
    if (!want.includes(h)) fail(SLIP_CHECKS.slipHold, `${slipId} is ${s.status} but its stake hold is ${h ?? 'missing'}`);
    if (s.status === 'rejected' && !s.legsReleased) fail(SLIP_CHECKS.slipLegs, `rejected slip ${slipId} has legs not released`);
    let paid = 0;
    for (const e of events) {
      if (e.type === 'SlipSettled') {
        const amount = e.n === 1 ? e.payoutMinor : Math.abs(e.deltaMinor);
        const t = transfer.get(`slip:${slipId}:settle:${e.n}`) as { amount_minor?: number } | undefined;
        if (Number(t?.amount_minor ?? 0) !== amount) fail(SLIP_CHECKS.slipPaid, `${slipId} settlement ${e.n} is ${amount} in the journal, ${t?.amount_minor ?? 'nothing'} in the ledger`);
        paid += e.deltaMinor;
      }
      if (e.type === 'SlipCashedOut') {
        const t = transfer.get(`slip:${slipId}:cashout`) as { amount_minor?: number } | undefined;
        if (Number(t?.amount_minor ?? 0) !== e.offerMinor) fail(SLIP_CHECKS.slipPaid, `${slipId} cash-out of ${e.offerMinor} paid ${t?.amount_minor ?? 'nothing'}`);
        paid = e.offerMinor;
      }
    }
    if (paid !== s.paidMinor) fail(SLIP_CHECKS.slipPaid, `${slipId} paid ${paid}, the slip says ${s.paidMinor}`);
  }
  for (const a of acked) {
    stat('ackedSlips');
    const s = slips.get(a.slipId);
    if (!s) fail(SLIP_CHECKS.slipJournaled, `acknowledged slip ${a.slipId} has no journal`);
    else if (s.spec.playerId !== a.userId || s.spec.totalStakeMinor !== a.stakeMinor || s.status === 'rejected') fail(SLIP_CHECKS.slipJournaled, `acknowledged slip ${a.slipId} is ${s.status} for ${s.spec.playerId}/${s.spec.totalStakeMinor}, acknowledged ${a.userId}/${a.stakeMinor}`);
  }
  for (const row of db.prepare("SELECT room_id FROM journal_rooms WHERE room_id NOT GLOB 'slip:*' AND room_id NOT GLOB 'slips-of:*' AND room_id NOT GLOB 'roulette-*'").all()) {
    let book: LegBook = EMPTY_LEG_BOOK;
    for (const r of records(db, String(row.room_id))) if (isLegEvent(r.data)) book = evolveLegs(book, r.data);
    for (const leg of Object.values(book.legs)) {
      const s = slips.get(leg.slipId);
      if (!s) continue;
      const where = `leg ${leg.slipId}/${leg.legId} at ${String(row.room_id)}`;
      if (leg.status === 'prepared') fail(SLIP_CHECKS.slipLegs, `${where} left prepared`);
      if (s.status === 'rejected' && leg.status === 'accepted') fail(SLIP_CHECKS.slipLegs, `${where} accepted, its slip rejected`);
      if ((s.status === 'accepted' || s.status === 'settled') && leg.status !== 'accepted') fail(SLIP_CHECKS.slipLegs, `${where} is ${leg.status}, its slip ${s.status}`);
    }
  }
  return { problems, slips, stats };
}

/** Open stake holds of slips whose id starts with `prefix`. */
export function countOpenSlipHolds(db: DatabaseSync, prefix: string): number {
  return Number((db.prepare("SELECT COUNT(*) AS n FROM holds WHERE status = 'open' AND id GLOB ?").get(`slip:${prefix}*:stake`) as { n?: number } | undefined)?.n ?? 0);
}
