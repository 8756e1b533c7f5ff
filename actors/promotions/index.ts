export * from './types.ts';
export * from './eligibility.ts';
export * from './awards.ts';
export * from './contribution.ts';
export * from './hedging.ts';
export * from './campaigns.ts';
export * from './automatic.ts';
