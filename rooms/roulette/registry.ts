/**
 * Tables are created by the server only (one room per configured table id), never by a client's
 * create/joinOrCreate: the server announces a table id here just before creating its room, and
 * the room claims the announcement once.
 */
const announced = new Set<string>();

export function announceTable(tableId: string): void {
  announced.add(tableId);
}

export function claimTable(tableId: unknown): boolean {
  return typeof tableId === 'string' && announced.delete(tableId);
}
