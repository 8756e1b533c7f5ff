/** Table choice through the `lobby` room, as a player's client does it. */
import type { Client } from '@colyseus/sdk';
import { pick, type Rng } from './random.ts';
import { JOIN_TIMEOUT_MS, bounded } from './context.ts';

interface Listing {
  roomId: string;
  name: string;
  clients: number;
  maxClients: number;
}

/** Joins the lobby, takes the first listing and leaves; resolves with the roulette tables that have room. */
export async function lobbyTables(client: Client, timeoutMs = 5000): Promise<Listing[]> {
  return lobbyRooms(client, 'roulette', timeoutMs);
}

/** Rooms of one kind (`roulette`, `market`) with a free seat, from the lobby's first listing. */
export async function lobbyRooms(client: Client, name: string, timeoutMs = 5000): Promise<Listing[]> {
  const lobby = await bounded(client.joinOrCreate('lobby'), JOIN_TIMEOUT_MS, 'lobby join');
  try {
    const rooms = await new Promise<Listing[]>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('lobby listing timed out')), timeoutMs);
      lobby.onMessage('rooms', (list: Listing[]) => (clearTimeout(t), resolve(list)));
      lobby.onMessage('+', () => undefined);
      lobby.onMessage('-', () => undefined);
    });
    return rooms.filter((r) => r.name === name && r.clients < r.maxClients);
  } finally {
    await lobby.leave(true).catch(() => undefined);
  }
}

/** A random table with a free seat, favouring quieter tables a little (players avoid full ones). */
export function chooseTable(rng: Rng, tables: Listing[]): string {
  if (tables.length === 0) throw Object.assign(new Error('no roulette table with a free seat'), { code: 'lobby/no_table' });
  const quiet = [...tables].sort((a, b) => a.clients - b.clients).slice(0, Math.max(1, Math.ceil(tables.length / 2)));
  return pick(rng, rng() < 0.7 ? quiet : tables).roomId;
}
