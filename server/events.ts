/**
 * Live events as a service: opens an event's room (from the demo schedule, an operator, or a
 * restart), lists events for GET /events, and forwards operator commands to the event's room
 * (through the matchmaker, so the room may live on another process).
 */
import { matchMaker } from '@colyseus/core';
import type { ScheduledMatch } from './feed/simulator/index.ts';
import { AppError } from './errors.ts';
import type { Logger } from './logger.ts';
import type { EventRecord, GameStore } from './store/types.ts';
import { announceRoom } from '../rooms/registry.ts';
import { reservedEventIdReason } from '../rooms/room-ids.ts';
import type { EventListing } from '../rooms/market/services.ts';
import type { Reply } from '../rooms/messages.ts';
import type { MarketRoom } from '../rooms/market/MarketRoom.ts';
import { callRoom } from '../rooms/remote.ts';
import type { SportsbookCommand } from '../actors/sportsbook/index.ts';

/** How long an operator command waits for the cluster to re-open a closed event's room. */
const REOPEN_WAIT_MS = 10_000;

export class EventService {
  private readonly opening = new Map<string, Promise<void>>();

  constructor(
    private readonly games: GameStore,
    private readonly log: Logger,
    private readonly upcoming: () => ScheduledMatch[] = () => [],
    /** local: create the room here; cluster: list it, and the owning process creates it (server/cluster). */
    private readonly placement: 'local' | 'cluster' = 'local',
    private readonly now: () => number = Date.now,
    /** Cluster: asks the cluster to re-open a closed event's room for a while (server/features.ts). */
    private readonly reopen?: (eventId: string) => Promise<void>,
  ) {}

  /** Opens the event (its room, or in a cluster its listing); safe to call repeatedly. */
  open(listing: EventListing): Promise<void> {
    // Stored before ids were checked at creation, perhaps: never opened, so it cannot take a table's or the lobby's id.
    const reserved = reservedEventIdReason(listing.eventId);
    if (reserved) return Promise.reject(new AppError('event/reserved_id', `event ${listing.eventId} cannot be opened: ${reserved}`, 400));
    let p = this.opening.get(listing.eventId);
    if (!p) {
      p = (async () => {
        if (this.placement === 'cluster') {
          if (await this.games.getEvent(listing.eventId)) return;
          const { eventId, league, home, away, lambdaHome, lambdaAway, startsAt, rho, modelVersion } = listing;
          const priced = { ...(rho !== undefined ? { rho } : {}), ...(modelVersion !== undefined ? { modelVersion } : {}) };
          await this.games.upsertEvent({ eventId, league, home, away, lambdaHome, lambdaAway, ...priced, startsAt, status: 'scheduled', minute: 0, score: { home: 0, away: 0 }, updatedAt: this.now() });
          this.log.info({ eventId, home, away }, 'event listed for the cluster');
          return;
        }
        if (matchMaker.getLocalRoomById(listing.eventId)) return;
        const existing = await matchMaker.query({ roomId: listing.eventId } as never);
        if (existing.length > 0) return;
        announceRoom('market', listing.eventId);
        await matchMaker.createRoom('market', { eventId: listing.eventId, listing });
        this.log.info({ eventId: listing.eventId, home: listing.home, away: listing.away }, 'event opened');
      })().finally(() => this.opening.delete(listing.eventId));
      this.opening.set(listing.eventId, p);
    }
    return p;
  }

  /** Re-opens every event that was scheduled or in play when the process last stopped. */
  async reopenUnfinished(): Promise<void> {
    for (const e of await this.games.listEvents({ statuses: ['scheduled', 'in_play'], limit: 1000 })) {
      await this.open(e).catch((err) => this.log.error({ err, eventId: e.eventId }, 'could not re-open event'));
    }
  }

  /** Live and upcoming events, soonest first: opened ones from their listings, then scheduled ones not opened yet. */
  async list(): Promise<Array<Pick<EventRecord, 'eventId' | 'league' | 'home' | 'away' | 'status' | 'startsAt' | 'minute' | 'score'>>> {
    const opened = (await this.games.listEvents({ statuses: ['scheduled', 'in_play'], limit: 500 })).filter((e) => !reservedEventIdReason(e.eventId));
    const known = new Set(opened.map((e) => e.eventId));
    const later = this.upcoming()
      .filter((m) => !known.has(m.eventId))
      .map((m) => ({ eventId: m.eventId, league: m.league, home: m.home, away: m.away, status: 'scheduled' as const, startsAt: m.startsAt, minute: 0, score: { home: 0, away: 0 } }));
    return [...opened, ...later]
      .map(({ eventId, league, home, away, status, startsAt, minute, score }) => ({ eventId, league, home, away, status, startsAt, minute, score }))
      .sort((a, b) => a.startsAt - b.startsAt);
  }

  /** Whether an event with this id was ever opened (its listing exists). */
  async exists(eventId: string): Promise<boolean> {
    return (await this.games.getEvent(eventId)) !== null;
  }

  async command(eventId: string, cmd: Record<string, unknown>): Promise<Reply> {
    if (reservedEventIdReason(eventId)) throw new AppError('event/not_found', `no event ${eventId}`, 404);
    await this.ensureRoom(eventId);
    return callRoom<MarketRoom, 'operatorCommand'>(eventId, 'operatorCommand', { ...cmd, now: 0 } as SportsbookCommand);
  }

  /**
   * Makes sure the event's room is open somewhere (re-opening a finished event's room from its
   * journal for a while); throws event/not_found when it is not and cannot be. Operators' commands
   * and the bet-slip sweep (a finished event's room re-delivers its legs' results when rebuilt) use it.
   */
  async ensureRoom(eventId: string): Promise<void> {
    let rooms = await matchMaker.query({ roomId: eventId, name: 'market' } as never);
    const listing = rooms.length === 0 ? await this.games.getEvent(eventId) : null;
    if (rooms.length === 0 && listing) {
      // A finished event's room closes after a while; operators may still void or re-settle it.
      if (this.placement === 'local') {
        await this.open(listing);
        rooms = await matchMaker.query({ roomId: eventId, name: 'market' } as never);
      } else if (this.reopen) {
        // Some process of the cluster takes the room's lease and rebuilds it from its journal.
        await this.reopen(eventId);
        // A wait for I/O, on the wall clock (this.now is the domain clock, which tests may hold still).
        for (const deadline = Date.now() + REOPEN_WAIT_MS; rooms.length === 0 && Date.now() < deadline; ) {
          await new Promise((resolve) => setTimeout(resolve, 100));
          rooms = await matchMaker.query({ roomId: eventId, name: 'market' } as never);
        }
      }
    }
    if (rooms.length === 0) throw new AppError('event/not_found', listing ? `event ${eventId} has no open room and none could be re-opened in time` : `no event ${eventId}`, 404);
  }
}
