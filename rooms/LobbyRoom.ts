import { LobbyRoom as ColyseusLobbyRoom, ServerError, type AuthContext, type Client } from '@colyseus/core';
import { z } from 'zod';
import { describeIssues } from '../server/errors.ts';
import { authenticateSeat } from './auth.ts';
import { roomServices } from './context.ts';
import { MessageGuard, fail, invalidText } from './messages.ts';
import { claimRoom } from './registry.ts';
import { toWellFormedText } from '../server/text.ts';

export interface LobbyCreateOptions {
  lobbyId: string;
}

/** A full listing per `filter` message is the lobby's one expensive reply: at most this many a second per client (bursts of twice that). */
export const LOBBY_FILTERS_PER_SECOND = 2;

const filterSchema = z.object({
  name: z.string().max(64).optional(),
  metadata: z.record(z.string().max(64), z.union([z.string().max(128), z.number(), z.boolean(), z.null()])).refine((m) => Object.keys(m).length <= 16, 'at most 16 fields').optional(),
}).strict();

type FilterHandler = (client: Client, filter: unknown) => void;

/**
 * `lobby`: Colyseus' realtime room listing (tables and live events defined with
 * `enableRealtimeListing()`), behind the same token check as every other room. One per process,
 * created by the server at start (server/app.ts) with the id `lobby-<processId>`; clients join it
 * (`joinOrCreate('lobby')` only ever joins) and cannot create more. Its one message, `filter`,
 * is validated and rate limited: each answer is a full listing.
 */
export class LobbyRoom extends ColyseusLobbyRoom {
  private filterGuard: MessageGuard | null = null;
  private messageGuard: MessageGuard | null = null;

  static async onAuth(token: string, _options: unknown, context: AuthContext) {
    return authenticateSeat(token, context);
  }

  async onCreate(options: LobbyCreateOptions) {
    if (!claimRoom('lobby', options?.lobbyId)) throw new ServerError(403, 'matchmake/create_forbidden: clients cannot create rooms; join the lobby with joinOrCreate("lobby")');
    const { config, now } = roomServices();
    this.roomId = options.lobbyId;
    this.autoDispose = false; // the process's one lobby: it stays when its last client leaves
    this.maxMessagesPerSecond = config.limits.disconnectMessagesPerSecond;
    this.seatReservationTimeout = config.abuse.seatReservationSeconds;
    this.filterGuard = new MessageGuard(Math.min(LOBBY_FILTERS_PER_SECOND, config.limits.messagesPerSecond), now);
    this.messageGuard = new MessageGuard(config.limits.messagesPerSecond, now);
    await super.onCreate(options);
    this.onMessage('*', (client: Client, type: string | number) => {
      if (!this.messageGuard!.allow(client)) return;
      client.send('error', fail('msg/unknown_type', `this room has no message "${toWellFormedText(String(type).slice(0, 40))}"`));
    });
  }

  /** Wraps the base class's `filter` handler (registered in its onCreate) with validation and a rate limit. */
  override onMessage(type: any, ...rest: any[]): any {
    if (type === 'filter' && typeof rest[0] === 'function' && rest.length === 1) {
      const listing = rest[0] as FilterHandler;
      return super.onMessage('filter', (client: Client, filter: unknown) => this.filter(client, filter, listing));
    }
    return (super.onMessage as (...args: any[]) => any)(type, ...rest);
  }

  private filter(client: Client, raw: unknown, listing: FilterHandler): void {
    if (!this.filterGuard!.allow(client)) return void client.send('error', fail('msg/rate_limited', `at most ${LOBBY_FILTERS_PER_SECOND} filter messages a second; slow down`));
    const text = invalidText(raw);
    if (text) return void client.send('error', text);
    const parsed = filterSchema.safeParse(raw ?? {});
    if (!parsed.success) return void client.send('error', fail('msg/invalid', describeIssues(parsed.error.issues)));
    listing(client, parsed.data);
  }
}
