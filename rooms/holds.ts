/**
 * Completing a rebuilt room's money. Stakes are reserved before a bet is journaled, and the money
 * of a decision moves after it is journaled (rooms/journal-writer.ts), so when a room is rebuilt
 * (restart, failover) some of its holds may be open although the journal already resolved them
 * (their settlement, refund or cash-out was journaled, its money not yet moved), and some may
 * belong to bets the journal never recorded. A new owner lists the room's open holds before it
 * replays the journal, collects the recorded resolution of each while replaying, and then:
 * a hold the journal resolved gets exactly that resolution (same idempotency keys: a repeat is a
 * replay); a hold of a live bet stays; any other is released (its bet was never acknowledged).
 */
import type { RoomFence, WalletOp, WalletStore } from '../server/store/types.ts';
import type { Logger } from '../server/logger.ts';
import { BOOST_SUFFIX, holdReleaseOp } from './money-keys.ts';
import { bonusHoldId } from '../server/store/wallet-input.ts';

const PAGE = 1000;

/**
 * Every open stake under `prefix`, by its stake hold id, in id order. A stake's bonus-funded part
 * is a companion hold `<stake hold>#bonus` (docs/PROMOTIONS.md §2.1) that the ledger resolves with
 * the stake, so it is listed as its stake (a stake paid with bonus money only has no other hold).
 */
export async function openHoldIds(wallet: WalletStore, prefix: string): Promise<string[]> {
  return [...(await openStakes(wallet, prefix)).keys()].sort();
}

/**
 * Every open stake under `prefix` with its open companions the ledger does not resolve with it: a
 * profit-boosted bet's boost reserve `<stake hold>#boost` (rooms/market/profit-boost.ts).
 */
async function openStakes(wallet: WalletStore, prefix: string): Promise<Map<string, string[]>> {
  const stakes = new Map<string, string[]>();
  for (let after: string | undefined; ; ) {
    const page = await wallet.listOpenHolds({ prefix, limit: PAGE, ...(after === undefined ? {} : { after }) });
    for (const h of page) {
      const suffix = [BONUS_SUFFIX, BOOST_SUFFIX].find((x) => h.id.endsWith(x));
      const stake = suffix ? h.id.slice(0, -suffix.length) : h.id;
      const companions = stakes.get(stake) ?? [];
      if (suffix === BOOST_SUFFIX) companions.push(h.id);
      stakes.set(stake, companions);
    }
    if (page.length < PAGE) return stakes;
    after = page[page.length - 1]!.id;
  }
}

const BONUS_SUFFIX = bonusHoldId('');

/** What the journal says about holds that were open when the room was rebuilt. */
export class HoldResolutions {
  private readonly ops = new Map<string, WalletOp[]>();
  private readonly open: ReadonlySet<string>;

  constructor(openIds: Iterable<string>) {
    this.open = new Set(openIds);
  }

  /** Records the ops that resolve `holdId` (the latest record wins: a later decision replaces an earlier one). */
  record(holdId: string, ops: () => WalletOp[]): void {
    if (this.open.has(holdId)) this.ops.set(holdId, ops());
  }

  get(holdId: string): WalletOp[] | undefined {
    return this.ops.get(holdId);
  }
}

export interface CompleteHoldsOptions {
  wallet: WalletStore;
  prefix: string;
  isLive: (holdId: string) => boolean;
  resolutions: HoldResolutions;
  fence: RoomFence | undefined;
  log: Logger;
  roomId: string;
}

/** Resolves every open hold of the room that no live bet owns; throws when the wallet refuses a step. */
export async function completeOpenHolds(o: CompleteHoldsOptions): Promise<{ completed: number; released: number }> {
  let completed = 0;
  let released = 0;
  const groups: WalletOp[][] = [];
  const stakes = await openStakes(o.wallet, o.prefix);
  for (const id of [...stakes.keys()].sort()) {
    if (o.isLive(id)) continue;
    const recorded = o.resolutions.get(id);
    if (recorded) completed++;
    else released++;
    // A bet never journaled: its stake and any boost reserve go back (the token is not reissued).
    groups.push(recorded ?? [holdReleaseOp(id), ...stakes.get(id)!.map(holdReleaseOp)]);
  }
  if (groups.length === 0) return { completed, released };
  o.log.info({ roomId: o.roomId, completed, released }, 'completing the money of journaled decisions and releasing stakes of bets never journaled');
  for (let i = 0; i < groups.length; i += 500) {
    const results = await Promise.all(groups.slice(i, i + 500).map((ops) => o.wallet.apply(ops, { atomic: true, bulk: true, fence: o.fence })));
    const bad = results.flat().find((r) => !r.ok);
    if (bad && !bad.ok) throw new Error(`room ${o.roomId}: wallet refused to complete an open hold: ${bad.code} ${bad.message}`);
  }
  return { completed, released };
}
