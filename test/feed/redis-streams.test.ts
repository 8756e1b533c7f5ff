import { expect } from 'chai';
import { RedisStreamFeed } from '../../server/feed/redis-streams.ts';
import { FeedHub } from '../../server/feed/hub.ts';
import { REDIS_URL, cleanRedis, testPrefix, waitFor } from '../support/cluster.ts';

const msg = (seq: number) => ({ eventId: 'ev-1', seq, at: 1000 + seq, type: 'clock', minute: seq });

describe('feed sources', function () {
  this.timeout(20_000);

  describe('Redis Streams (real Redis, own key prefix)', () => {
    const prefix = testPrefix('feed');
    let feed: RedisStreamFeed;
    before(() => (feed = new RedisStreamFeed(REDIS_URL, prefix, () => undefined)));
    after(async () => {
      await feed.close();
      await cleanRedis(prefix);
    });

    it('delivers published messages in order, and replays the stream to a late subscriber', async () => {
      const got: unknown[] = [];
      const stop = feed.subscribe('ev-1', (m) => got.push(m));
      for (const seq of [1, 2, 3]) await feed.publish('ev-1', msg(seq));
      await waitFor('three messages', async () => got.length === 3, 5000, 20);
      expect(got).to.deep.equal([msg(1), msg(2), msg(3)]);
      stop();

      const late: unknown[] = [];
      const stopLate = feed.subscribe('ev-1', (m) => late.push(m));
      await waitFor('the history', async () => late.length === 3, 5000, 20);
      await feed.publish('ev-1', msg(4));
      await waitFor('the new message', async () => late.length === 4, 5000, 20);
      stopLate();
    });

    it('keeps the price feed in its own streams (<prefix>prices:<eventId>), apart from the match feed', async () => {
      const prices = new RedisStreamFeed(REDIS_URL, prefix, () => undefined, 'prices');
      try {
        expect(prices.key('ev-3')).to.equal(`${prefix}prices:ev-3`);
        expect(feed.key('ev-3')).to.equal(`${prefix}feed:ev-3`);
        const quote = { eventId: 'ev-3', seq: 1, at: 1, source: 'book', oneXTwo: [2, 3.5, 4] };
        await prices.publish('ev-3', quote);
        const gotPrices: unknown[] = [];
        const gotFeed: unknown[] = [];
        const stopPrices = prices.subscribe('ev-3', (m) => gotPrices.push(m));
        const stopFeed = feed.subscribe('ev-3', (m) => gotFeed.push(m));
        await waitFor('the quote', async () => gotPrices.length === 1, 5000, 20);
        expect(gotPrices).to.deep.equal([quote]);
        expect(gotFeed).to.deep.equal([]);
        stopPrices();
        stopFeed();
      } finally {
        await prices.close();
      }
    });

    it('hands a non-JSON entry to the room as a malformed value instead of throwing', async () => {
      const { Redis } = await import('ioredis');
      const raw = new Redis(REDIS_URL);
      await raw.xadd(feed.key('ev-2'), '*', 'msg', '{not json');
      raw.disconnect();
      const got: unknown[] = [];
      const stop = feed.subscribe('ev-2', (m) => got.push(m));
      await waitFor('the entry', async () => got.length === 1, 5000, 20);
      expect(got[0]).to.have.property('malformed');
      stop();
    });
  });

  describe('in-process hub', () => {
    it('replays its bounded history to late subscribers', async () => {
      const hub = new FeedHub(2);
      for (const seq of [1, 2, 3]) await hub.publish('ev-1', msg(seq));
      const got: unknown[] = [];
      hub.subscribe('ev-1', (m) => got.push(m));
      expect(got).to.deep.equal([msg(2), msg(3)]);
      await hub.publish('ev-1', msg(4));
      expect(got).to.have.length(3);
    });
  });
});
