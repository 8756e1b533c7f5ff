/** The roulette tables and live events a target serves, as its lobby lists them. */
import { Client } from '@colyseus/sdk';
import { lobbyRooms, lobbyTables } from '../bots/lobby.ts';

export async function discoverTables(httpUrl: string, token: string): Promise<string[]> {
  const client = new Client(httpUrl);
  client.auth.token = token;
  const tables = await lobbyTables(client);
  if (tables.length === 0) throw new Error(`${httpUrl} lists no roulette table with a free seat (is ROULETTE_TABLES > 0?)`);
  return tables.map((t) => t.roomId).sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
}

/** Open live events (market rooms); empty when the target runs none. */
export async function discoverEvents(httpUrl: string, token: string): Promise<string[]> {
  const client = new Client(httpUrl);
  client.auth.token = token;
  return (await lobbyRooms(client, 'market')).map((r) => r.roomId).sort();
}
