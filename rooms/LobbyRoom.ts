import { LobbyRoom as ColyseusLobbyRoom, type AuthContext, type Client } from '@colyseus/core';
import { authenticate } from './auth.ts';

/**
 * `lobby`: Colyseus' realtime room listing (tables and live events defined with
 * `enableRealtimeListing()`), behind the same token check as every other room.
 */
export class LobbyRoom extends ColyseusLobbyRoom {
  async onAuth(_client: Client, _options: unknown, context: AuthContext) {
    return authenticate(context);
  }
}
