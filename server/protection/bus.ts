/**
 * Tells every process of the cluster that a player was blocked, so each removes the player from
 * its rooms within a second: one presence topic (Redis pub/sub with REDIS_URL, in-process
 * otherwise), named under the deployment's Redis prefix. Delivery is at most once: a process that
 * misses the message (Redis outage) still refuses the player's joins and stakes, which are
 * checked against the store.
 */
import { matchMaker } from '@colyseus/core';
import type { Logger } from '../logger.ts';
import { removePlayerHere, type RemovalReason } from '../../rooms/protection.ts';

export class ExclusionBus {
  private readonly topic: string;
  private readonly onMessage = (msg: unknown) => this.receive(msg);

  constructor(
    prefix: string,
    private readonly log: Logger,
  ) {
    this.topic = `${prefix}protection:removed`;
  }

  async start(): Promise<void> {
    await matchMaker.presence.subscribe(this.topic, this.onMessage);
  }

  stop(): void {
    matchMaker.presence.unsubscribe(this.topic, this.onMessage);
  }

  async publish(userId: string, reason: RemovalReason): Promise<void> {
    // This process first, so the player here is out even when the publish fails.
    removePlayerHere(userId, reason);
    try {
      await matchMaker.presence.publish(this.topic, { userId, reason });
    } catch (err) {
      this.log.warn({ err, userId }, 'could not tell the other processes about a block; they refuse the player on the next join or stake');
    }
  }

  private receive(msg: unknown): void {
    const m = msg as { userId?: unknown; reason?: { code?: unknown; message?: unknown } } | null;
    if (!m || typeof m.userId !== 'string' || typeof m.reason?.code !== 'string' || typeof m.reason.message !== 'string') return;
    const removed = removePlayerHere(m.userId, { code: m.reason.code, message: m.reason.message });
    if (removed > 0) this.log.info({ userId: m.userId, connections: removed }, 'removed a blocked player from this process\'s rooms');
  }
}
