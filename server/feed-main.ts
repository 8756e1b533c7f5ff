/**
 * The feed process of a cluster (`npm run feed`, started by PM2 next to the servers): runs the
 * demo match schedule once for the whole cluster, lists each match in the store (the process that
 * wins the event's lease opens its room) and publishes its incidents to Redis Streams, where the
 * event's room reads them. An external provider's adapter would do the same XADDs.
 */
import { ConfigError, loadConfig } from './config.ts';
import { OutageLog, createLogger } from './logger.ts';
import { isRedisDown } from './cluster/redis.ts';
import { openStore, } from './app.ts';
import { EventService } from './events.ts';
import { RedisStreamFeed } from './feed/redis-streams.ts';
import { SimulatorDriver } from './feed/simulator-driver.ts';
import { demoSchedule } from './features.ts';
import { setUpPricing } from './pricing/index.ts';

const config = (() => {
  try {
    const c = loadConfig();
    if (!c.redisUrl) throw new ConfigError('REDIS_URL', 'set: the feed process publishes to Redis Streams', '');
    return c;
  } catch (e) {
    console.error((e as Error).message);
    process.exit(78);
  }
})();
const log = createLogger(config.logLevel, { role: 'feed' });
const store = await openStore(config, log);
const redisLog = new OutageLog(log, 'redis');
const feed = new RedisStreamFeed(config.redisUrl!, config.redisPrefix, (err) => redisLog.failed(err, { stream: 'feed' }), 'feed', () => redisLog.ok());
const prices = new RedisStreamFeed(config.redisUrl!, config.redisPrefix, (err) => redisLog.failed(err, { stream: 'prices' }), 'prices', () => redisLog.ok());
const events = new EventService(store.games, log, () => [], 'cluster');
// The cluster's pricing refit runs here, once; the servers follow the model files it writes.
const pricing = setUpPricing(config, log, Date.now, 'refit');
pricing.start();
const driver = new SimulatorDriver({
  schedule: demoSchedule(config),
  feed,
  prices,
  now: Date.now,
  onListed: (m) => events.open(pricing.price(m)),
  // Publishing fails while Redis is down: one line per outage, not one per message.
  onError: (err) => (isRedisDown(err) ? redisLog.failed(err, { during: 'publish' }) : log.error({ err }, 'match simulator failed')),
});
driver.start();
log.info({ everyMs: config.simulator.everyMs, msPerMinute: config.simulator.msPerMinute }, 'feed process running the match schedule');

const stop = async () => {
  driver.stop();
  pricing.stop();
  await feed.close();
  await prices.close();
  await store.close();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
