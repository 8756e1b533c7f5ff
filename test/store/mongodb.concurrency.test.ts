/**
 * Several store instances sharing one database on a real MongoDB replica set. Runs only where
 * MONGODB_URL is set and is reported pending, with the reason printed, elsewhere (the same rows
 * run against the in-memory model in test/store/mongodb/fake-concurrency.test.ts).
 */
import { randomBytes } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { openMongoStore } from '../../server/store/mongodb/index.ts';
import { sharedStoreRows } from './mongodb/shared-rows.ts';

const url = process.env.MONGODB_URL || null;

describe('mongodb store shared by several instances (real server)', function () {
  this.timeout(120_000);
  let admin: MongoClient | null = null;

  before(async function () {
    if (!url) {
      console.log('      MongoDB concurrency rows skipped: MONGODB_URL is not set (no MongoDB server can be installed on this machine)');
      this.skip();
    }
    admin = new MongoClient(url!, { serverSelectionTimeoutMS: 5_000 });
    await admin.connect();
  });

  after(async () => {
    await admin?.close();
  });

  sharedStoreRows(async () => {
    const dbName = `test_conc_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
    // Opened at the same moment: start-up must be idempotent across instances.
    const stores = await Promise.all([1, 2, 3].map(() => openMongoStore({ url: url!, dbName })));
    return {
      stores,
      close: async () => {
        await Promise.all(stores.map((s) => s.close()));
        await admin!.db(dbName).dropDatabase();
      },
    };
  });
});
