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

/**
 * A room's connections by player (a player may have several tabs open), so a private message is
 * sent without scanning every client of the room. Keyed by session id: a reconnection replaces its
 * client object under the same session.
 */
export class PlayerConnections {
  private readonly byUser = new Map<string, Map<string, Client>>();

  add(userId: string, client: Client): void {
    let sessions = this.byUser.get(userId);
    if (!sessions) this.byUser.set(userId, (sessions = new Map()));
    sessions.set(client.sessionId, client);
  }

  remove(userId: string, client: Client): void {
    const sessions = this.byUser.get(userId);
    if (!sessions) return;
    sessions.delete(client.sessionId);
    if (sessions.size === 0) this.byUser.delete(userId);
  }

  /** Distinct players with at least one connection (or seat held for reconnection). */
  get playerCount(): number {
    return this.byUser.size;
  }

  send(userId: string, type: string, payload: unknown): void {
    for (const c of this.byUser.get(userId)?.values() ?? []) c.send(type, payload);
  }
}
