/** What a table's (roulette or crash) journal says happened to each bet (read straight from the SQLite file). */
import type { DatabaseSync } from 'node:sqlite';
import { CHUNK, Reassembler } from '../../rooms/journal-chunks.ts';

export interface JournalFacts {
  /** BetPlaced records per bet id (exactly one is right). */
  placed: Map<string, { count: number; playerId: string; stakeMinor: number; roundId: string }>;
  removed: Set<string>;
  /** Settled bets and their gross payout (crash: cashed out, or lost at the crash with 0). */
  settled: Map<string, number>;
  voided: Set<string>;
}

export function readJournalFacts(db: DatabaseSync, tableId: string): JournalFacts {
  const facts: JournalFacts = { placed: new Map(), removed: new Set(), settled: new Map(), voided: new Set() };
  // Large events (a busy round's settlement) are stored as chunk records: reassemble them.
  const rows = db
    .prepare(`SELECT seq, type, data FROM journal WHERE room_id = ? AND type IN ('BetPlaced', 'BetRemoved', 'RoundSettled', 'RoundVoided', 'CashedOut', 'RoundCrashed', '${CHUNK}') ORDER BY seq`)
    .iterate(tableId);
  const joiner = new Reassembler();
  for (const row of rows) {
    const event = joiner.push({ roomId: tableId, seq: Number(row.seq), at: 0, type: String(row.type), data: JSON.parse(String(row.data)) });
    if (!event) continue;
    const data = event.data as any;
    switch (event.type) {
      case 'BetPlaced': {
        const seen = facts.placed.get(data.betId);
        if (seen) seen.count++;
        else facts.placed.set(data.betId, { count: 1, playerId: data.playerId, stakeMinor: data.stakeMinor, roundId: data.roundId });
        break;
      }
      case 'BetRemoved':
        facts.removed.add(data.betId);
        break;
      case 'RoundSettled':
        for (const s of data.settlements as Array<{ betId: string; payoutMinor: number }>) facts.settled.set(s.betId, s.payoutMinor);
        break;
      case 'CashedOut':
        for (const c of data.cashOuts as Array<{ betId: string; payoutMinor: number }>) facts.settled.set(c.betId, c.payoutMinor);
        break;
      case 'RoundCrashed':
        for (const l of data.lost as Array<{ betId: string }>) facts.settled.set(l.betId, 0);
        break;
      case 'RoundVoided':
        for (const r of data.refunds as Array<{ betId: string }>) facts.voided.add(r.betId);
        break;
    }
  }
  return facts;
}
