/**
 * Removing a player from this process's rooms at once (a time-out or self-exclusion taken on any
 * process: server/protection/bus.ts). Rooms with players register here for their lifetime; the
 * player's connections get a `protection` message with the reason, then are closed with
 * PROTECTION_CLOSE_CODE. Their accepted bets stand and settle (money follows the player's
 * account, not the connection); new joins and stakes are refused elsewhere (rooms/auth.ts, the store).
 */
import type { Client, Room } from '@colyseus/core';

/** Close code for "removed by a player-protection block" (4000–4999 are application codes). */
export const PROTECTION_CLOSE_CODE = 4403;

export interface RemovalReason {
  code: string;
  message: string;
}

const rooms = new Set<Room>();

/** Registers the room; call the returned function when it is disposed. */
export function watchProtection(room: Room): () => void {
  rooms.add(room);
  return () => void rooms.delete(room);
}

function* connectionsOf(userId: string): Generator<Client> {
  for (const room of rooms) {
    for (const client of [...room.clients] as Client[]) {
      if ((client.userData as { userId?: string } | undefined)?.userId === userId) yield client;
    }
  }
}

/** Closes every connection of the player in this process's rooms; returns how many. */
export function removePlayerHere(userId: string, reason: RemovalReason): number {
  let removed = 0;
  for (const client of connectionsOf(userId)) {
    client.send('protection', reason);
    client.leave(PROTECTION_CLOSE_CODE, reason.code);
    removed++;
  }
  return removed;
}

/** Sends a message to every connection of the player in this process's rooms; returns how many. */
export function sendToPlayerHere(userId: string, type: string, payload: unknown): number {
  let sent = 0;
  for (const client of connectionsOf(userId)) {
    client.send(type, payload);
    sent++;
  }
  return sent;
}

export function isConnectedHere(userId: string): boolean {
  return !connectionsOf(userId).next().done;
}
