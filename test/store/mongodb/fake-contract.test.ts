/**
 * The whole store contract through the MongoDB adapter and the real driver, against an
 * in-memory model of the commands it sends (fake-mongo-engine.ts) behind a fake mongod. This
 * runs everywhere; the same rows against a real replica set run in mongodb.contract.test.ts
 * when MONGODB_URL is set.
 */
import { openMongoStore } from '../../../server/store/mongodb/index.ts';
import type { Store } from '../../../server/store/types.ts';
import { storeContract } from '../contract.ts';
import { FakeMongoEngine } from './fake-mongo-engine.ts';
import { FakeMongod } from './fake-mongod.ts';

async function openOnFakeMongod(): Promise<Store> {
  const engine = new FakeMongoEngine();
  const fake = new FakeMongod({ replicaSet: true, respond: engine.respond });
  await fake.start();
  try {
    const store = await openMongoStore({ url: fake.url, dbName: 'contract', serverSelectionTimeoutMS: 2_000 });
    return {
      ...store,
      kind: store.kind,
      close: async () => {
        try {
          await store.close();
        } finally {
          await fake.stop();
        }
      },
    };
  } catch (error) {
    await fake.stop();
    throw error;
  }
}

describe('mongodb adapter against an in-memory model of MongoDB (real driver, no server)', () => {
  storeContract('mongodb (modelled)', openOnFakeMongod);
});
