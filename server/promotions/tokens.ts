/**
 * Bet tokens (docs/PROMOTIONS.md §3): a free bet or a profit boost a player claimed. A token is a
 * hold on the campaign account, id = the claim key `promo:<campaign>:claim:<user>`: a free bet holds
 * its stake, a profit boost its cap (`maxExtraMinor`). The market room consumes one in the bet's
 * stake reserve (rooms/market/money.ts, profit-boost.ts); expiry releases it to the campaign.
 */
import type { BetPromotion, BetPromotionRequest } from '../../rooms/market/services.ts';
import type { CampaignTerms } from '../../actors/promotions/index.ts';
import type { Hold, WalletStore } from '../store/types.ts';
import type { WalletService } from '../wallet/service.ts';
import { campaignAccountId } from '../store/wallet-input.ts';
import type { CampaignBook, CampaignRecord } from './campaigns.ts';

type TokenKind = 'free_bet' | 'profit_boost';
type TokenTerms = Extract<CampaignTerms, { kind: TokenKind }>;

/** A token as GET /promotions/tokens lists it: its kind and terms (a free bet's stake, a profit boost's percent and cap). */
export type TokenView = { tokenId: string; campaignId: string; name: string; minPriceMilli: number; expiresAt: number } & (
  | { kind: 'free_bet'; stakeMinor: number }
  | { kind: 'profit_boost'; boostPct: number; maxExtraMinor: number }
);

const isTokenKind = (t: CampaignTerms): t is TokenTerms => t.kind === 'free_bet' || t.kind === 'profit_boost';
const TOKEN_ID = /^promo:([a-z0-9][a-z0-9_-]{0,63}):claim:(.+)$/;

export class BetTokens {
  constructor(
    private readonly store: WalletStore,
    private readonly wallet: WalletService,
    private readonly book: CampaignBook,
    private readonly now: () => number,
  ) {}

  /** The player's unused tokens with their terms (the campaign's as of now; a profit boost's cap is what its token holds). */
  async list(userId: string): Promise<TokenView[]> {
    const out: TokenView[] = [];
    for (const rec of await this.book.list()) {
      const t = rec.campaign.terms;
      if (!isTokenKind(t)) continue;
      const hold = await this.store.getHold(`promo:${rec.campaign.id}:claim:${userId}`);
      if (hold?.status !== 'open') continue;
      const common = { tokenId: hold.id, campaignId: rec.campaign.id, name: rec.campaign.name, minPriceMilli: t.minPriceMilli, expiresAt: hold.createdAt + t.validForMs };
      out.push(t.kind === 'free_bet' ? { ...common, kind: 'free_bet', stakeMinor: hold.amountMinor } : { ...common, kind: 'profit_boost', boostPct: t.boostPct, maxExtraMinor: hold.amountMinor });
    }
    return out;
  }

  /** The player's open token of this kind by its id, with its campaign, or why it is not usable. */
  private async token(id: string, playerId: string, kind: TokenKind, now: number): Promise<{ rec: CampaignRecord; terms: TokenTerms; hold: Hold } | { code: string; message: string }> {
    const m = TOKEN_ID.exec(id);
    const rec = m && m[2] === playerId ? await this.book.get(m[1]!) : null;
    const hold = rec ? await this.store.getHold(id) : null;
    const what = kind === 'free_bet' ? 'free bet' : 'profit boost';
    if (!rec || rec.campaign.terms.kind !== kind || hold?.status !== 'open') return { code: 'promo/no_token', message: `no unused ${what} with this id` };
    const terms = rec.campaign.terms as TokenTerms;
    if (now >= hold.createdAt + terms.validForMs) return { code: 'promo/token_expired', message: `this ${what} has expired` };
    return { rec, terms, hold };
  }

  /** A free bet: the player's token, unexpired, for its whole stake, at its minimum price or more. */
  async freeBet(r: BetPromotionRequest): Promise<BetPromotion> {
    const found = await this.token(r.freeBetId!, r.playerId, 'free_bet', r.now);
    if ('code' in found) return { ok: false, ...found };
    const { rec, terms, hold } = found;
    if (r.stakeMinor !== hold.amountMinor) return { ok: false, code: 'promo/free_bet_stake', message: `a free bet stakes exactly ${hold.amountMinor}` };
    // 'any' could be accepted below the price asked: a free bet takes the price it asks or better.
    if (r.priceMilli < terms.minPriceMilli || r.acceptance === 'any') return { ok: false, code: 'promo/free_bet_min_price', message: `a free bet needs a price of at least ${terms.minPriceMilli} (acceptance exact or better)` };
    return { ok: true, freeBet: { tokenHoldId: hold.id, fundingAccountId: campaignAccountId(rec.campaign.id) } };
  }

  /**
   * A profit boost: the player's token, unexpired, on a bet at its minimum price or more (acceptance
   * exact or better, as a free bet); the stake is the player's own (cash, then bonus) as usual.
   */
  async profitBoost(r: BetPromotionRequest): Promise<BetPromotion> {
    const found = await this.token(r.profitBoostId!, r.playerId, 'profit_boost', r.now);
    if ('code' in found) return { ok: false, ...found };
    const { rec, terms, hold } = found;
    if (terms.kind !== 'profit_boost') return { ok: false, code: 'promo/no_token', message: 'no unused profit boost with this id' };
    if (r.priceMilli < terms.minPriceMilli || r.acceptance === 'any') {
      return { ok: false, code: 'promo/profit_boost_min_price', message: `a profit boost needs a price of at least ${terms.minPriceMilli} (acceptance exact or better)` };
    }
    return {
      ok: true,
      profitBoost: { tokenHoldId: hold.id, fundingAccountId: campaignAccountId(rec.campaign.id), campaignId: rec.campaign.id, boostPct: terms.boostPct, maxExtraMinor: hold.amountMinor },
    };
  }

  /** Returns expired tokens' holds (free-bet stakes, profit-boost caps) to their campaigns. */
  async sweepExpired(): Promise<number> {
    let released = 0;
    for (const rec of await this.book.list()) {
      const t = rec.campaign.terms;
      if (!isTokenKind(t)) continue;
      const holds = await this.store.listOpenHolds({ prefix: `promo:${rec.campaign.id}:claim:`, limit: 1000 });
      const expired = holds.filter((h) => this.now() >= h.createdAt + t.validForMs);
      for (const h of expired) {
        const [o] = await this.wallet.apply([{ type: 'release', key: `${h.id}:expired`, holdId: h.id, memo: `${t.kind === 'free_bet' ? 'free bet' : 'profit boost'} expired` }]);
        if (o!.ok) released++;
      }
    }
    return released;
  }
}
