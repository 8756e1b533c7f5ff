/**
 * Where live-event rooms get their feed. A source delivers raw feed messages (unvalidated JSON
 * values) for one event; the room validates each one at its edge and the event actor sequences
 * them (duplicates ignored, gaps handled: docs/SPORTSBOOK.md). Sources may redeliver: on
 * subscribe they replay what they still hold, so a rebuilt room catches up.
 */
export interface FeedSource {
  subscribe(eventId: string, onMessage: (raw: unknown) => void): () => void;
  /** Ingests a message from a producer (simulator, HTTP ingest). */
  publish(eventId: string, raw: unknown): Promise<void>;
  close(): Promise<void>;
}
