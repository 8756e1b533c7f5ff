/**
 * Promotions as the server runs them (docs/PROMOTIONS.md): campaigns (CampaignBook), claims
 * decided by the pure decider (actors/promotions) on facts gathered here, and awards written to
 * the ledger. Every money rule that must hold under concurrency is the ledger's: one claim per
 * player is the claim's idempotency key, the budget cap is the campaign's budget account (a claim
 * it cannot cover fails with insufficient funds), and bonus spending, wagering and conversion
 * happen inside wallet ops (server/store/bonus-ops.ts).
 */
import type { BetPromotion, BetPromotionRequest } from '../../rooms/market/services.ts';
import {
  campaignOpen, decideClaim, isAutomatic, DEFAULT_CONTRIBUTION, oddsBoostStake, edit, transition, validateCampaign, type Award, type Campaign, type CampaignAction, type PlayerBlock, type PlayerFacts,
} from '../../actors/promotions/index.ts';
import { AppError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { SYSTEM_ACCOUNTS, type BonusGrant, type Store, type WalletOp, type WalletOutcome } from '../store/types.ts';
import { bonusAccountId, campaignAccountId } from '../store/wallet-input.ts';
import { playerAccountId, type WalletService } from '../wallet/service.ts';
import type { CampaignBook, CampaignRecord } from './campaigns.ts';
import { publishRisk } from '../risk/publish.ts';
import { BetTokens, type TokenView } from './tokens.ts';

/** What the server knows about a player beyond their account (server/profiles: country and VIP tier; no activity record yet). */
export interface PlayerProfile {
  country: string | null;
  vipTier: string | null;
  lastActiveAt: number | null;
}

/**
 * The hook point for player protection and fraud (built in parallel): why a player must receive
 * nothing, or null. The default blocks locked accounts only.
 */
export type PlayerBlockCheck = (userId: string) => Promise<PlayerBlock | null>;

/** Captured deposits of a player, oldest first (the cashier's, when one is configured). */
export type DepositSource = (userId: string) => Promise<Array<{ paymentId: string; amountMinor: number; at: number }>>;

export interface PromotionsConfig {
  /** What a withdrawal does to an active bonus: forfeit it, block the withdrawal until wagering is met, or nothing. */
  withdrawalRule: 'forfeit' | 'block' | 'off';
  /** How often expired bonuses are swept (0: never; expiry still holds at every stake and settlement). */
  expirySweepMs: number;
  /** How often the automatic cash-back job looks for ended periods (0: never). */
  cashBackJobMs: number;
}

export interface PromotionsHooks {
  blocked?: PlayerBlockCheck;
  profile?: (userId: string) => Promise<PlayerProfile>;
  deposits?: DepositSource;
}

export type ClaimResult = { campaignId: string; award: Award; replayed: boolean };

export const STATUS_OF: Record<string, number> = {
  'promo/not_found': 404,
  'promo/invalid_campaign': 400,
  'promo/deposit_required': 400,
  'promo/unsupported_award': 501,
};

export const claimKey = (campaignId: string, userId: string): string => `promo:${campaignId}:claim:${userId}`;
/** A deposit match's award memo names its deposit (the automatic award's idempotency and the chargeback rule read it back). */
export const depositMemo = (name: string, paymentId: string): string => `${name.slice(0, 120)} · deposit ${paymentId}`;
export const memoNamesDeposit = (memo: string | null | undefined, paymentId: string): boolean => memo?.endsWith(` · deposit ${paymentId}`) ?? false;

export function fail(code: string, message: string, status = STATUS_OF[code] ?? 409): never {
  throw new AppError(code, message, status);
}

/** The ledger's refusal of an award, as the promotion error the player sees. */
function awardRefusal(o: Extract<WalletOutcome, { ok: false }>): never {
  if (o.code === 'wallet/insufficient_funds') fail('promo/budget_spent', 'the campaign has spent its budget');
  if (o.code === 'wallet/idempotency_conflict') fail('promo/already_claimed', 'one claim per player');
  if (o.code === 'wallet/bonus_active') fail('promo/bonus_active', 'finish or forfeit the active bonus first');
  fail(o.code, o.message, 503);
}

export class PromotionsService {
  private timer: NodeJS.Timeout | null = null;
  private readonly betTokens: BetTokens;

  constructor(
    private readonly store: Store,
    private readonly wallet: WalletService,
    readonly book: CampaignBook,
    private readonly log: Logger,
    private readonly now: () => number,
    readonly config: PromotionsConfig,
    private readonly hooks: PromotionsHooks = {},
  ) {
    this.betTokens = new BetTokens(store.wallet, wallet, book, now);
  }

  // ---------------------------------------------------------------- campaigns (operators)

  /** Creates a campaign and funds its budget account from sys:promotions. */
  async create(c: Campaign, by: string): Promise<CampaignRecord> {
    const invalid = validateCampaign(c);
    if (invalid) fail(invalid.code, invalid.message);
    await this.store.wallet.ensureAccount(campaignAccountId(c.id), 'promotions', this.wallet.currency);
    const rec = await this.book.save(c.id, (current) => {
      if (current) fail('promo/campaign_exists', `campaign ${c.id} exists`);
      return { campaign: c, version: 1, fundings: [{ key: `promo:${c.id}:budget:v1`, amountMinor: c.budgetMinor }], by, at: this.now() };
    });
    await this.ensureFunded(rec);
    return rec;
  }

  /** Edits a campaign (same id and kind; the budget may only grow: the top-up is funded). */
  async edit(c: Campaign, by: string): Promise<CampaignRecord> {
    const rec = await this.book.save(c.id, (current) => {
      if (!current) fail('promo/not_found', `no campaign ${c.id}`);
      const next = edit(current.campaign, c);
      if ('code' in next) fail(next.code, next.message);
      const topUp = next.budgetMinor - current.campaign.budgetMinor;
      if (topUp < 0) fail('promo/invalid_campaign', 'a budget only grows (end the campaign to stop it)');
      const version = current.version + 1;
      const fundings = topUp > 0 ? [...current.fundings, { key: `promo:${c.id}:budget:v${version}`, amountMinor: topUp }] : current.fundings;
      return { campaign: next, version, fundings, by, at: this.now() };
    });
    await this.ensureFunded(rec);
    return rec;
  }

  async act(id: string, action: CampaignAction, by: string): Promise<CampaignRecord> {
    return this.book.save(id, (current) => {
      if (!current) fail('promo/not_found', `no campaign ${id}`);
      const next = transition(current.campaign, action);
      if ('code' in next) fail(next.code, next.message);
      return { ...current, campaign: next, version: current.version + 1, by, at: this.now() };
    });
  }

  /** Moves every recorded budget funding into the campaign account (idempotent by key: repairs a save whose funding never ran). */
  async ensureFunded(rec: CampaignRecord): Promise<void> {
    const ops: WalletOp[] = rec.fundings.map((f) => ({
      type: 'transfer', key: f.key, fromAccountId: SYSTEM_ACCOUNTS.promotions, toAccountId: campaignAccountId(rec.campaign.id), amountMinor: f.amountMinor, kind: 'funding', memo: `budget of ${rec.campaign.id}`,
    }));
    if (ops.length === 0) return;
    for (const o of await this.wallet.apply(ops)) {
      if (!o.ok) fail('promo/budget_unfunded', `the promotions account cannot fund campaign ${rec.campaign.id}: ${o.message}`, 503);
    }
  }

  /** Budget, spend and remaining money of a campaign, from its ledger account. */
  async budget(rec: CampaignRecord): Promise<{ fundedMinor: number; remainingMinor: number; spentMinor: number }> {
    const account = await this.store.wallet.getAccount(campaignAccountId(rec.campaign.id));
    const fundedMinor = rec.fundings.reduce((s, f) => s + f.amountMinor, 0);
    const remainingMinor = account ? account.balanceMinor + account.heldMinor : 0;
    return { fundedMinor, remainingMinor, spentMinor: fundedMinor - remainingMinor };
  }

  // ---------------------------------------------------------------- claims (players)

  /** The player's claim of a campaign: facts, decision, then the award in the ledger (one claim per player by key). */
  async claim(userId: string, campaignId: string, input: { paymentId?: string }): Promise<ClaimResult> {
    const rec = await this.book.get(campaignId);
    if (!rec) fail('promo/not_found', `no campaign ${campaignId}`);
    await this.ensureFunded(rec);
    const c = rec.campaign;
    // An automatic cash-back pays every period by itself (a claim would be a second payment); an automatic deposit match may still be claimed (same key: one award).
    if (isAutomatic(c) && c.terms.kind === 'cash_back') fail('promo/automatic', 'this cash-back is paid automatically at the end of each period');
    const key = claimKey(c.id, userId);
    const facts = await this.facts(userId, key);
    let amountMinor: number | undefined;
    let memo = c.name;
    if (c.terms.kind === 'deposit_match') {
      const deposit = this.depositFor(c, input.paymentId, facts);
      amountMinor = deposit.amountMinor;
      memo = depositMemo(c.name, deposit.paymentId);
    } else if (c.terms.kind === 'cash_back') {
      amountMinor = await this.netLoss(userId, Math.max(c.startsAt, this.now() - c.terms.periodMs));
    }
    const { spentMinor } = await this.budget(rec);
    const decision = decideClaim(c, facts, { now: this.now(), spentMinor, amountMinor });
    if (!decision.ok) fail(decision.rejection.code, decision.rejection.message);
    const outcome = await this.award(userId, c, key, decision.award, memo);
    if (!outcome.ok) awardRefusal(outcome);
    this.log.info({ userId, campaignId, award: decision.award.type }, 'promotion claimed');
    // The risk service watches bonus claims (docs/FRAUD.md: bonus rings); a replayed claim is the same event id.
    const award = decision.award;
    const awardedMinor = award.type === 'bonus' || award.type === 'cash' ? award.amountMinor : award.type === 'free_bet' ? award.stakeMinor : award.type === 'profit_boost' ? award.maxExtraMinor : 0;
    publishRisk({ id: `bonus:${key}`, at: this.now(), type: 'bonus_claimed', playerId: userId, bonusId: c.id, amountMinor: awardedMinor });
    return { campaignId, award: decision.award, replayed: outcome.replayed };
  }

  /** Why the player must receive nothing (the block hook, or a locked account), or null. */
  private async blockOf(userId: string): Promise<PlayerBlock | null> {
    const [user, block] = await Promise.all([this.store.users.findById(userId), this.hooks.blocked ? this.hooks.blocked(userId) : Promise.resolve(null)]);
    return block ?? (user?.status === 'locked' ? 'account_locked' : null);
  }

  /** What the decider needs about a player (also the automatic awards', server/promotions/automatic.ts). */
  async facts(userId: string, key: string): Promise<PlayerFacts & { deposits: Array<{ paymentId: string; amountMinor: number; at: number }> }> {
    const user = await this.store.users.findById(userId);
    if (!user) fail('promo/not_found', `no user ${userId}`, 404);
    const [block, profile, deposits, claimed] = await Promise.all([
      this.hooks.blocked ? this.hooks.blocked(userId) : Promise.resolve(null),
      this.hooks.profile ? this.hooks.profile(userId) : Promise.resolve({ country: null, vipTier: null, lastActiveAt: null }),
      this.hooks.deposits ? this.hooks.deposits(userId) : Promise.resolve([]),
      this.store.wallet.transferByKey(key),
    ]);
    return {
      userId, registeredAt: user.createdAt, lastActiveAt: profile.lastActiveAt ?? this.now(), country: profile.country, vipTier: profile.vipTier,
      depositCount: deposits.length, block: block ?? (user.status === 'locked' ? 'account_locked' : null), alreadyClaimed: claimed !== null, deposits,
    };
  }

  /**
   * The player's net cash loss since `from`, from their own ledger: stakes taken from cash and
   * settled, less what came back (refunds and payouts). Bonus money staked is not theirs, so it
   * does not count; stakes still open do not count yet. Entries at or after `to` are skipped (a
   * closed period). Reads at most 50 pages of 200 transfers.
   */
  async netLoss(userId: string, from: number, to = Number.POSITIVE_INFINITY): Promise<number> {
    const account = playerAccountId(userId);
    let net = 0;
    let before: string | null = null;
    for (let page = 0; page < 50; page++) {
      const p = await this.store.wallet.listTransfers(account, { limit: 200, before });
      for (const t of p.items) {
        if (t.createdAt < from) return Math.max(0, net);
        if (t.createdAt >= to) continue;
        if (t.kind === 'reserve' && t.fromAccountId === account) {
          const hold = t.holdId ? await this.store.wallet.getHold(t.holdId) : null;
          if (hold?.status !== 'open') net += t.amountMinor;
        } else if ((t.kind === 'release' || t.kind === 'payout') && t.toAccountId === account) {
          const hold = t.kind === 'release' && t.holdId ? await this.store.wallet.getHold(t.holdId) : null;
          // A refund of a stake reserved before the period is not a win in it.
          if (!hold || hold.createdAt >= from) net -= t.amountMinor;
        }
      }
      if (p.nextCursor === null) break;
      before = p.nextCursor;
    }
    return Math.max(0, net);
  }

  /** The deposit a match is claimed on: the player's own captured deposit, made while the campaign runs. */
  private depositFor(c: Campaign, paymentId: string | undefined, facts: { deposits: Array<{ paymentId: string; amountMinor: number; at: number }>; depositCount: number }) {
    if (!paymentId) fail('promo/deposit_required', 'a deposit match is claimed on a deposit: send its paymentId');
    const index = facts.deposits.findIndex((d) => d.paymentId === paymentId);
    if (index < 0) fail('promo/deposit_required', `no captured deposit ${paymentId} of this player`);
    const deposit = facts.deposits[index]!;
    if (deposit.at < c.startsAt) fail('promo/not_eligible', 'the deposit was made before the campaign started');
    // Eligibility counts the deposits before the matched one (first-deposit offers: max 0).
    facts.depositCount = index;
    return deposit;
  }

  async award(userId: string, c: Campaign, key: string, a: Award, memo = `${c.name}`): Promise<WalletOutcome> {
    const cash = playerAccountId(userId);
    const from = campaignAccountId(c.id);
    if (a.type === 'bonus') {
      await this.store.wallet.ensureAccount(bonusAccountId(cash), 'player', this.wallet.currency);
      const contribution = c.terms.kind === 'deposit_match' ? c.terms.contribution : DEFAULT_CONTRIBUTION;
      const [o] = await this.wallet.apply([{
        type: 'bonusGrant', key, accountId: cash, fromAccountId: from, amountMinor: a.amountMinor, wageringRequiredMinor: a.wageringRequiredMinor,
        maxBetMinor: a.maxBetMinor, conversionCapMinor: a.conversionCapMinor, expiresAt: a.expiresAt, contribution, memo: memo.slice(0, 200),
      }]);
      return o!;
    }
    if (a.type === 'cash') {
      const [o] = await this.wallet.apply([{ type: 'transfer', key, fromAccountId: from, toAccountId: cash, amountMinor: a.amountMinor, kind: 'promotion', memo: memo.slice(0, 200) }]);
      return o!;
    }
    if (a.type === 'free_bet') {
      // The token is the stake set aside from the budget: a hold on the campaign account, id = the claim key.
      const [o] = await this.wallet.apply([{ type: 'reserve', key, accountId: from, amountMinor: a.stakeMinor, memo: `free bet token of ${c.id}` }]);
      return o!;
    }
    if (a.type === 'profit_boost') {
      // The token reserves the most it can pay from the budget (its cap), so parallel claims cannot overspend.
      const [o] = await this.wallet.apply([{ type: 'reserve', key, accountId: from, amountMinor: a.maxExtraMinor, memo: `profit boost token of ${c.id}` }]);
      return o!;
    }
    // Odds boosts are taken at the bet, not claimed.
    fail('promo/unsupported_award', `${a.type} awards are not claimed here`);
  }

  /** The player's unused bet tokens (free bets, profit boosts) with their terms. */
  tokens(userId: string): Promise<TokenView[]> {
    return this.betTokens.list(userId);
  }

  /**
   * The market room's check of a promoted bet: a free-bet or profit-boost token of this player
   * (server/promotions/tokens.ts); an odds boost running on this selection, within the player's
   * max stake at the boost. One promotion per bet.
   */
  readonly betPromotion = async (r: BetPromotionRequest): Promise<BetPromotion> => {
    const no = (code: string, message: string): BetPromotion => ({ ok: false, code, message });
    if ([r.freeBetId, r.boostId, r.profitBoostId].filter(Boolean).length > 1) return no('promo/invalid_bet', 'one promotion per bet');
    const block = await this.blockOf(r.playerId);
    if (block) return no('promo/blocked', `the player cannot receive promotions (${block})`);
    if (r.freeBetId) return this.betTokens.freeBet(r);
    if (r.profitBoostId) return this.betTokens.profitBoost(r);
    const rec = await this.book.get(r.boostId!);
    const t = rec?.campaign.terms;
    if (!rec || t?.kind !== 'odds_boost' || campaignOpen(rec.campaign, r.now)) return no('promo/no_boost', 'no odds boost running with this id');
    if (t.eventId !== r.eventId || t.marketId !== r.marketId || t.selectionId !== r.selectionId) return no('promo/no_boost', 'this boost is on another selection');
    const allowed = oddsBoostStake(r.stakeMinor, r.boostStakedMinor, t.maxStakePerPlayerMinor, t.boostedPriceMilli);
    if (allowed.stakeMinor < r.stakeMinor) return no('promo/boost_limit', `at most ${t.maxStakePerPlayerMinor - r.boostStakedMinor} more at the boosted price`);
    if (r.priceMilli !== t.boostedPriceMilli) return no('promo/boost_changed', `the boosted price is ${t.boostedPriceMilli}`);
    return { ok: true, boostedPriceMilli: t.boostedPriceMilli };
  };

  /** Returns expired tokens' holds (free-bet stakes, profit-boost caps) to their campaigns. */
  sweepExpiredTokens(): Promise<number> {
    return this.betTokens.sweepExpired();
  }

  // ---------------------------------------------------------------- bonus state

  async grant(userId: string): Promise<(BonusGrant & { balanceMinor: number; heldMinor: number }) | null> {
    const cash = playerAccountId(userId);
    const [grant, account] = await Promise.all([this.store.wallet.bonusGrant(cash), this.store.wallet.getAccount(bonusAccountId(cash))]);
    if (!grant) return null;
    return { ...grant, balanceMinor: account?.balanceMinor ?? 0, heldMinor: account?.heldMinor ?? 0 };
  }

  /** An operator's correction of a player's active bonus (audited by the caller). */
  async adjust(userId: string, deltaMinor: number, key: string, memo: string): Promise<WalletOutcome> {
    const [o] = await this.wallet.apply([{ type: 'bonusAdjust', key: `promo:adjust:${userId}:${key}`, accountId: playerAccountId(userId), deltaMinor, memo: memo.slice(0, 300) }]);
    return o!;
  }

  /** Ends the player's active bonus now (only if it is `grantId`, when given): its balance goes back to the campaign. */
  async forfeit(userId: string, why: string, grantId?: string): Promise<WalletOutcome | null> {
    const grant = await this.store.wallet.bonusGrant(playerAccountId(userId));
    if (!grant || grant.status !== 'active' || (grantId !== undefined && grant.grantId !== grantId)) return null;
    const [o] = await this.wallet.apply([{ type: 'bonusClose', key: `${grant.grantId}:forfeit`, accountId: grant.ownerAccountId, grantId: grant.grantId, reason: 'forfeited', memo: why.slice(0, 300) }]);
    return o!;
  }

  /**
   * The cashier's withdrawal check (payments WithdrawalCheck): by the configured rule, a
   * withdrawal forfeits the active bonus, or is refused while its wagering is not met.
   */
  readonly withdrawalCheck = async ({ userId }: { userId: string }): Promise<{ code: string; message: string } | null> => {
    const grant = await this.store.wallet.bonusGrant(playerAccountId(userId));
    if (!grant || grant.status !== 'active' || this.config.withdrawalRule === 'off') return null;
    if (this.config.withdrawalRule === 'block') {
      return { code: 'promo/wagering_incomplete', message: `wager ${grant.wageringRequiredMinor - grant.wageredMinor} more, or forfeit the bonus, before withdrawing` };
    }
    const o = await this.forfeit(userId, 'withdrawal requested');
    if (o && !o.ok) return { code: o.code, message: o.message };
    return null;
  };

  /** Closes bonuses past their expiry: their balance goes back to the campaign. */
  async sweepExpired(limit = 200): Promise<number> {
    const expired = await this.store.wallet.expiredBonusGrants(this.now(), limit);
    if (expired.length === 0) return 0;
    const outcomes = await Promise.all(expired.map((g) =>
      this.wallet.apply([{ type: 'bonusClose', key: `${g.grantId}:expire`, accountId: g.ownerAccountId, grantId: g.grantId, reason: 'expired' }])));
    const failed = outcomes.flat().filter((o) => !o.ok);
    if (failed.length > 0) this.log.warn({ failed: failed.length }, 'some expired bonuses could not be closed; retried next sweep');
    return expired.length - failed.length;
  }

  start(): void {
    if (this.config.expirySweepMs <= 0 || this.timer) return;
    this.timer = setInterval(() => {
      this.sweepExpired().catch((err) => this.log.warn({ err }, 'bonus expiry sweep failed'));
      this.sweepExpiredTokens().catch((err) => this.log.warn({ err }, 'token expiry sweep failed'));
    }, this.config.expirySweepMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
