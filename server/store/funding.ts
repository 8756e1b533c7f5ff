/**
 * Only world may go below zero, so house and promotions start empty and are funded by an
 * ordinary `funding` transfer from world. A fixed key makes boot-time funding idempotent across
 * restarts and across processes sharing one database: the first process funds, the others
 * replay. Changing the amount later under the same key is `wallet/idempotency_conflict`
 * (by design: top-ups need a new key, e.g. `funding:house:2025-06`).
 */
import { SYSTEM_ACCOUNTS, type WalletOp } from './types.ts';

export function fundingOp(accountId: string, amountMinor: number, key = `funding:${accountId}:initial`): WalletOp {
  return {
    type: 'transfer',
    key,
    fromAccountId: SYSTEM_ACCOUNTS.world,
    toAccountId: accountId,
    amountMinor,
    kind: 'funding',
  };
}
