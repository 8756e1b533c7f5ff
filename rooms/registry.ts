/**
 * Tables and live events are created by the server only (one room per id), never by a client's
 * create/joinOrCreate: the server announces an id here just before creating its room, and the
 * room claims the announcement once.
 */
const announced = new Set<string>();

export function announceRoom(kind: string, id: string): void {
  announced.add(`${kind}:${id}`);
}

export function claimRoom(kind: string, id: unknown): boolean {
  return typeof id === 'string' && announced.delete(`${kind}:${id}`);
}
