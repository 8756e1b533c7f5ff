/**
 * Issue 13, defect 13: in a cluster (REDIS_URL) the edge's limits are counted in Redis, so every
 * process sees one count. Two limiters on two connections stand for two processes.
 */
import { expect } from 'chai';
import { Redis } from 'ioredis';
import { loadConfig } from '../../server/config.ts';
import { EdgeLimits } from '../../server/http/limits.ts';
import { AppError } from '../../server/errors.ts';
import { REDIS_URL, cleanRedis, testPrefix } from '../support/cluster.ts';

describe('edge limits in Redis (issue 13: defect 13)', function () {
  this.timeout(20_000);

  it('shares the counts between processes through Redis when REDIS_URL is set, each keyed under the prefix', async () => {
    const prefix = testPrefix('limits');
    const config = loadConfig({ DEV_MODE: '1', REDIS_PREFIX: prefix, LOGIN_FAILURES_PER_ACCOUNT: '3' });
    const a = new Redis(REDIS_URL, { maxRetriesPerRequest: 1, enableOfflineQueue: false });
    const b = new Redis(REDIS_URL, { maxRetriesPerRequest: 1, enableOfflineQueue: false });
    try {
      await Promise.all([a, b].map((r) => new Promise((resolve) => r.once('ready', resolve))));
      const one = new EdgeLimits(config, a);
      const two = new EdgeLimits(config, b);
      await one.consume('loginAccount', 'shared');
      await two.consume('loginAccount', 'shared');
      await one.consume('loginAccount', 'shared');
      const err = await two.check('loginAccount', 'shared').then(() => null, (e) => e);
      expect(err).to.be.instanceOf(AppError);
      expect((err as AppError).code).to.equal('auth/too_many_failures');
      expect(await a.keys(`${prefix}*`)).to.have.length.greaterThan(0);
      await two.reset('loginAccount', 'shared');
      await one.check('loginAccount', 'shared');
    } finally {
      await cleanRedis(prefix);
      a.disconnect();
      b.disconnect();
    }
  });
});
