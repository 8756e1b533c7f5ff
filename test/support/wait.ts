import type { Room } from '@colyseus/sdk';

/** Resolves when `predicate(room.state)` holds (checked on every state change), or rejects after `ms`. */
export function waitForState<S = any>(room: Room<any, S>, predicate: (s: S) => boolean, ms = 10_000, what = 'state'): Promise<S> {
  return new Promise((resolve, reject) => {
    if (room.state && predicate(room.state)) return resolve(room.state);
    const timer = setTimeout(() => {
      room.onStateChange.remove(check);
      reject(new Error(`timed out after ${ms} ms waiting for ${what}`));
    }, ms);
    const check = (s: S) => {
      if (predicate(s)) {
        clearTimeout(timer);
        room.onStateChange.remove(check);
        resolve(s);
      }
    };
    room.onStateChange(check);
  });
}

/** Resolves with the next message of `type` that satisfies `predicate`. */
export function waitForMessage<T = any>(room: Room, type: string, predicate: (m: T) => boolean = () => true, ms = 10_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`timed out after ${ms} ms waiting for message ${type}`));
    }, ms);
    const off = room.onMessage(type, (m: T) => {
      if (!predicate(m)) return;
      clearTimeout(timer);
      off();
      resolve(m);
    });
  });
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Resolves with the first truthy value of `check` (polled every 25 ms), or rejects after `ms`. */
export async function until<T>(check: () => Promise<T | null | undefined | false>, ms = 10_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(25);
  }
}
