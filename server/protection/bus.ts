/**
 * Tells every process of the cluster about a player's protection: a block (each process removes
 * the player from its rooms within a second), a reality check (each sends it to the player's rooms
 * there) and any other change (processes re-read the record of a player they watch). One presence
 * topic (Redis pub/sub with REDIS_URL, in-process otherwise), named under the deployment's Redis
 * prefix. Delivery is at most once: a process that misses a block still refuses the player's joins
 * and stakes, which are checked against the store.
 */
import { randomUUID } from 'node:crypto';
import { matchMaker } from '@colyseus/core';
import type { Logger } from '../logger.ts';
import { removePlayerHere, sendToPlayerHere, type RemovalReason } from '../../rooms/protection.ts';

export interface RealityCheckMessage {
  /** How long the session has lasted, and the net result of its play (winnings − stakes). */
  sessionMs: number;
  netResultMinor: number;
  /** Whether play is paused until the player acknowledges it (POST /protection/reality-check/ack). */
  paused: boolean;
  at: number;
}

type BusMessage =
  | { kind: 'removed'; userId: string; reason: RemovalReason }
  | { kind: 'reality'; userId: string; check: RealityCheckMessage }
  | { kind: 'changed'; userId: string };

/** This process's id on the topic: it acts on its own messages when it sends them, not again on receipt. */
const SELF = randomUUID();

export class ExclusionBus {
  private readonly topic: string;
  private readonly onMessage = (msg: unknown) => this.receive(msg);
  /** A player's record changed on some process (RealityChecks re-reads it). */
  onChanged: (userId: string) => void = () => undefined;

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
    await this.send({ kind: 'removed', userId, reason });
  }

  async publishRealityCheck(userId: string, check: RealityCheckMessage): Promise<void> {
    sendToPlayerHere(userId, 'realityCheck', check);
    await this.send({ kind: 'reality', userId, check });
  }

  async publishChanged(userId: string): Promise<void> {
    this.onChanged(userId);
    await this.send({ kind: 'changed', userId });
  }

  private async send(msg: BusMessage): Promise<void> {
    try {
      await matchMaker.presence.publish(this.topic, { ...msg, from: SELF });
    } catch (err) {
      this.log.warn({ err, userId: msg.userId, kind: msg.kind }, 'could not tell the other processes about a protection change; joins and stakes are still checked against the store');
    }
  }

  private receive(raw: unknown): void {
    const m = raw as (BusMessage & { from?: string }) | null;
    if (!m || typeof m.userId !== 'string' || m.from === SELF) return;
    if (m.kind === 'removed' && typeof m.reason?.code === 'string' && typeof m.reason.message === 'string') {
      const removed = removePlayerHere(m.userId, { code: m.reason.code, message: m.reason.message });
      if (removed > 0) this.log.info({ userId: m.userId, connections: removed }, 'removed a blocked player from this process\'s rooms');
    } else if (m.kind === 'reality' && m.check && typeof m.check.sessionMs === 'number') {
      sendToPlayerHere(m.userId, 'realityCheck', m.check);
    } else if (m.kind === 'changed') {
      this.onChanged(m.userId);
    }
  }
}
