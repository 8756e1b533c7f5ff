/**
 * An immutable string-keyed map split into a fixed number of plain-object shards, so an update
 * copies one shard (≈ n/256 entries) instead of the whole map: bets and per-player totals grow
 * with the event, and copying them whole on every bet made placement O(n). Plain arrays and
 * objects only, so states stay JSON-serialisable and deep-comparable.
 */

export const SHARD_COUNT = 256;

export type Sharded<T> = ReadonlyArray<Readonly<Record<string, T>>>;

export function emptySharded<T>(): Sharded<T> {
  return Array.from({ length: SHARD_COUNT }, () => ({}));
}

/** FNV-1a of the key, modulo the shard count. */
export function shardOf(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % SHARD_COUNT;
}

export function getIn<T>(map: Sharded<T>, key: string): T | undefined {
  const shard = map[shardOf(key)];
  return Object.hasOwn(shard, key) ? shard[key] : undefined;
}

/** Sets (value) or deletes (undefined) several keys, copying each touched shard once. */
export function updateIn<T>(map: Sharded<T>, entries: ReadonlyArray<readonly [string, T | undefined]>): Sharded<T> {
  if (entries.length === 0) return map;
  const next = [...map];
  const copied = new Set<number>();
  for (const [key, value] of entries) {
    const index = shardOf(key);
    if (!copied.has(index)) {
      next[index] = { ...next[index] };
      copied.add(index);
    }
    const shard = next[index] as Record<string, T>;
    if (value === undefined) delete shard[key];
    // `shard.__proto__ = v` would set the shard's prototype instead of a key: that one is defined.
    else if (key === '__proto__') Object.defineProperty(shard, key, { value, writable: true, enumerable: true, configurable: true });
    else shard[key] = value;
  }
  return next;
}

export function setIn<T>(map: Sharded<T>, key: string, value: T | undefined): Sharded<T> {
  return updateIn(map, [[key, value]]);
}

/** Every value, shard by shard (a deterministic order). */
export function valuesOf<T>(map: Sharded<T>): T[] {
  const out: T[] = [];
  for (const shard of map) for (const key of Object.keys(shard)) out.push(shard[key]!);
  return out;
}
