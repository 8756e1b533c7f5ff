/**
 * Room ids, one space per room kind. Colyseus keeps every room of a process under its id, and
 * each room's journal is stored under it too, so an event may never take a table's or the lobby's
 * id (a later `ROULETTE_TABLES` rise would then open a table on an event's journal), nor a name an
 * object inherits (`constructor`, `__proto__`, `toString`…), which plain-object look-ups by id
 * resolve to something that is not a room.
 *
 * | kind | ids |
 * |---|---|
 * | table | `roulette-<n>`, `blackjack-<n>` (the `roulette` and `blackjack` prefixes, any case, are the tables') |
 * | crash room | `crash-<n>` (the `crash` prefix, any case) |
 * | lobby | `lobby-<processId>` (the `lobby` prefix, any case) |
 * | event | anything else of 1–64 `A–Z a–z 0–9 _ . -`; `sim-<n>` are the demo schedule's |
 */
const RESERVED_PREFIXES = ['roulette', 'blackjack', 'crash', 'lobby'] as const;
const INHERITED = new Set([...Object.getOwnPropertyNames(Object.prototype), 'prototype']);

/** Why `id` may not be an event's id, or null when it may. `operator`: also refuse the demo schedule's `sim-` ids. */
export function reservedEventIdReason(id: string, opts: { operator?: boolean } = {}): string | null {
  const lower = id.toLowerCase();
  for (const prefix of RESERVED_PREFIXES) {
    if (lower.startsWith(prefix)) return `ids starting with "${prefix}" are reserved for ${prefix === 'lobby' ? 'the lobby' : 'casino tables'}`;
  }
  if (INHERITED.has(id)) return `"${id}" is a reserved name`;
  if (opts.operator && lower.startsWith('sim-')) return 'ids starting with "sim-" are reserved for the demo schedule';
  return null;
}

export function lobbyRoomId(processId: string): string {
  return `lobby-${processId}`;
}
