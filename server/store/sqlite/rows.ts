/** Maps SQLite rows (snake_case columns) to the port's types. */
import type { SQLOutputValue } from 'node:sqlite';
import type { Account, AccountKind, Hold, HoldStatus, Transfer, TransferKind, User } from '../types.ts';

export type Row = Record<string, SQLOutputValue>;

const nullableString = (value: SQLOutputValue): string | null => (value === null ? null : String(value));
const nullableNumber = (value: SQLOutputValue): number | null => (value === null ? null : Number(value));

export function toAccount(row: Row): Account {
  return {
    id: String(row.id),
    kind: row.kind as AccountKind,
    currency: String(row.currency),
    balanceMinor: Number(row.balance_minor),
    heldMinor: Number(row.held_minor),
    createdAt: Number(row.created_at),
  };
}

export function toTransfer(row: Row): Transfer {
  return {
    id: String(row.seq),
    key: String(row.key),
    fromAccountId: String(row.from_account),
    toAccountId: String(row.to_account),
    amountMinor: Number(row.amount_minor),
    kind: row.kind as TransferKind,
    holdId: nullableString(row.hold_id),
    memo: nullableString(row.memo),
    createdAt: Number(row.created_at),
    seq: Number(row.seq),
    ownerAccountId: nullableString(row.owner_account ?? null),
    ownerBalanceAfterMinor: nullableNumber(row.owner_balance_after ?? null),
  };
}

export function toHold(row: Row): Hold {
  return {
    id: String(row.id),
    accountId: String(row.account_id),
    amountMinor: Number(row.amount_minor),
    status: row.status as HoldStatus,
    capturedMinor: Number(row.captured_minor),
    createdAt: Number(row.created_at),
    resolvedAt: nullableNumber(row.resolved_at),
  };
}

export function toUser(row: Row): User {
  return {
    id: String(row.id),
    username: String(row.username),
    passwordHash: String(row.password_hash),
    role: row.role as User['role'],
    status: row.status as User['status'],
    createdAt: Number(row.created_at),
  };
}
