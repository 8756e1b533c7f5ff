/**
 * Wires the self-exclusion return of funds (funds-return.ts) into the server: it runs only with a
 * cashier (no PSP, no payouts), and chains onto the protection service's block hook after KYC's.
 */
import type { RoomServices } from '../../rooms/context.ts';
import type { PaymentService } from '../payments/service.ts';
import { FundsReturns } from './funds-return.ts';

export type { FundsReturns } from './funds-return.ts';

export async function setUpFundsReturns(services: RoomServices, payments: PaymentService | null, forfeitBonus: (userId: string, why: string) => Promise<unknown>): Promise<FundsReturns | null> {
  if (!payments) return null;
  const { config, store, log, now, protection, kyc } = services;
  const returns = new FundsReturns({
    store, payments, forfeitBonus, log, now,
    isVerified: async (userId) => (await kyc.view(userId)).status === 'verified',
    withdrawalMinMinor: config.payments.withdrawalMinMinor,
    withdrawalMaxMinor: config.payments.withdrawalMaxMinor,
  }, config.protection.fundsReturnSweepMs);
  await returns.init();
  const before = protection.onBlocked;
  protection.onBlocked = async (userId, record) => {
    await before?.(userId, record);
    // The block is already in force; a failure here is retried by the sweep, never undoes it.
    await returns.onBlocked(userId, record).catch((err) => log.error({ err, userId }, 'could not open the self-exclusion return of funds'));
  };
  return returns;
}
