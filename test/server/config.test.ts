import { expect } from 'chai';
import { ConfigError, loadConfig } from '../../server/config.ts';

describe('config', () => {
  it('uses embedded defaults when nothing is set', () => {
    const c = loadConfig({ DEV_MODE: '1' });
    expect(c.port).to.equal(2567);
    expect(c.redisUrl).to.equal(null);
    expect(c.mongodbUrl).to.equal(null);
    expect(c.dataDir).to.match(/data$/);
    expect(c.demoBalanceMinor).to.be.a('number');
    expect(c.risk.mode, 'the risk service runs in the server without Redis').to.equal('in-process');
    expect(loadConfig({ DEV_MODE: '1', REDIS_URL: 'redis://127.0.0.1:6379' }).risk.mode, 'and in its own process with it').to.equal('external');
    expect(loadConfig({ DEV_MODE: '1', RISK_POLICIES: '[{"name":"lock-all-latency","detectors":["latency"],"action":"lock"}]' }).risk.policies).to.deep.equal([{ name: 'lock-all-latency', detectors: ['latency'], action: 'lock' }]);
  });

  const invalid: Array<[string, string]> = [
    ['PORT', 'eighty'],
    ['PORT', '70000'],
    ['REDIS_URL', 'http://localhost'],
    ['MONGODB_URL', 'not a url'],
    ['DEMO_BALANCE_MINOR', '10.5'],
    ['LOG_LEVEL', 'loud'],
    ['RISK_SERVICE', 'sometimes'],
    ['RISK_POLICIES', '[{"name":"x","action":"explode"}]'],
    ['RISK_POLICIES', 'not json'],
    ['RISK_STREAM_MAXLEN', '5'],
    ['TOKEN_SECRET', 'short'],
    ['CURRENCY', 'euro'],
    ['ENGINE_ONLY_LIMIT_PERCENT', '150'],
    ['MARKET_WEIGHT_PERCENT', 'most'],
    ['PRICING_REFIT_EVERY_MS', '-1'],
    ['CRASH_ROOMS', '101'],
    ['CRASH_CHAIN_LENGTH', '0'],
    ['CRASH_SALT', 'tab\there'],
  ];
  for (const [name, value] of invalid) {
    it(`refuses ${name}=${value} with a message naming the variable`, () => {
      expect(() => loadConfig({ DEV_MODE: '1', [name]: value }))
        .to.throw(ConfigError)
        .with.property('message')
        .that.includes(name);
    });
  }

  it('reads the crash settings (defaults: one room, 8 s betting, a chain of 10,000, the documented salt)', () => {
    expect(loadConfig({ DEV_MODE: '1' }).crash).to.include({ rooms: 1, bettingWindowMs: 8000, chainLength: 10_000, salt: 'casino-live-crash-v1' });
    expect(loadConfig({ DEV_MODE: '1', CRASH_ROOMS: '3', CRASH_SALT: 'block 9000' }).crash).to.include({ rooms: 3, salt: 'block 9000' });
  });

  it('refuses the development token secret in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).to.throw(ConfigError, /TOKEN_SECRET/);
  });
});
