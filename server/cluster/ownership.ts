/**
 * One owner per room across the cluster. Every process runs this loop: it renews the leases of
 * the rooms it hosts (stopping a room whose lease another process took), acquires free leases of
 * rooms that should exist (configured tables, open events) and builds them on itself, and hands
 * rooms over when it holds more than its fair share. The lease decides who may build a room; the
 * fence the store checks decides whose writes count (docs/OPERATIONS.md#cluster).
 *
 * Quiet periods: a free lease is not taken while it may still be held in fact, i.e.
 * - for a full lease period after Redis was (re)created empty (its generation key is new): the
 *   real owners get that long to re-assert the leases Redis forgot;
 * - for a full lease period after this process last failed to reach Redis: after an outage
 *   every owner first gets a chance to renew.
 * A process takes at most its fair share (rooms / live processes) unless a lease has been free
 * for a whole poll, so orphans of a dead process are adopted within ~ttl + poll.
 */
import type { Redis } from 'ioredis';
import type { Logger } from '../logger.ts';
import type { LeaseManager } from './lease.ts';

export interface DesiredRoom {
  roomId: string;
  /** Creates the room on this process with the given fencing token. */
  create(fence: number): Promise<void>;
}

export interface OwnershipOptions {
  leases: LeaseManager;
  redis: Redis;
  prefix: string;
  pollMs: number;
  log: Logger;
  desired: () => Promise<DesiredRoom[]>;
  /** Stops a local room whose lease was lost, without writing anything more. */
  relinquish: (roomId: string) => Promise<void>;
  /** Hands a local room over: finish what is in flight, persist, dispose. */
  handOver: (roomId: string) => Promise<void>;
  /** Whether the room is (still) running on this process. */
  exists: (roomId: string) => boolean;
  /** Re-publishes the matchmaking listings of these owned rooms where they are missing or wrong. */
  verifyListings?: (roomIds: string[]) => Promise<void>;
  /** Rebalance by handing rooms over when holding more than a fair share (default true). */
  rebalance?: boolean;
  now?: () => number;
}

/** How long the set of live processes must stay the same before rooms move to even it out. */
const REBALANCE_SETTLE_POLLS = 8;

export class RoomOwnership {
  private readonly owned = new Map<string, number>();
  private readonly freeSince = new Map<string, number>();
  /** Rooms whose lease this process saw held by another process (so a free lease means an orphan). */
  private readonly seenHeld = new Set<string>();
  /** Rooms being handed over by rebalancing (still owned: their leases are renewed meanwhile). */
  private readonly leaving = new Set<string>();
  /** Rooms this process handed over recently, by when: left to the others for a while. */
  private readonly handedOverAt = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private draining = false;
  private stopped = false;
  private generationId: string | null = null;
  private unreachableAt = -Infinity;
  private alive = { count: 0 };
  /** When the live processes or this process's rooms last changed: rebalancing waits for calm. */
  private changedAt = 0;
  private readonly now: () => number;

  constructor(private readonly o: OwnershipOptions) {
    this.now = o.now ?? Date.now;
  }

  /** The fencing token of a room this process owns. */
  fenceOf(roomId: string): number | undefined {
    return this.owned.get(roomId);
  }

  ownedRooms(): string[] {
    return [...this.owned.keys()];
  }

  start(): void {
    const loop = () => {
      this.running = this.poll()
        .catch((err) => this.o.log.warn({ err }, 'ownership poll failed'))
        .finally(() => {
          this.running = null;
          if (!this.stopped) this.timer = setTimeout(loop, this.o.pollMs);
        });
    };
    loop();
  }

