/**
 * The wallet as the rest of the server sees it: player accounts, the idempotent sign-up bonus,
 * balances and ledger pages, and the boot-time funding of the house and promotions accounts.
 * All money moves through `store.wallet.apply`, so every change is a double-entry transfer.
 */
import { SYSTEM_ACCOUNTS, type Transfer, type WalletApplyOptions, type WalletOp, type WalletOutcome, type WalletStore } from '../store/types.ts';
import { AppError } from '../errors.ts';

export function playerAccountId(userId: string): string {
  return `player:${userId}`;
}

export interface WalletView {
  currency: string;
  balanceMinor: number;
  heldMinor: number;
  availableMinor: number;
}

export interface LedgerEntry {
  transferId: string;
  kind: Transfer['kind'];
  /** Positive when money came into the player's account, negative when it left. */
  amountMinor: number;
  counterparty: string;
  holdId: string | null;
  memo: string | null;
  createdAt: string;
}

export class WalletService {
  constructor(
    readonly store: WalletStore,
    readonly currency: string,
  ) {}

  /** Funds the house bankroll and the promotions budget from the world account, once per ledger. */
  async bootstrap(opts: { houseFloatMinor: number; promotionsBudgetMinor: number }): Promise<void> {
    for (const acc of Object.entries(SYSTEM_ACCOUNTS)) {
      await this.store.ensureAccount(acc[1], acc[0] as keyof typeof SYSTEM_ACCOUNTS, this.currency);
    }
    const ops: WalletOp[] = [];
    if (opts.houseFloatMinor > 0) {
      ops.push({ type: 'transfer', key: 'funding:house:initial', fromAccountId: SYSTEM_ACCOUNTS.world, toAccountId: SYSTEM_ACCOUNTS.house, amountMinor: opts.houseFloatMinor, kind: 'funding', memo: 'initial house float' });
    }
    if (opts.promotionsBudgetMinor > 0) {
      ops.push({ type: 'transfer', key: 'funding:promotions:initial', fromAccountId: SYSTEM_ACCOUNTS.world, toAccountId: SYSTEM_ACCOUNTS.promotions, amountMinor: opts.promotionsBudgetMinor, kind: 'funding', memo: 'initial promotions budget' });
    }
    // A different amount under an existing key is an idempotency conflict: the float was
    // already funded with another amount by an earlier boot, which is fine to keep.
    const outcomes = ops.length ? await this.store.apply(ops) : [];
    for (const o of outcomes) {
      if (!o.ok && o.code !== 'wallet/idempotency_conflict') throw new Error(`wallet bootstrap failed: ${o.code} ${o.message}`);
    }
  }

  async openPlayerAccount(userId: string, signupBonusMinor: number): Promise<void> {
    await this.store.ensureAccount(playerAccountId(userId), 'player', this.currency);
    if (signupBonusMinor <= 0) return;
    const [outcome] = await this.store.apply([
      { type: 'transfer', key: `promo:signup:${userId}`, fromAccountId: SYSTEM_ACCOUNTS.promotions, toAccountId: playerAccountId(userId), amountMinor: signupBonusMinor, kind: 'promotion', memo: 'demo balance' },
    ]);
    if (!outcome.ok) throw new AppError(outcome.code, `could not credit the demo balance: ${outcome.message}`, 503);
  }

  async view(userId: string): Promise<WalletView> {
    const acc = await this.store.getAccount(playerAccountId(userId));
    if (!acc) throw new AppError('wallet/unknown_account', 'this user has no wallet', 404);
    return { currency: acc.currency, balanceMinor: acc.balanceMinor + acc.heldMinor, heldMinor: acc.heldMinor, availableMinor: acc.balanceMinor };
  }

  async ledger(userId: string, limit: number, before: string | null): Promise<{ items: LedgerEntry[]; nextCursor: string | null }> {
    const accountId = playerAccountId(userId);
    const page = await this.store.listTransfers(accountId, { limit, before });
    return {
      items: page.items.map((t) => {
        const incoming = t.toAccountId === accountId;
        return {
          transferId: t.id,
          kind: t.kind,
          amountMinor: incoming ? t.amountMinor : -t.amountMinor,
          counterparty: incoming ? t.fromAccountId : t.toAccountId,
          holdId: t.holdId,
          memo: t.memo,
          createdAt: new Date(t.createdAt).toISOString(),
        };
      }),
      nextCursor: page.nextCursor,
    };
  }

  apply(ops: WalletOp[], opts?: WalletApplyOptions): Promise<WalletOutcome[]> {
    return this.store.apply(ops, opts);
  }
}
