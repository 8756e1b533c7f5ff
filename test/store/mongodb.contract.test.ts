/**
 * The MongoDB rows of the shared store contract. They need a MongoDB replica set, which cannot
 * be installed on the development and CI machines, so they run only where MONGODB_URL is set
 * (e.g. `MONGODB_URL='mongodb://127.0.0.1:27017/?replicaSet=rs0' npm test`; see
 * docs/OPERATIONS.md) and are reported as pending, with the reason printed, everywhere else.
 * Each test gets a fresh database (random name), dropped after it.
 */
import { randomBytes } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { openMongoStore } from '../../server/store/mongodb/index.ts';
import type { Store } from '../../server/store/types.ts';
import { storeContract } from './contract.ts';

const MONGODB_SKIP_REASON =
  'MongoDB contract rows skipped: MONGODB_URL is not set (no MongoDB server can be installed on this machine)';

const url = process.env.MONGODB_URL || null;

/** A fresh store on its own database; closing it drops the database. */
async function openFreshMongoStore(admin: MongoClient, tag: string): Promise<Store> {
  const dbName = `test_${tag}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const store = await openMongoStore({ url: url!, dbName });
  return {
    ...store,
    kind: store.kind,
    close: async () => {
      try {
        await store.close();
      } finally {
        await admin.db(dbName).dropDatabase();
      }
    },
  };
}

describe('mongodb store (contract rows)', () => {
  let admin: MongoClient | null = null;

  before(async function () {
    if (!url) {
      console.log(`      ${MONGODB_SKIP_REASON}`);
      this.skip();
    }
    admin = new MongoClient(url!, { serverSelectionTimeoutMS: 5_000 });
    await admin.connect();
  });

  after(async () => {
    await admin?.close();
  });

  storeContract('mongodb', () => openFreshMongoStore(admin!, 'contract'));
});
