/**
 * Runs the rolling schedule of simulated matches for demos (`npm start`): lists each match when
 * its listing time comes (the caller creates its room) and publishes its feed messages to the
 * feed source at their times. Deterministic: the schedule is anchored on the epoch, so every
 * process and every restart agrees on match ids, teams and incidents.
 */
import { matchesInWindow, simulateScheduled, syntheticQuote, type ScheduleOptions, type ScheduledMatch } from './simulator/index.ts';
import type { FeedSource } from './types.ts';

export interface SimulatorDriverOptions {
  schedule: ScheduleOptions;
  feed: FeedSource;
  /** Where synthetic market prices of each match go (the price feed); none when absent. */
  prices?: FeedSource;
  now: () => number;
  /** Called once per match when it is listed. */
  onListed: (match: ScheduledMatch) => Promise<void> | void;
  onError: (err: unknown) => void;
}

const POLL_MS = 1_000;

export class SimulatorDriver {
  private timer: NodeJS.Timeout | null = null;
  private readonly running = new Map<string, { match: ScheduledMatch; next: number; messages: unknown[]; ats: number[]; quotes: Array<{ at: number; seq: number }> }>();
  private readonly listed = new Set<string>();

  constructor(private readonly opts: SimulatorDriverOptions) {}

  start(): void {
    this.step();
  }

  /** Matches listed now or within `aheadMs`, for GET /events. */
  upcoming(aheadMs: number): ScheduledMatch[] {
    const now = this.opts.now();
    return matchesInWindow(this.opts.schedule, now, now + aheadMs).filter((m) => m.endsBy >= now);
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private step(): void {
    const now = this.opts.now();
    try {
      for (const match of matchesInWindow(this.opts.schedule, now, now)) {
        if (this.listed.has(match.eventId) || match.listAt > now) continue;
        this.listed.add(match.eventId);
        const sim = simulateScheduled(this.opts.schedule, match);
        // Two synthetic market quotes before kick-off: at listing and half-way to kick-off.
        const quotes = this.opts.prices ? [{ at: match.listAt, seq: 1 }, { at: Math.floor((match.listAt + match.startsAt) / 2), seq: 2 }] : [];
        this.running.set(match.eventId, { match, next: 0, messages: sim.messages, ats: sim.messages.map((m) => m.at), quotes });
        void Promise.resolve(this.opts.onListed(match)).catch(this.opts.onError);
      }
      let wake = now + POLL_MS;
      for (const [eventId, run] of this.running) {
        while (run.quotes.length > 0 && run.quotes[0].at <= now) {
          const q = run.quotes.shift()!;
          void this.opts.prices!.publish(eventId, syntheticQuote(run.match, q.seq, q.at)).catch(this.opts.onError);
        }
        if (run.quotes.length > 0) wake = Math.min(wake, run.quotes[0].at);
        while (run.next < run.messages.length && run.ats[run.next]! <= now) {
          void this.opts.feed.publish(eventId, run.messages[run.next]).catch(this.opts.onError);
          run.next++;
        }
        if (run.next >= run.messages.length) this.running.delete(eventId);
        else wake = Math.min(wake, run.ats[run.next]!);
      }
      if (this.listed.size > 10_000) this.listed.clear(); // bounded; old ids are long finished
      this.timer = setTimeout(() => this.step(), Math.max(5, wake - this.opts.now()));
    } catch (err) {
      this.opts.onError(err);
      this.timer = setTimeout(() => this.step(), POLL_MS);
    }
  }
}
