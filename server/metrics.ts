/**
 * Prometheus metrics (`GET /metrics`): process CPU, RSS, event-loop delay (prom-client defaults)
 * plus the platform's own counters. Rooms record through the exported instruments.
 */
import { matchMaker } from '@colyseus/core';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { lobbyRoomId } from '../rooms/room-ids.ts';
import { writerThreadsBusyMs } from './store/sqlite/writer.ts';

export const registry = new Registry();
collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 10 });

export const betsTotal = new Counter({
  name: 'casino_bets_total',
  help: 'Bet commands by game and outcome (accepted, or the rejection code)',
  labelNames: ['game', 'outcome'] as const,
  registers: [registry],
});

export const stakeMinorTotal = new Counter({
  name: 'casino_stake_minor_total',
  help: 'Accepted stakes in minor units by game',
  labelNames: ['game'] as const,
  registers: [registry],
});

export const payoutMinorTotal = new Counter({
  name: 'casino_payout_minor_total',
  help: 'Gross payouts in minor units by game (stake + winnings of winning bets)',
  labelNames: ['game'] as const,
  registers: [registry],
});

export const betAckSeconds = new Histogram({
  name: 'casino_bet_ack_seconds',
  help: 'Time from a bet message arriving to its durable acknowledgement',
  labelNames: ['game'] as const,
  buckets: [0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [registry],
});

export const roomMessagesTotal = new Counter({
  name: 'casino_room_messages_total',
  help: 'Room messages by room type and reply (ok, or the error code)',
  labelNames: ['room', 'outcome'] as const,
  registers: [registry],
});

new Gauge({
  name: 'casino_rooms',
  help: 'Tables and live events hosted by this process (its lobby is not counted)',
  registers: [registry],
  collect() {
    const lobby = matchMaker.processId && matchMaker.getLocalRoomById(lobbyRoomId(matchMaker.processId)) ? 1 : 0;
    this.set(matchMaker.stats.local.roomCount - lobby);
  },
});

new Gauge({
  name: 'casino_clients',
  help: 'Clients connected to rooms of this process',
  registers: [registry],
  collect() {
    this.set(matchMaker.stats.local.ccu);
  },
});

new Gauge({
  name: 'casino_store_writer_busy_seconds',
  help: "Cumulative seconds the SQLite store's writer thread was busy (event-loop utilisation: writes, commits, fsync waits); rate() is its utilisation",
  registers: [registry],
  collect() {
    this.set(writerThreadsBusyMs() / 1000);
  },
});
