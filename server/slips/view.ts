/** What a player (and an operator) sees of a slip (protocol/slips.ts). */
import type { SlipState } from '../../actors/multiples/index.ts';
import type { SlipView } from '../../protocol/slips.ts';

export type { SlipView };

export function slipView(s: SlipState): SlipView {
  return {
    slipId: s.spec.slipId, playerId: s.spec.playerId, type: s.spec.type, status: s.status, stakePerLineMinor: s.spec.stakePerLineMinor, lines: s.spec.lines.length,
    totalStakeMinor: s.spec.totalStakeMinor, potentialPayoutMinor: s.potentialPayoutMinor, paidMinor: s.paidMinor,
    legs: s.legs.map((l) => ({ legId: l.legId, eventId: l.eventId, selections: l.selections, seenPriceMilli: l.seenPriceMilli, priceMilli: l.priceMilli, result: l.result })),
    rejection: s.rejection, requestedAt: s.requestedAt,
  };
}
