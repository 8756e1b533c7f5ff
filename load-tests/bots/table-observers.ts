/**
 * One decoding connection per table per bot process, shared by the lean bettors at that table
 * that do not decode state themselves: they learn from it when betting opens and closes. This
 * is what keeps a bot process from spending its CPU decoding the same patches a thousand times.
 */
import type { Recorder } from '../metrics/recorder.ts';
import { joinTable, type TableLink } from './table-link.ts';

const observers = new Map<string, Promise<TableLink>>();

export function sharedObserver(httpUrl: string, tableId: string, token: string, recorder: Recorder): Promise<TableLink> {
  let link = observers.get(tableId);
  if (!link) {
    link = joinTable({
      httpUrl, token, tableId, client: 'lean', decode: true, recorder,
      events: { onLost: () => observers.delete(tableId) },
    });
    link.catch(() => observers.delete(tableId));
    observers.set(tableId, link);
  }
  return link;
}

/** Leaves every observer (end of the run). */
export async function leaveObservers(): Promise<void> {
  const links = await Promise.allSettled([...observers.values()]);
  observers.clear();
  await Promise.all(links.map((l) => (l.status === 'fulfilled' ? l.value.leave().catch(() => undefined) : undefined)));
}
