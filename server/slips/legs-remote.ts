/**
 * How the bet-slip service reaches the legs' event rooms: typed `callRoom` calls (the room may live
 * on another process; Colyseus forwards the call through presence and times out after 2 s). Any
 * failure to answer becomes `slip/leg_unavailable`: the caller cannot tell whether the room acted,
 * so every step it retries is idempotent at the room.
 */
import { matchMaker } from '@colyseus/core';
import type { LegSelection } from '../../actors/multiples/index.ts';
import type { MarketRoom } from '../../rooms/market/MarketRoom.ts';
import type { AcceptLegReply, LegQuoteReply, LegStatusReply, PrepareLegArgs, PrepareLegReply } from '../../rooms/market/legs.ts';
import type { Reply } from '../../rooms/messages.ts';
import { callRoom } from '../../rooms/remote.ts';

export interface LegRooms {
  prepare(eventId: string, args: PrepareLegArgs): Promise<PrepareLegReply>;
  accept(eventId: string, slipId: string, legId: string): Promise<AcceptLegReply>;
  release(eventId: string, slipId: string, legId: string, reason: string): Promise<Reply<{ released: true }>>;
  quote(eventId: string, slipId: string, legId: string): Promise<LegQuoteReply>;
  status(eventId: string, slipId: string): Promise<LegStatusReply>;
  builderPrice(eventId: string, selections: LegSelection[]): Promise<Reply<{ priceMilli: number; probability: number }>>;
}

const unavailable = (eventId: string, err: unknown): Reply<never> => ({
  ok: false, error: { code: 'slip/leg_unavailable', message: `event ${eventId} did not answer: ${(err as Error).message}` },
});

async function call<T extends Reply<any>>(eventId: string, run: () => Promise<T>): Promise<T | Reply<never>> {
  let processId: string | undefined;
  try {
    const rooms = (await matchMaker.query({ roomId: eventId, name: 'market' } as never)) as unknown as Array<{ processId?: string }>;
    if (rooms.length === 0) return { ok: false, error: { code: 'event/not_found', message: `no live event ${eventId}` } };
    processId = rooms[0]!.processId;
    return await run();
  } catch (err) {
    // A listing left by a process that died (kill -9) keeps timing out: Colyseus's health check of
    // that process removes its listings, so the next attempt finds the event's new room, or none.
    if (processId) await matchMaker.healthCheckProcessId(processId).catch(() => undefined);
    return unavailable(eventId, err);
  }
}

export const remoteLegRooms: LegRooms = {
  prepare: (eventId, args) => call(eventId, () => callRoom<MarketRoom, 'prepareLeg'>(eventId, 'prepareLeg', args)),
  accept: (eventId, slipId, legId) => call(eventId, () => callRoom<MarketRoom, 'acceptLeg'>(eventId, 'acceptLeg', slipId, legId)),
  release: (eventId, slipId, legId, reason) => call(eventId, () => callRoom<MarketRoom, 'releaseLeg'>(eventId, 'releaseLeg', slipId, legId, reason)),
  quote: (eventId, slipId, legId) => call(eventId, () => callRoom<MarketRoom, 'legQuote'>(eventId, 'legQuote', slipId, legId)),
  status: (eventId, slipId) => call(eventId, () => callRoom<MarketRoom, 'legStatus'>(eventId, 'legStatus', slipId)),
  builderPrice: (eventId, selections) => call(eventId, () => callRoom<MarketRoom, 'builderPrice'>(eventId, 'builderPrice', selections)),
};
