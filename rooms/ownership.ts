/**
 * What rooms share about cluster ownership: the journal record a new owner writes first (it
 * carries the owner's fencing token, so the store refuses the previous owner from then on), and
 * the close code sent to clients when a room moves to another process.
 */
import { StoreError, type JournalEvent, type JournalStore, type RoomFence } from '../server/store/types.ts';

/** Journal record type written by each new owner; replay skips it. */
export const OWNERSHIP_TAKEN = 'OwnershipTaken';

/** Close code for "this room moved to another process: re-join it by its id" (4000–4999 are application codes). */
export const ROOM_MOVED_CODE = 4100;

export function ownershipRecord(fence: number, owner: string, at: number): JournalEvent {
  return { type: OWNERSHIP_TAKEN, data: { fence, owner, at } };
}

/**
 * A new owner's first write: its fence, recorded in the room's journal before the journal is
 * read. From then on the store refuses every journal append and wallet call of an older owner,
 * so what the new owner replays is final and no money can move behind it.
 * Returns the journal's last sequence number (the claim's own record).
 */
export async function claimOwnership(journal: JournalStore, roomId: string, fence: number, owner: string, at: number): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    const last = await journal.lastSeq(roomId);
    try {
      await journal.append(roomId, last + 1, [ownershipRecord(fence, owner, at)], { fence });
      return last + 1;
    } catch (err) {
      // The old owner appended meanwhile (it still could): read again and retry.
      if (!(err instanceof StoreError && err.code === 'journal/seq_conflict') || attempt >= 20) throw err;
    }
  }
}

/** Whether an error means another process owns the room now (the store saw a higher fence). */
export function isStaleOwnership(err: unknown): boolean {
  return err instanceof StoreError && (err.code === 'journal/stale_fence' || err.code === 'wallet/stale_fence');
}

/** The wallet-call fence of a room owned under `fence` (undefined on one process). */
export function roomFence(roomId: string, fence: number | undefined): RoomFence | undefined {
  return fence === undefined ? undefined : { roomId, fence };
}

export async function waitUntil(done: () => boolean, timeoutMs: number, stepMs = 100): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() >= deadline) return false;
    await new Promise((r) => setTimeout(r, stepMs));
  }
  return true;
}
