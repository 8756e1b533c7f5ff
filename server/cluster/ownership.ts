/**
 * One owner per room across the cluster. Every process runs this loop: it renews the leases of
 * the rooms it hosts (disposing a room whose lease another process took), and acquires free
 * leases of rooms that should exist (configured tables, open events), creating the room from its
 * journal. A process takes at most its fair share (rooms / live processes) unless a lease has been
 * free for a whole poll, so orphans of a dead process are adopted within ~ttl + poll.
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
  now?: () => number;
}

export class RoomOwnership {
  private readonly owned = new Map<string, number>();
  private readonly freeSince = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private draining = false;
  private stopped = false;
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
    await Promise.all(
      [...this.owned].map(async ([roomId, fence]) => {
        try {
          await this.o.handOver(roomId);
        } catch (err) {
          this.o.log.warn({ err, roomId }, 'hand-over failed; the next owner recovers the room from its journal');
        }
        await this.o.leases.release(roomId, fence).catch(() => undefined);
        this.owned.delete(roomId);
        this.o.log.info({ roomId }, 'room handed over');
      }),
    );
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  private async poll(): Promise<void> {
    const alive = await this.heartbeat();
    for (const [roomId, fence] of [...this.owned]) {
      const r = await this.o.leases.renew(roomId, fence);
      if (r === 'lost') {
        this.owned.delete(roomId);
        this.o.log.warn({ roomId, fence }, 'lease lost to another process: stopping the local room');
        await this.o.relinquish(roomId).catch((err) => this.o.log.error({ err, roomId }, 'could not stop a room after losing its lease'));
      } else if (r === 'reasserted') {
        this.o.log.info({ roomId, fence }, 'lease re-asserted (Redis had forgotten it)');
      }
      // 'unreachable': keep serving; nobody else can take the lease while Redis is down.
    }
    if (this.draining || alive === null) return;
    const desired = await this.o.desired();
    for (const [roomId, fence] of [...this.owned]) {
      // A room that closed here (finished event, failed journal) gives its lease back: if it is
      // still wanted, whoever acquires it next rebuilds it from its journal.
      if (this.o.exists(roomId)) continue; // running (or finished and lingering for late viewers)
      this.owned.delete(roomId);
      await this.o.leases.release(roomId, fence).catch(() => undefined);
    }
    const share = Math.ceil(desired.length / Math.max(1, alive));
    const now = this.now();
    for (const room of desired) {
      if (this.owned.has(room.roomId)) continue;
      const holder = await this.o.leases.holder(room.roomId);
      if (holder !== null) {
        this.freeSince.delete(room.roomId);
        continue;
      }
      const since = this.freeSince.get(room.roomId);
      if (since === undefined) this.freeSince.set(room.roomId, now);
      const orphaned = since !== undefined && now - since >= this.o.pollMs;
      if (this.owned.size >= share && !orphaned) continue;
      const fence = await this.o.leases.acquire(room.roomId);
      if (fence === null) continue;
      this.freeSince.delete(room.roomId);
      this.owned.set(room.roomId, fence);
      try {
        await room.create(fence);
        this.o.log.info({ roomId: room.roomId, fence }, 'room acquired');
      } catch (err) {
        this.owned.delete(room.roomId);
        await this.o.leases.release(room.roomId, fence).catch(() => undefined);
        this.o.log.error({ err, roomId: room.roomId }, 'could not create an acquired room; lease released');
      }
    }
    if (this.freeSince.size > 10_000) this.freeSince.clear();
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
      return Number(count![1]);
    } catch {
      return null;
    }
  }
}
