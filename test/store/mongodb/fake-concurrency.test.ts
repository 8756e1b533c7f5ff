/** Several adapter instances on one modelled MongoDB: write conflicts between their transactions are retried and the books stay exact. */
import { expect } from 'chai';
import { openMongoStore } from '../../../server/store/mongodb/index.ts';
import { FakeMongoEngine } from './fake-mongo-engine.ts';
import { FakeMongod } from './fake-mongod.ts';
import { sharedStoreRows } from './shared-rows.ts';

describe('mongodb store shared by several instances (in-memory model, real driver)', function () {
  this.timeout(60_000);
  let engine: FakeMongoEngine;

  sharedStoreRows(async () => {
    engine = new FakeMongoEngine();
    const fake = new FakeMongod({ replicaSet: true, respond: engine.respond });
    await fake.start();
    const stores = await Promise.all([1, 2, 3].map(() => openMongoStore({ url: fake.url, dbName: 'shared', serverSelectionTimeoutMS: 2_000 })));
    return {
      stores,
      close: async () => {
        await Promise.all(stores.map((s) => s.close()));
        await fake.stop();
      },
    };
  });

  afterEach(function () {
    // The instances really contended: some transactions hit write conflicts and were retried.
    if (this.currentTest?.state === 'passed' && /reserves through across instances|from every instance/.test(this.currentTest.title)) {
      expect(engine.conflicts, 'write conflicts seen').to.be.above(0);
    }
  });
});
