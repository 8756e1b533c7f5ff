/** MONGODB_URL selects the MongoDB store at start (server/app.ts openStore). */
import { expect } from 'chai';
import { openStore } from '../../../server/app.ts';
import { loadConfig } from '../../../server/config.ts';
import { createLogger } from '../../../server/logger.ts';
import { expectStoreError } from '../contract/helpers.ts';
import { FakeMongod } from './fake-mongod.ts';

describe('opening the store named by MONGODB_URL', () => {
  const log = createLogger('silent');

  it('opens the MongoDB adapter when MONGODB_URL is set', async () => {
    const fake = new FakeMongod({ replicaSet: true });
    await fake.start();
    try {
      const store = await openStore(loadConfig({ DEV_MODE: '1', MONGODB_URL: fake.url.replace('/?', '/casino_app?') }), log);
      try {
        expect(store.kind).to.equal('mongodb');
        await store.ping();
        expect(fake.sent('create').every((c) => c.db === 'casino_app')).to.equal(true);
      } finally {
        await store.close();
      }
    } finally {
      await fake.stop();
    }
  });

  it('refuses to start with a clear store/unreachable error when the server cannot be reached', async function () {
    this.timeout(15_000);
    await expectStoreError(openStore(loadConfig({ DEV_MODE: '1', MONGODB_URL: 'mongodb://127.0.0.1:1/casino?replicaSet=rs0' }), log), 'store/unreachable');
  });
});
