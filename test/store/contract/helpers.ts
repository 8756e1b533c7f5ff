import { expect } from 'chai';
import { SYSTEM_ACCOUNTS, type Store, type WalletErrorCode, type WalletOp, type WalletOutcome } from '../../../server/store/types.ts';

/** Filled in by the contract's beforeEach: a fresh, empty store per test. */
export interface ContractContext {
  store: Store;
  currency: string;
}

let counter = 0;
/** Unique per call, so ids never collide across tests sharing a database. */
export const uid = (prefix: string): string => `${prefix}-${Date.now().toString(36)}-${(counter++).toString(36)}`;

export type Ok = Extract<WalletOutcome, { ok: true }>;

export function expectOk(outcome: WalletOutcome | undefined): Ok {
  expect(outcome, JSON.stringify(outcome)).to.have.property('ok', true);
  return outcome as Ok;
}

export function expectFail(outcome: WalletOutcome | undefined, code: WalletErrorCode): void {
  expect(outcome, JSON.stringify(outcome)).to.include({ ok: false, code });
}

export async function applyOne(ctx: ContractContext, op: WalletOp): Promise<WalletOutcome> {
  const [outcome] = await ctx.store.wallet.apply([op]);
  return outcome!;
}

export async function deposit(ctx: ContractContext, accountId: string, amountMinor: number): Promise<void> {
  expectOk(await applyOne(ctx, {
    type: 'transfer', key: uid('deposit'), fromAccountId: SYSTEM_ACCOUNTS.world, toAccountId: accountId, amountMinor, kind: 'deposit',
  }));
}

/** A player account in the store's currency, holding `balanceMinor`. */
export async function newPlayer(ctx: ContractContext, balanceMinor = 0): Promise<string> {
  const id = uid('player');
  await ctx.store.wallet.ensureAccount(id, 'player', ctx.currency);
  if (balanceMinor > 0) await deposit(ctx, id, balanceMinor);
  return id;
}

export async function balanceOf(ctx: ContractContext, id: string): Promise<number> {
  return (await ctx.store.wallet.getAccount(id))!.balanceMinor;
}

export async function expectStoreError(promise: Promise<unknown>, code: string): Promise<void> {
  let caught: unknown;
  try {
    await promise;
  } catch (error) {
    caught = error;
  }
  expect(caught, `expected StoreError ${code}`).to.be.instanceOf(Error);
  expect(caught).to.have.property('name', 'StoreError');
  expect(caught).to.have.property('code', code);
}
