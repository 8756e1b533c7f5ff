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

  /** Slip ids that have a journal, in the store's order (the sweep pages through them). */
  async ids(): Promise<string[]> {
    return (await this.journal.listRooms('slip:')).map((id) => id.slice('slip:'.length));
  }
}
