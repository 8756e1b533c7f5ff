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
import { holdReleaseOp } from './money-keys.ts';
import { bonusHoldId } from '../server/store/wallet-input.ts';

const PAGE = 1000;

/**
 * Every open stake under `prefix`, by its stake hold id, in id order. A stake's bonus-funded part
 * is a companion hold `<stake hold>#bonus` (docs/PROMOTIONS.md §2.1) that the ledger resolves with
 * the stake, so it is listed as its stake (a stake paid with bonus money only has no other hold).
 */
export async function openHoldIds(wallet: WalletStore, prefix: string): Promise<string[]> {
  const ids = new Set<string>();
  for (let after: string | undefined; ; ) {
    const page = await wallet.listOpenHolds({ prefix, limit: PAGE, ...(after === undefined ? {} : { after }) });
    for (const h of page) ids.add(h.id.endsWith(BONUS_SUFFIX) ? h.id.slice(0, -BONUS_SUFFIX.length) : h.id);
    if (page.length < PAGE) return [...ids].sort();
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
  for (const id of await openHoldIds(o.wallet, o.prefix)) {
    if (o.isLive(id)) continue;
    const recorded = o.resolutions.get(id);
    if (recorded) completed++;
    else released++;
    groups.push(recorded ?? [holdReleaseOp(id)]);
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
