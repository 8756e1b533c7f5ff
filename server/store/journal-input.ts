/**
 * Journal input checks shared by every adapter: the same bounds and the same typed errors, and
 * events serialised before any I/O so a bad event is refused with nothing written.
 */
import { StoreError, type JournalEvent } from './types.ts';

export const MAX_EVENTS_PER_APPEND = 1_000;
export const MAX_EVENT_DATA_BYTES = 64 * 1024;
export const MAX_READ_LIMIT = 10_000;
export const MAX_ROOM_ID_LENGTH = 200;
export const MAX_TYPE_LENGTH = 100;

export function invalid(message: string): never {
  throw new StoreError('store/invalid_argument', message);
}

export function checkRoomId(roomId: string): void {
  if (typeof roomId !== 'string' || roomId.length === 0 || roomId.length > MAX_ROOM_ID_LENGTH) invalid('invalid room id');
}

export function checkNonNegativeInteger(value: unknown, name: string): void {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) invalid(`${name} must be a non-negative integer`);
}

/** Serialises before queueing, so a bad event is refused without touching the batch. */
export interface EncodedEvent {
  type: string;
  json: string;
}

export function encodeEvents(events: JournalEvent[]): EncodedEvent[] {
  if (!Array.isArray(events) || events.length === 0) invalid('append needs at least one event');
  if (events.length > MAX_EVENTS_PER_APPEND) {
    throw new StoreError('journal/too_large', `${events.length} events exceed ${MAX_EVENTS_PER_APPEND} per append`);
  }
  return events.map((event) => {
    if (typeof event.type !== 'string' || event.type.length === 0 || event.type.length > MAX_TYPE_LENGTH) {
      invalid(`event type must be a string of 1..${MAX_TYPE_LENGTH} characters`);
    }
    let json: string | undefined;
    try {
      json = JSON.stringify(event.data ?? null);
    } catch (error) {
      invalid(`event ${event.type} data is not serialisable: ${(error as Error).message}`);
    }
    if (json === undefined) invalid(`event ${event.type} data is not serialisable`);
    if (Buffer.byteLength(json) > MAX_EVENT_DATA_BYTES) {
      throw new StoreError('journal/too_large', `event ${event.type} data exceeds ${MAX_EVENT_DATA_BYTES} bytes`);
    }
    return { type: event.type, json };
  });
}

