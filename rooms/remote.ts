/**
 * Typed calls of a room's public methods from HTTP routes: the room may live on another process
 * (Colyseus `remoteRoomCall` goes through presence), so the arguments must be plain data. The
 * method's parameter and result types are the room class's own.
 */
import { matchMaker, type Room } from '@colyseus/core';

type Method<R> = { [K in keyof R]: R[K] extends (...args: any[]) => unknown ? K : never }[keyof R] & string;

export function callRoom<R extends Room, M extends Method<R>>(
  roomId: string,
  method: M,
  ...args: R[M] extends (...a: infer A) => unknown ? A : never
): Promise<R[M] extends (...a: any[]) => infer T ? Awaited<T> : never> {
  return matchMaker.remoteRoomCall<R, M>(roomId, method, args) as never;
}
