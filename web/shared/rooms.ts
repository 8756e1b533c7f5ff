/**
 * Typed room requests: the payload and reply types of each message come from the public protocol
 * (protocol/), the same declarations the server's handlers are checked against. A request that
 * fails on the client side (the connection closed) resolves as a typed refusal too, so a view
 * handles one shape.
 */
import type { Room } from '@colyseus/sdk';
import type { ErrorBody } from '../../protocol/common.ts';
import { describeError } from './api.ts';

type Messages<M> = { [K in keyof M]: { request: unknown; reply: unknown } };

/** `requests(room)('bet', payload)`: resolves with the room's reply, or `{ ok: false, error: { code: 'client/request_failed' } }`. */
export function requests<M extends Messages<M>>(room: Room) {
  return async <K extends keyof M & string>(type: K, payload: M[K]['request']): Promise<M[K]['reply'] | { ok: false; error: ErrorBody }> => {
    try {
      return (await room.request(type, payload)) as M[K]['reply'];
    } catch (e) {
      return { ok: false, error: { code: 'client/request_failed', message: describeError(e) } };
    }
  };
}
