/**
 * The demo match simulator (the feed side, not the domain): simulated matches with their incidents,
 * the deterministic demo schedule, and synthetic market quotes. The event actor only sees what
 * they publish, through the feed and the price feed, like any external provider's.
 */
export { SIM_DEFAULTS, maxMatchDurationMs, simulateMatch, type SimulatedMatch, type SimulationOptions } from './match.ts';
export { matchesInWindow, scheduledMatch, simulateScheduled, type ScheduleOptions, type ScheduledMatch } from './schedule.ts';
export { syntheticQuote, type SyntheticQuoteOptions } from './market-quotes.ts';
