import type { Client, Room } from '@colyseus/core';

/**
 * Keeps a dropped player's seat for the grace period so the SDK can reconnect. Bets belong to the
 * player, not the connection: they stand whether or not the player returns.
 */
export async function holdSeat(room: Room, client: Client, graceSeconds: number): Promise<void> {
  if (graceSeconds <= 0) return;
  try {
    await room.allowReconnection(client, graceSeconds);
  } catch {
    // the grace period ran out, or the room is shutting down: the player has left
  }
}

/** Sends to every connection of one player (a player may have several tabs open). */
export function sendToPlayer(room: Room, userId: string, type: string, payload: unknown): void {
  for (const c of room.clients) if ((c.userData as { userId?: string } | undefined)?.userId === userId) c.send(type, payload);
}
