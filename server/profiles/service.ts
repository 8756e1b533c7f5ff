/**
 * Player profiles (docs/PROMOTIONS.md §4): what promotions target beyond the account. Each
 * player's profile is a journal (`profile:<userId>`, appended at its next sequence number, so
 * concurrent changes of one player are ordered and every change is on record), on every store
 * adapter:
 *
 * - `country`: the ISO code the geolocation lookup gave at registration (server/geo/gate.ts). A
 *   login records it only while none is known (players registered before profiles, or from an
 *   address with no country); it is never overwritten by a login, so travelling does not move a
 *   player's targeting. Nothing is recorded when the lookup has no database (no country rule and
 *   GEO_RECORD_COUNTRY off) or the address has no country.
 * - `vipTier`: one of VIP_TIERS or null, set by an operator with a reason (audited by the route).
 */
import { VIP_TIERS, type VipTier } from '../../actors/promotions/index.ts';
import { StoreError, type JournalStore } from '../store/types.ts';

export interface PlayerProfileView {
  country: string | null;
  countrySource: 'registration' | 'login' | null;
  countryAt: number | null;
  vipTier: VipTier | null;
  vipTierBy: string | null;
  vipTierAt: number | null;
  vipTierReason: string | null;
}

type ProfileEvent =
  | { type: 'CountryRecorded'; country: string; source: 'registration' | 'login'; at: number }
  | { type: 'VipTierSet'; tier: VipTier | null; by: string; reason: string; at: number };

export const profileJournalId = (userId: string): string => `profile:${userId}`;
/** A profile changes rarely (a country once, a tier by hand): this many records is far beyond any real one. */
const MAX_RECORDS = 1_000;
const MAX_APPEND_ATTEMPTS = 5;

export const EMPTY_PROFILE: PlayerProfileView = { country: null, countrySource: null, countryAt: null, vipTier: null, vipTierBy: null, vipTierAt: null, vipTierReason: null };

export function evolveProfile(p: PlayerProfileView, e: ProfileEvent): PlayerProfileView {
  if (e.type === 'CountryRecorded') return { ...p, country: e.country, countrySource: e.source, countryAt: e.at };
  if (e.type === 'VipTierSet') return { ...p, vipTier: e.tier, vipTierBy: e.by, vipTierAt: e.at, vipTierReason: e.reason };
  return p;
}

export class ProfileService {
  constructor(
    private readonly journal: JournalStore,
    private readonly now: () => number,
  ) {}

  private async load(userId: string): Promise<{ profile: PlayerProfileView; seq: number }> {
    const records = await this.journal.read(profileJournalId(userId), { limit: MAX_RECORDS });
    const profile = records.reduce((p, r) => evolveProfile(p, r.data as ProfileEvent), EMPTY_PROFILE);
    return { profile, seq: records.length === 0 ? 0 : records[records.length - 1]!.seq };
  }

  async view(userId: string): Promise<PlayerProfileView> {
    return (await this.load(userId)).profile;
  }

  /** Appends the event `make` decides from the current profile (null: nothing to change), retrying on a concurrent append. */
  private async change(userId: string, make: (p: PlayerProfileView) => ProfileEvent | null): Promise<PlayerProfileView> {
    for (let attempt = 1; ; attempt++) {
      const { profile, seq } = await this.load(userId);
      const event = make(profile);
      if (!event) return profile;
      if (seq >= MAX_RECORDS) throw new StoreError('store/invalid_argument', `profile of ${userId} has ${MAX_RECORDS} changes: no more are kept`);
      try {
        await this.journal.append(profileJournalId(userId), seq + 1, [{ type: event.type, data: event }], { at: event.at });
        return evolveProfile(profile, event);
      } catch (err) {
        if (err instanceof StoreError && err.code === 'journal/seq_conflict' && attempt < MAX_APPEND_ATTEMPTS) continue;
        throw err;
      }
    }
  }

  /** Records the country of a registration, or of a login while none is known. Unknown countries record nothing. */
  async recordCountry(userId: string, country: string | null, source: 'registration' | 'login'): Promise<void> {
    if (country === null || !/^[A-Z]{2}$/.test(country)) return;
    await this.change(userId, (p) => (p.country !== null ? null : { type: 'CountryRecorded', country, source, at: this.now() }));
  }

  /** Sets (or with null clears) the player's VIP tier. */
  async setVipTier(userId: string, tier: VipTier | null, by: string, reason: string): Promise<PlayerProfileView> {
    if (tier !== null && !(VIP_TIERS as readonly string[]).includes(tier)) throw new StoreError('store/invalid_argument', `unknown VIP tier ${tier}`);
    return this.change(userId, () => ({ type: 'VipTierSet', tier, by, reason: reason.slice(0, 200), at: this.now() }));
  }

  /** The promotions profile hook (server/promotions/service.ts PlayerProfile). */
  async forPromotions(userId: string): Promise<{ country: string | null; vipTier: string | null; lastActiveAt: number | null }> {
    const p = await this.view(userId);
    return { country: p.country, vipTier: p.vipTier, lastActiveAt: null };
  }
}
