/** Multiples: accumulators, system bets and bet builders (pure deciders; docs/SPORTSBOOK.md "Multiples"). */
export type * from './types.ts';
export * from './pricing.ts';
export * from './systems.ts';
export * from './settlement.ts';
export * from './builder.ts';
export * from './liability.ts';
export * from './legs.ts';
export * from './slip.ts';
export { MULTIPLES_REJECTIONS, type MultiplesRejectionCode } from './codes.ts';
