/**
 * The public room protocol shared by the server (rooms/), the browser apps (web/) and the load
 * bots (load-tests/): every room message's payload schema (zod) and reply type, and the private
 * views the rooms push. Imports only zod and the actors' types (test/layers.test.ts).
 *
 * Every handler answers with a Reply: `room.request(type, msg)` resolves with it; a plain
 * `room.send(type, msg)` gets it back as a `"<type>:result"` message (docs/PROTOCOL.md).
 */

export interface ErrorBody {
  /** Namespaced code, e.g. `bet/below_min` (docs/ERRORS.md). */
  code: string;
  message: string;
  details?: Record<string, unknown>;
}

export type Reply<T extends object = Record<string, unknown>> = ({ ok: true } & T) | { ok: false; error: ErrorBody };

/** A player's wallet as every room's `me` view carries it (minor units). */
export interface WalletView {
  currency: string;
  /** Balance including held stakes. */
  balanceMinor: number;
  /** Stakes reserved for open bets. */
  heldMinor: number;
  /** What can be staked now. */
  availableMinor: number;
}

/** A room's messages: each type's request payload and reply. */
export type MessageTypes = Record<string, { request: unknown; reply: Reply<any> }>;
