/**
 * What rooms share about cluster ownership: the journal record a new owner writes first (it
 * carries the owner's fencing token, so the store refuses the previous owner from then on), and
 * the close code sent to clients when a room moves to another process.
 */
import type { JournalEvent } from '../server/store/types.ts';

/** Journal record type written by each new owner; replay skips it. */
export const OWNERSHIP_TAKEN = 'OwnershipTaken';

/** Close code for "this room moved to another process: re-join it by its id" (4000–4999 are application codes). */
export const ROOM_MOVED_CODE = 4100;

export function ownershipRecord(fence: number, owner: string, at: number): JournalEvent {
  return { type: OWNERSHIP_TAKEN, data: { fence, owner, at } };
}

export async function waitUntil(done: () => boolean, timeoutMs: number, stepMs = 100): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() >= deadline) return false;
    await new Promise((r) => setTimeout(r, stepMs));
  }
  return true;
}
