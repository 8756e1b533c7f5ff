/** Bets with a stake: what a game gives the host to fund one, and what the wallet's answer means. */
import type { Decision } from '../../actors/decision.ts';
import type { WalletOp, WalletOutcome } from '../../server/store/types.ts';
import { fail, type Reply } from '../messages.ts';

/** A funded command: the stake is reserved, then the command decided again, then journaled. */
export interface FundedCommand<E> {
  /** The bet id: one placement of it in flight at a time. */
  betId: string;
  /** Decides the command at `now` on the room's current state. */
  decide: (now: number) => Decision<E>;
  /**
   * Reserves the stake (a hold keyed by the bet). Several ops (a free bet: release its token, then
   * reserve) are applied as one atomic call; the last one is the stake's reserve.
   */
  reserve: WalletOp | WalletOp[];
  /** Releases it again when the second decision refuses (several ops: one atomic call). */
  release: WalletOp | WalletOp[];
}

/** The refusal a stake's funding outcomes mean, or null when they fund the bet (the reserve left an open hold). */
export function fundingRefusal(outcomes: readonly WalletOutcome[], noun: string): Reply<never> | null {
  // An atomic call reports the op that failed with its own code, the others as wallet/aborted.
  const refused = outcomes.find((o) => !o.ok && o.code !== 'wallet/aborted');
  if (refused && !refused.ok) return fail(refused.code, refused.message);
  const reserved = outcomes[outcomes.length - 1];
  if (!reserved || !reserved.ok) return fail(reserved?.code ?? 'wallet/aborted', reserved?.message ?? 'not funded');
  if (reserved.hold?.status !== 'open') return fail('bet/duplicate', `this bet id was used before at this ${noun}`);
  return null;
}
