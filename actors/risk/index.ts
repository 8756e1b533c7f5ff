/** The risk actors: the feature book, detectors, scores and policies (docs/FRAUD.md). */
export * from './events.ts';
export * from './book.ts';
export * from './detectors.ts';
export * from './score.ts';
export * from './policy.ts';
export * from './stats.ts';
