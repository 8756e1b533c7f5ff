/**
 * Matchmaking listings of leased rooms (Redis driver: one hash entry per room id, shared by the
 * cluster). A room instance that lost its lease must not touch the listing any more: the new owner
 * on another process has published its own under the same id, and the old instance's lock,
 * client-count updates and final removal on dispose would overwrite or delete it (joins then fail
 * with "room not found" and the lobby stops listing the room). The guard drops those writes for
 * rooms this process no longer owns; each owner also re-publishes its listings when they are
 * missing or name another process (RoomOwnership.verifyListings), which heals any race left.
 */
import { matchMaker, type MatchMakerDriver } from '@colyseus/core';

export class ListingGuard {
  private readonly blocked = new Set<string>();

  /** This process no longer owns the room: its instance here writes no listing any more. */
  block(roomId: string): void {
    this.blocked.add(roomId);
    if (this.blocked.size > 10_000) this.blocked.delete(this.blocked.values().next().value!);
  }

  /** This process builds the room again. */
  unblock(roomId: string): void {
    this.blocked.delete(roomId);
  }

  isBlocked(roomId: string): boolean {
    return this.blocked.has(roomId);
  }

  /** The driver with listing writes of blocked rooms dropped. */
  wrap<T extends MatchMakerDriver>(driver: T): T {
    const guard = this;
    return new Proxy(driver, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver);
        if (typeof value !== 'function') return value;
        if (prop === 'update' || prop === 'persist') {
          return (room: { roomId?: string }, ...rest: unknown[]) => (room?.roomId !== undefined && guard.isBlocked(room.roomId) ? Promise.resolve(false) : value.call(target, room, ...rest));
        }
        if (prop === 'remove') {
          return (roomId: string) => (guard.isBlocked(roomId) ? Promise.resolve(false) : value.call(target, roomId));
        }
        return value.bind(target);
      },
    });
  }
}

/** Re-publishes the listings of these local rooms where the driver has none or another process's. */
export async function republishListings(roomIds: string[], skip: (roomId: string) => boolean): Promise<string[]> {
  const listed = await matchMaker.driver.findByIds(roomIds);
  const fixed: string[] = [];
  for (const roomId of roomIds) {
    const room = matchMaker.getLocalRoomById(roomId) as unknown as { _listing?: { roomId: string; processId?: string } } | undefined;
    const listing = room?._listing;
    if (!listing || skip(roomId)) continue;
    const current = listed.get(roomId);
    if (current && current.processId === matchMaker.processId) continue;
    await matchMaker.driver.persist(listing as never);
    fixed.push(roomId);
  }
  return fixed;
}
