/**
 * A slip's own journal: the store's JournalStore under the stream id `slip:<slipId>`. Appends are
 * compare-and-set on the sequence number (`journal/seq_conflict` when someone appended first), which
 * is what lets any process drive or recover a slip without a lease: a decision is journaled only on
 * the state it was decided on, and the loser re-reads and decides again.
 */
import { replaySlip, type SlipEvent, type SlipState } from '../../actors/multiples/index.ts';
import { StoreError, type JournalStore } from '../store/types.ts';
import { slipStream } from './money.ts';

/** A slip's journal is small (a few records per leg); more is a broken invariant. */
const MAX_RECORDS = 1000;

export interface LoadedSlip {
  state: SlipState | null;
  events: SlipEvent[];
  seq: number;
}

export class SlipJournal {
  constructor(private readonly journal: JournalStore) {}

  async load(slipId: string): Promise<LoadedSlip> {
    const records = await this.journal.read(slipStream(slipId), { limit: MAX_RECORDS });
    const events = records.map((r) => r.data as SlipEvent);
    return { state: replaySlip(events), events, seq: records.length === 0 ? 0 : records[records.length - 1]!.seq };
  }

  /** Appends after `seq`; false when another writer got there first (re-load and decide again). */
  async append(slipId: string, seq: number, events: SlipEvent[], at: number): Promise<boolean> {
    try {
      await this.journal.append(slipStream(slipId), seq + 1, events.map((e) => ({ type: e.type, data: e })), { at });
      return true;
    } catch (err) {
      if (err instanceof StoreError && err.code === 'journal/seq_conflict') return false;
      throw err;
    }
  }

  /**
   * Records the slip in its player's index (stream `slips-of:<playerId>`), compare-and-set with
   * retries: two slips of one player placed at once on two processes both get in.
   */
  async index(playerId: string, slipId: string, at: number): Promise<void> {
    const stream = `slips-of:${playerId}`;
    for (let attempt = 0; attempt < 8; attempt++) {
      const last = await this.journal.lastSeq(stream);
      try {
        await this.journal.append(stream, last + 1, [{ type: 'SlipIndexed', data: { slipId } }], { at });
        return;
      } catch (err) {
        if (!(err instanceof StoreError && err.code === 'journal/seq_conflict')) throw err;
      }
    }
    throw new Error(`could not index slip ${slipId} for ${playerId}`);
  }

  /** The player's newest slip ids, newest first (at most `limit`). */
  async ofPlayer(playerId: string, limit: number): Promise<string[]> {
    const stream = `slips-of:${playerId}`;
    const last = await this.journal.lastSeq(stream);
    const records = await this.journal.read(stream, { afterSeq: Math.max(0, last - limit), limit });
    return records.map((r) => String((r.data as { slipId: string }).slipId)).reverse();
  }

  /** Slip ids that have a journal, in the store's order (the sweep pages through them). */
  async ids(): Promise<string[]> {
    return (await this.journal.listRooms('slip:')).map((id) => id.slice('slip:'.length));
  }
}
