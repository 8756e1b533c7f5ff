/** In-play football odds engine: pure functions, no I/O, no clocks, no randomness. */
export * from './poisson.ts';
export * from './goal-model.ts';
export * from './markets.ts';
export * from './margin.ts';
export * from './ladder.ts';
export * from './formats.ts';
export * from './shading.ts';
export * from './price-match.ts';
export * from './team-strength.ts';
export * from './market-fit.ts';
export * from './rating-fit.ts';
export * from './pricing-model.ts';