  /** Rolling reload: stop adopting, hand every owned room over (renewing its lease meanwhile), release the leases. */
  async drain(): Promise<void> {
    this.draining = true;
    await Promise.all([...this.owned].filter(([roomId]) => !this.leaving.has(roomId)).map(([roomId, fence]) => this.handOverOne(roomId, fence)));
    await waitFor(() => this.leaving.size === 0, 60_000);
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  private async handOverOne(roomId: string, fence: number): Promise<void> {
    this.leaving.add(roomId);
    try {
      await this.o.handOver(roomId);
    } catch (err) {
      this.o.log.warn({ err, roomId }, 'hand-over failed; the next owner recovers the room from its journal');
    }
    if (this.owned.get(roomId) === fence) {
      await this.o.leases.release(roomId, fence).catch(() => undefined);
      this.owned.delete(roomId);
    }
    this.leaving.delete(roomId);
    this.handedOverAt.set(roomId, this.now());
    this.o.log.info({ roomId, fence }, 'room handed over');
  }

  private async poll(): Promise<void> {
    const alive = await this.heartbeat();
    const quiet = await this.quietPeriod();
    for (const [roomId, fence] of [...this.owned]) {
      const r = await this.o.leases.renew(roomId, fence);
      if (r === 'unreachable') this.unreachableAt = this.now();
      if (r === 'lost') {
        this.owned.delete(roomId);
        this.o.log.warn({ roomId, fence }, 'lease lost to another process: stopping the local room');
        await this.o.relinquish(roomId).catch((err) => this.o.log.error({ err, roomId }, 'could not stop a room after losing its lease'));
      } else if (r === 'reasserted') {
        this.o.log.info({ roomId, fence }, 'lease re-asserted (Redis had forgotten it)');
      }
      // 'unreachable': keep serving; nobody else takes a lease it cannot see expire.
    }
    if (this.draining || alive === null) return;
    for (const [roomId, fence] of [...this.owned]) {
      // A room that closed here (finished event, failed journal) gives its lease back: if it is
      // still wanted, whoever acquires it next rebuilds it from its journal.
      if (this.leaving.has(roomId) || this.o.exists(roomId)) continue;
      this.owned.delete(roomId);
      await this.o.leases.release(roomId, fence).catch(() => undefined);
    }
    if (this.owned.size > 0) await this.o.verifyListings?.([...this.owned.keys()].filter((id) => !this.leaving.has(id))).catch((err) => this.o.log.warn({ err }, 'could not verify room listings'));
    if (quiet) return;
    const desired = await this.o.desired();
    const share = Math.ceil(desired.length / Math.max(1, alive));
    await this.adopt(desired, share);
    this.rebalance(desired, share);
    if (this.freeSince.size > 10_000) this.freeSince.clear();
    if (this.seenHeld.size > 10_000) this.seenHeld.clear();
    for (const [roomId, at] of this.handedOverAt) if (this.now() - at > 60_000) this.handedOverAt.delete(roomId);
  }

  private async adopt(desired: DesiredRoom[], share: number): Promise<void> {
    const now = this.now();
    for (const room of desired) {
      if (this.owned.has(room.roomId)) continue;
      const lease = await this.o.leases.state(room.roomId);
      if (lease.holder !== null) {
        this.freeSince.delete(room.roomId);
        this.seenHeld.add(room.roomId);
        continue;
      }
      const since = this.freeSince.get(room.roomId);
      if (since === undefined) this.freeSince.set(room.roomId, now);
      const freeFor = since === undefined ? 0 : now - since;
      // A lease seen held that expired without being released: its owner died or froze. Adopt it
      // at once, whatever the share (rebalancing evens the rooms out later). A lease released on
      // purpose (hand-over) goes to a process below its share, or to anyone after a whole poll.
      const orphaned = (this.seenHeld.has(room.roomId) && !lease.released) || freeFor >= this.o.pollMs;
      // A room this process just handed over goes to another process unless nobody takes it.
      const handedOver = this.handedOverAt.get(room.roomId);
      if (handedOver !== undefined && now - handedOver < 4 * this.o.pollMs + this.o.leases.ttlMs && freeFor < this.o.leases.ttlMs) continue;
      if (this.owned.size >= share && !orphaned) continue;
      const fence = await this.o.leases.acquire(room.roomId);
      if (fence === null) continue;
      this.freeSince.delete(room.roomId);
      this.seenHeld.delete(room.roomId);
      this.owned.set(room.roomId, fence);
      this.changedAt = this.now();
      try {
        await room.create(fence);
        this.o.log.info({ roomId: room.roomId, fence }, 'room acquired');
      } catch (err) {
        this.owned.delete(room.roomId);
        await this.o.leases.release(room.roomId, fence).catch(() => undefined);
        this.o.log.error({ err, roomId: room.roomId }, 'could not create an acquired room; lease released');
      }
    }
  }

  /**
   * Evens out the rooms: once the set of live processes has been stable for a while, a process
   * holding more than its fair share hands one room over at a time (it finishes its round or the
   * bets in their delay first); a process below its share adopts it.
   */
  private rebalance(desired: DesiredRoom[], share: number): void {
    if (this.o.rebalance === false || this.leaving.size > 0) return;
    // A dead process stays counted until its heartbeat expires: adopting its rooms resets the wait too.
    if (this.now() - this.changedAt < REBALANCE_SETTLE_POLLS * this.o.pollMs + this.o.leases.ttlMs) return;
    const wanted = new Set(desired.map((d) => d.roomId));
    const mine = [...this.owned].filter(([roomId]) => wanted.has(roomId));
    if (mine.length <= share) return;
    const [roomId, fence] = mine[mine.length - 1]!;
    this.o.log.info({ roomId, owned: this.owned.size, share }, 'rebalancing: handing a room over to a less loaded process');
    void this.handOverOne(roomId, fence);
  }

  /** Whether free leases must be left alone for now (see the file comment); true when Redis does not answer. */
  private async quietPeriod(): Promise<boolean> {
    const quietMs = this.o.leases.ttlMs + this.o.pollMs;
    let generation: Awaited<ReturnType<typeof this.o.leases.generation>>;
    try {
      generation = await this.o.leases.generation();
    } catch {
      this.unreachableAt = this.now();
      return true;
    }
    if (generation.id !== this.generationId) {
      if (this.generationId !== null) this.o.log.warn({ generation: generation.id, previous: this.generationId }, 'Redis was restarted empty: leaving free leases alone for a lease period while owners re-assert theirs');
      this.generationId = generation.id;
    }
    return generation.now - generation.createdAt < quietMs || this.now() - this.unreachableAt < quietMs;
  }

  /** Registers this process as alive and returns how many are; null when Redis does not answer. */
  private async heartbeat(): Promise<number | null> {
    const key = `${this.o.prefix}processes`;
    const now = this.now();
    try {
      const [, , count] = (await this.o.redis
        .multi()
        .zadd(key, now + 3 * this.o.pollMs + this.o.leases.ttlMs, this.o.leases.ownerId)
        .zremrangebyscore(key, '-inf', now)
        .zcard(key)
        .exec())!;
      const alive = Number(count![1]);
      if (alive !== this.alive.count) {
        this.alive = { count: alive };
        this.changedAt = now;
      }
      return alive;
    } catch {
      this.unreachableAt = now;
      return null;
    }
  }
}

async function waitFor(done: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
}
