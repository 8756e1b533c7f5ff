/**
 * The in-process feed source (embedded default): per-event pub/sub with a bounded history, so a
 * room created or rebuilt after messages were published replays them (the actor drops the ones
 * it already applied).
 */
import type { FeedSource } from './types.ts';

export class FeedHub implements FeedSource {
  private readonly history = new Map<string, unknown[]>();
  private readonly listeners = new Map<string, Set<(raw: unknown) => void>>();

  constructor(
    private readonly maxPerEvent = 5_000,
    private readonly maxEvents = 1_000,
  ) {}

  subscribe(eventId: string, onMessage: (raw: unknown) => void): () => void {
    let set = this.listeners.get(eventId);
    if (!set) this.listeners.set(eventId, (set = new Set()));
    set.add(onMessage);
    for (const raw of this.history.get(eventId) ?? []) onMessage(raw);
    return () => {
      set!.delete(onMessage);
      if (set!.size === 0) this.listeners.delete(eventId);
    };
  }

  async publish(eventId: string, raw: unknown): Promise<void> {
    let list = this.history.get(eventId);
    if (!list) {
      if (this.history.size >= this.maxEvents) this.history.delete(this.history.keys().next().value as string);
      this.history.set(eventId, (list = []));
    }
    list.push(raw);
    if (list.length > this.maxPerEvent) list.splice(0, list.length - this.maxPerEvent);
    for (const listener of this.listeners.get(eventId) ?? []) listener(raw);
  }

  /** Drops an event's history once its room is gone for good. */
  forget(eventId: string): void {
    this.history.delete(eventId);
  }

  async close(): Promise<void> {
    this.listeners.clear();
    this.history.clear();
  }
}
