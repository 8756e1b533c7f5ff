/**
 * The storage port's contract: every adapter runs this suite against a real database.
 * `open` must return a fresh, empty store (its own database) on each call.
 */
import { SYSTEM_ACCOUNTS, type Store } from '../../server/store/types.ts';
import type { ContractContext } from './contract/helpers.ts';
import { auditContract } from './contract/audit.ts';
import { bonusContract } from './contract/bonus.ts';
import { clawbackContract } from './contract/clawback.ts';
import { fencesContract } from './contract/fences.ts';
import { fundedContract } from './contract/funded.ts';
import { gamesContract } from './contract/games.ts';
import { holdsContract } from './contract/holds.ts';
import { journalContract } from './contract/journal.ts';
import { modelContract } from './contract/model.ts';
import { pagingContract } from './contract/paging.ts';
import { protectionContract } from './contract/protection.ts';
import { reconcileContract } from './contract/reconcile.ts';
import { transfersContract } from './contract/transfers.ts';
import { usersContract } from './contract/users.ts';

export function storeContract(name: string, open: () => Promise<Store>): void {
  describe(`${name} store contract`, () => {
    const ctx = {} as ContractContext;

    beforeEach(async () => {
      ctx.store = await open();
      ctx.currency = (await ctx.store.wallet.getAccount(SYSTEM_ACCOUNTS.escrow))!.currency;
    });

    afterEach(async () => {
      // Every test must leave the books balanced, whatever it did.
      const books = await ctx.store.wallet.reconcile();
      await ctx.store.close();
      if (!books.ok) throw new Error(`books do not balance after the test: ${JSON.stringify(books)}`);
    });

    it('answers ping', async () => {
      await ctx.store.ping();
    });

    usersContract(ctx);
    transfersContract(ctx);
    holdsContract(ctx);
    clawbackContract(ctx);
    modelContract(ctx);
    pagingContract(ctx);
    journalContract(ctx);
    fencesContract(ctx);
    fundedContract(ctx);
    reconcileContract(ctx);
    gamesContract(ctx);
    auditContract(ctx);
    bonusContract(ctx);
    protectionContract(ctx);
  });
}
