import { expect } from 'chai';
import { DEFAULT_TABLE_CONFIG, initialTableState, tableConfig, validateTableConfig } from '../../../actors/roulette/index.ts';

describe('roulette table config', () => {
  it('has valid defaults with a 15 s betting window', () => {
    expect(validateTableConfig(DEFAULT_TABLE_CONFIG)).to.deep.equal([]);
    expect(DEFAULT_TABLE_CONFIG.bettingWindowMs).to.equal(15_000);
  });

  it('lists every problem of an invalid config and refuses to build a table from it', () => {
    const bad = { ...DEFAULT_TABLE_CONFIG, bettingWindowMs: 0, minBetMinor: 1.5, historySize: -1 };
    expect(validateTableConfig(bad)).to.have.length(3);
    expect(validateTableConfig({ ...DEFAULT_TABLE_CONFIG, minBetMinor: 500, maxBetMinor: 100 })).to.deep.equal(['minBetMinor must not exceed maxBetMinor']);
    expect(() => tableConfig({ maxBetMinor: Number.MAX_SAFE_INTEGER })).to.throw(/maxBetMinor/);
    expect(() => initialTableState('t', bad)).to.throw(/bettingWindowMs/);
  });

  it('starts a table idle with no round and an empty history', () => {
    const state = initialTableState('t', tableConfig({ spinMs: 0 }));
    expect(state).to.deep.include({ tableId: 't', phase: 'idle', lastRoundNumber: 0, round: null, nextOpenAt: null, history: [] });
    expect(state.config.spinMs).to.equal(0);
  });
});
