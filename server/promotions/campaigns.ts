/**
 * The campaigns an operator runs, kept as an append-only journal (`settings:promotions` in the
 * store's journal) so they are durable on every store adapter and every change is on record.
 * Each process follows the journal (catching up before every read that decides money), so a
 * campaign edited on one process is what every other process decides claims on. Concurrent saves
 * meet the journal's sequence check and retry on fresh state.
 */
import type { Campaign } from '../../actors/promotions/index.ts';
import type { JournalStore } from '../store/types.ts';

export const PROMOTIONS_JOURNAL = 'settings:promotions';
/** A bound on the number of campaigns (ended ones included). */
export const MAX_CAMPAIGNS = 500;
const PAGE = 1_000;
const MAX_RETRIES = 8;

/** A campaign with what the server keeps about it: its version and how much budget it was funded with. */
export interface CampaignRecord {
  campaign: Campaign;
  /** 1 for the first save, +1 per edit or status change. */
  version: number;
  /** Every budget funding (sys:promotions → the campaign's account), keyed by the version that made it. */
  fundings: Array<{ key: string; amountMinor: number }>;
  by: string;
  at: number;
}

export class CampaignBook {
  private readonly records = new Map<string, CampaignRecord>();
  private seq = 0;

  constructor(private readonly journal: JournalStore) {}

  /** Reads what was appended since the last read. */
  async refresh(): Promise<void> {
    for (;;) {
      const page = await this.journal.read(PROMOTIONS_JOURNAL, { afterSeq: this.seq, limit: PAGE });
      for (const r of page) {
        const rec = r.data as CampaignRecord;
        this.records.set(rec.campaign.id, rec);
        this.seq = r.seq;
      }
      if (page.length < PAGE) return;
    }
  }

  async get(id: string): Promise<CampaignRecord | null> {
    await this.refresh();
    return this.records.get(id) ?? null;
  }

  async list(): Promise<CampaignRecord[]> {
    await this.refresh();
    return [...this.records.values()].sort((a, b) => b.campaign.startsAt - a.campaign.startsAt || (a.campaign.id < b.campaign.id ? -1 : 1));
  }

  /**
   * Saves the next version of a campaign decided by `next` from the current record (null: new),
   * retrying on a concurrent save. `next` may throw to refuse.
   */
  async save(id: string, next: (current: CampaignRecord | null) => CampaignRecord): Promise<CampaignRecord> {
    for (let attempt = 0; ; attempt++) {
      await this.refresh();
      const current = this.records.get(id) ?? null;
      if (!current && this.records.size >= MAX_CAMPAIGNS) throw Object.assign(new Error(`at most ${MAX_CAMPAIGNS} campaigns`), { code: 'promo/too_many_campaigns' });
      const record = next(current);
      try {
        await this.journal.append(PROMOTIONS_JOURNAL, this.seq + 1, [{ type: 'CampaignSaved', data: record }], { at: record.at });
        await this.refresh();
        return record;
      } catch (err) {
        if ((err as { code?: string }).code !== 'journal/seq_conflict' || attempt >= MAX_RETRIES) throw err;
      }
    }
  }
}
