import { ServerError, type Client, type Room } from '@colyseus/core';
import { roomServices } from './context.ts';
import type { RoomAuth } from './auth.ts';

/** Status of a refused join (the SDK's error `code`), as over HTTP. */
const TOO_MANY = 429;

/**
 * Keeps a dropped player's seat for the grace period so the SDK can reconnect. Bets belong to the
 * player, not the connection: they stand whether or not the player returns.
 *
 * Except after a flood: Colyseus closes a client that sends more than the room's
 * `maxMessagesPerSecond` (CLIENT_DISCONNECT_MESSAGES_PER_SECOND) as a drop, not a leave. Such a
 * client gets no seat to come back to (its reconnection token dies at once, and the socket closes
 * now rather than after the grace period), and the player may not join any room for
 * FLOOD_BAN_SECONDS.
 */
export async function holdSeat(room: Room, client: Client, graceSeconds: number): Promise<void> {
  if (droppedForFlooding(room, client)) {
    const svc = roomServices();
    const userId = (client.auth as RoomAuth | undefined)?.userId;
    svc.log.info({ roomId: room.roomId, userId }, 'client disconnected for flooding; no reconnection');
    if (userId) await svc.limits.block('flood', userId, svc.config.abuse.floodBanSeconds);
    return;
  }
  if (graceSeconds <= 0) return;
  try {
    await room.allowReconnection(client, graceSeconds);
  } catch {
    // the grace period ran out, or the room is shutting down: the player has left
  }
}

/** Colyseus counts each client's messages per second on the client itself, and drops it past the limit. */
function droppedForFlooding(room: Room, client: Client): boolean {
  const counted = (client as unknown as { _numMessagesLastSecond?: number })._numMessagesLastSecond ?? 0;
  return counted > room.maxMessagesPerSecond;
}

/**
 * A room's connections by player (a player may have several tabs open), so a private message is
 * sent without scanning every client of the room. Keyed by session id: a reconnection replaces its
 * client object under the same session. One player holds at most ROOM_CONNECTIONS_PER_PLAYER
 * sessions in a room (a seat held for reconnection counts): `add` refuses one more.
 */
export class PlayerConnections {
  private readonly byUser = new Map<string, Map<string, Client>>();

  /** Throws a ServerError (`room/too_many_connections`, 429) when the player is at the limit. */
  add(userId: string, client: Client): void {
    let sessions = this.byUser.get(userId);
    if (!sessions?.has(client.sessionId)) {
      const max = roomServices().config.abuse.roomConnectionsPerPlayer;
      if ((sessions?.size ?? 0) >= max) {
        throw new ServerError(TOO_MANY, `room/too_many_connections: this player already holds ${max} connections to this room (the most allowed); close one first`);
      }
    }
    if (!sessions) this.byUser.set(userId, (sessions = new Map()));
    sessions.set(client.sessionId, client);
  }

  remove(userId: string, client: Client): void {
    const sessions = this.byUser.get(userId);
    if (!sessions) return;
    sessions.delete(client.sessionId);
    if (sessions.size === 0) this.byUser.delete(userId);
  }

  /** The ids of the players with at least one connection. */
  playerIds(): IterableIterator<string> {
    return this.byUser.keys();
  }

  /** Distinct players with at least one connection (or seat held for reconnection). */
  get playerCount(): number {
    return this.byUser.size;
  }

  send(userId: string, type: string, payload: unknown): void {
    for (const c of this.byUser.get(userId)?.values() ?? []) c.send(type, payload);
  }
}
