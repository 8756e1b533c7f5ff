import { expect } from 'chai';
import { openSqliteStore } from '../../server/store/sqlite/index.ts';
import { receivableAccountId } from '../../server/store/wallet-input.ts';
import type { Store, WalletApplyOptions, WalletOp, WalletOutcome } from '../../server/store/types.ts';
import { playerAccountId, WalletService } from '../../server/wallet/service.ts';
import { moveEventMoney } from '../../rooms/market/money.ts';
import type { Correction, SportsEvent } from '../../actors/sportsbook/index.ts';
import { makeTempDir } from '../store/tmpdir.ts';

const temp = makeTempDir('market-money');
after(() => temp.cleanup());

const correction = (betId: string, playerId: string, deltaMinor: number): Correction => ({
  betId, playerId, stakeMinor: 1_000, previousOutcome: deltaMinor < 0 ? 'won' : 'lost', outcome: deltaMinor < 0 ? 'lost' : 'won',
  previousPayoutMinor: deltaMinor < 0 ? -deltaMinor : 0, payoutMinor: deltaMinor < 0 ? 0 : deltaMinor, deltaMinor,
});

const resettled = (corrections: Correction[]): SportsEvent => ({
  type: 'MarketResettled', marketId: '1x2', previous: { kind: 'winner', selectionId: 'away' }, result: { kind: 'winner', selectionId: 'home' },
  reason: 'corrected', by: 'op', corrections, at: 1,
} as unknown as SportsEvent);

/** A wallet that lets a test act just before the clawback reaches the ledger (a bet placed meanwhile). */
class InterposingWallet extends WalletService {
  before: ((ops: WalletOp[]) => Promise<void>) | null = null;
  override async apply(ops: WalletOp[], opts?: WalletApplyOptions): Promise<WalletOutcome[]> {
    const hook = this.before;
    if (hook && ops.some((op) => op.key.includes(':resettle:'))) {
      this.before = null;
      await hook(ops);
    }
    return super.apply(ops, opts);
  }
}

describe('market money: re-settlement clawbacks', () => {
  let store: Store;
  let wallet: InterposingWallet;

  beforeEach(async () => {
    store = await openSqliteStore({ path: temp.file('money') });
    wallet = new InterposingWallet(store.wallet, 'EUR');
    await wallet.bootstrap({ houseFloatMinor: 10_000_000, promotionsBudgetMinor: 10_000_000 });
  });
  afterEach(async () => {
    const books = await store.wallet.reconcile();
    await store.close();
    expect(books.ok, JSON.stringify(books)).to.equal(true);
  });

  it('takes what is available when a bet lands between deciding and moving the clawback, and records the rest as debt', async () => {
    await wallet.openPlayerAccount('p1', 500);
    wallet.before = async () => {
      const [bet] = await store.wallet.apply([{ type: 'reserve', key: 'other-table:bet:1', accountId: playerAccountId('p1'), amountMinor: 400 }]);
      expect(bet!.ok).to.equal(true);
    };
    const e = resettled([correction('b1', 'p1', -1_000)]);
    const debts = await moveEventMoney(wallet, 'ev1', [e], null);
    expect(debts.get(e)).to.deep.equal([{ playerId: 'p1', clawbackMinor: 1_000, takenMinor: 100, debtMinor: 900 }]);
    expect((await wallet.view('p1')).availableMinor).to.equal(0);
    expect((await store.wallet.getAccount(receivableAccountId(playerAccountId('p1'))))!.balanceMinor).to.equal(900);
    // Re-driving it (a rebuilt room) is a replay: nothing more is taken or owed.
    await moveEventMoney(wallet, 'ev1', [e], null);
    expect((await store.wallet.getAccount(receivableAccountId(playerAccountId('p1'))))!.balanceMinor).to.equal(900);
    await store.wallet.apply([{ type: 'release', key: 'other-table:bet:1:release', holdId: 'other-table:bet:1' }]);
  });

  it('nets a player\'s corrections before taking anything (owed 26,100, due 1,000, 500 available: 24,600 debt)', async () => {
    await wallet.openPlayerAccount('p2', 500);
    const e = resettled([correction('b1', 'p2', -26_100), correction('b2', 'p2', 1_000)]);
    const debts = await moveEventMoney(wallet, 'ev2', [e], null);
    expect(debts.get(e)).to.deep.equal([{ playerId: 'p2', clawbackMinor: 25_100, takenMinor: 500, debtMinor: 24_600 }]);
    expect((await store.wallet.getAccount(receivableAccountId(playerAccountId('p2'))))!.balanceMinor).to.equal(24_600);
  });

  it('does not move again, on a rebuild, a re-settlement an earlier version moved with per-bet keys', async () => {
    await wallet.openPlayerAccount('p4', 1_000);
    // What the earlier version wrote for this re-settlement (one transfer per bet).
    const [old] = await wallet.apply([{ type: 'transfer', key: 'market:ev4:bet:b1:resettle:1x2:1', fromAccountId: 'sys:house', toAccountId: playerAccountId('p4'), amountMinor: 300, kind: 'adjustment' }]);
    expect(old!.ok).to.equal(true);
    await moveEventMoney(wallet, 'ev4', [resettled([correction('b1', 'p4', 300)])], null, undefined, true);
    expect((await wallet.view('p4')).balanceMinor).to.equal(1_300);
  });

  it('pays a player\'s debt down first from a later credit', async () => {
    await wallet.openPlayerAccount('p3', 0);
    await moveEventMoney(wallet, 'ev3', [resettled([correction('b1', 'p3', -700)])], null);
    const [credit] = await wallet.apply([{ type: 'transfer', key: 'ev3:payout:x', fromAccountId: 'sys:house', toAccountId: playerAccountId('p3'), amountMinor: 1_000, kind: 'payout' }]);
    expect(credit!.ok).to.equal(true);
    expect((await wallet.view('p3')).balanceMinor).to.equal(300);
    expect((await store.wallet.getAccount(receivableAccountId(playerAccountId('p3'))))!.balanceMinor).to.equal(0);
  });
});
