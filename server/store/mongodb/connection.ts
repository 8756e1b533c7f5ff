/**
 * Start-up: connect (failing fast and clearly when the server cannot be reached), refuse a
 * deployment without transactions, then bring the database to the layout in schema.ts:
 * collections, indexes, the transfer counter, the system accounts and the schema marker. Every
 * step is idempotent, so several processes may start against one database at once.
 */
import { MongoClient, type Db, type Document } from 'mongodb';
import { StoreError, SYSTEM_ACCOUNTS, type AccountKind } from '../types.ts';
import { long, toInt } from './documents.ts';
import { deploymentProblem, redactUrl } from './deployment.ts';
import { duplicateKeyOf, isUnreachable, translateError } from './errors.ts';
import {
  COLLECTIONS,
  INDEXES,
  SCHEMA_VERSION,
  TRANSFER_COUNTER_ID,
  type AccountDoc,
  type CollectionName,
  type CounterDoc,
  type MetaDoc,
} from './schema.ts';
import { DURABLE_WRITE_CONCERN } from './transactions.ts';

export const DEFAULT_SERVER_SELECTION_TIMEOUT_MS = 5_000;

export interface ConnectOptions {
  url: string;
  serverSelectionTimeoutMS?: number;
}

/** The client every part of the store shares. Reads are majority-committed, writes majority + journaled. */
export async function connect({ url, serverSelectionTimeoutMS = DEFAULT_SERVER_SELECTION_TIMEOUT_MS }: ConnectOptions): Promise<MongoClient> {
  let client: MongoClient;
  try {
    client = new MongoClient(url, {
      appName: 'casino-live-server',
      serverSelectionTimeoutMS,
      connectTimeoutMS: serverSelectionTimeoutMS,
      // A request waits at most this long for a pooled connection instead of queueing forever.
      waitQueueTimeoutMS: 10_000,
      maxPoolSize: 50,
      retryWrites: true,
      retryReads: true,
      readConcern: { level: 'majority' },
      writeConcern: { w: DURABLE_WRITE_CONCERN.w, journal: true, wtimeoutMS: DURABLE_WRITE_CONCERN.wtimeoutMS },
      readPreference: 'primary',
    });
  } catch (error) {
    // A malformed URL or option: the driver validates synchronously.
    throw new StoreError('store/invalid_argument', `MONGODB_URL ${redactUrl(url)} is not usable: ${(error as Error).message}`);
  }
  try {
    await client.connect();
    await client.db('admin').command({ ping: 1 });
  } catch (error) {
    await client.close().catch(() => undefined);
    // A DNS failure (mongodb+srv, unknown host) surfaces as a Node system error, not a driver one.
    const systemCode = (error as { code?: unknown }).code;
    if (isUnreachable(error) || (typeof systemCode === 'string' && /^E[A-Z_]+$/.test(systemCode))) {
      throw new StoreError(
        'store/unreachable',
        `MongoDB at ${redactUrl(url)} is unreachable (gave up after ${serverSelectionTimeoutMS} ms): ${(error as Error).message}`,
      );
    }
    throw translateError(error, 'startup');
  }
  return client;
}

/** Refuses a standalone server (no transactions) or one too old for snapshot reads. */
export async function checkDeployment(client: MongoClient): Promise<void> {
  const hello: Document = await client.db('admin').command({ hello: 1 });
  const problem = deploymentProblem(hello);
  if (problem) throw problem;
}

const SYSTEM_ACCOUNT_KINDS: Record<keyof typeof SYSTEM_ACCOUNTS, AccountKind> = {
  world: 'world',
  house: 'house',
  promotions: 'promotions',
  escrow: 'escrow',
};

/**
 * Collections exist before any transaction touches them (creating one inside a transaction
 * needs MongoDB 4.4+ and can conflict across processes), indexes before any write relies on them.
 */
export async function prepareDatabase(db: Db, opts: { currency: string; now: number }): Promise<void> {
  await checkSchemaVersion(db, opts.now);
  const existing = new Set((await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name));
  for (const name of Object.values(COLLECTIONS) as CollectionName[]) {
    if (!existing.has(name)) await createCollection(db, name);
    const indexes = INDEXES[name];
    if (indexes.length > 0) await db.collection(name).createIndexes(indexes);
  }
  await db
    .collection<CounterDoc>(COLLECTIONS.counters)
    .updateOne({ _id: TRANSFER_COUNTER_ID }, { $setOnInsert: { seq: long(0) } }, { upsert: true })
    .catch(ignoreDuplicate);
  await createSystemAccounts(db, opts);
}

async function createCollection(db: Db, name: string): Promise<void> {
  try {
    await db.createCollection(name);
  } catch (error) {
    if ((error as { code?: unknown }).code !== 48) throw error; // NamespaceExists: another process made it
  }
}

/** An upsert racing another process's upsert of the same _id may lose with E11000: the document exists, which is all we wanted. */
function ignoreDuplicate(error: unknown): void {
  if (!duplicateKeyOf(error)) throw error;
}

async function checkSchemaVersion(db: Db, now: number): Promise<void> {
  const meta = db.collection<MetaDoc>(COLLECTIONS.meta);
  await meta
    .updateOne({ _id: 'schema' }, { $setOnInsert: { version: SCHEMA_VERSION, createdAt: long(now) } }, { upsert: true })
    .catch(ignoreDuplicate);
  const doc = await meta.findOne({ _id: 'schema' });
  const version = doc ? toInt(doc.version, 'meta.version') : SCHEMA_VERSION;
  if (version > SCHEMA_VERSION) {
    throw new StoreError('store/schema_too_new', `database layout v${version} is newer than this code (v${SCHEMA_VERSION})`);
  }
}

/** The system accounts carry the currency chosen when the database was created; a different one now is a config error. */
async function createSystemAccounts(db: Db, { currency, now }: { currency: string; now: number }): Promise<void> {
  const accounts = db.collection<AccountDoc>(COLLECTIONS.accounts);
  for (const [name, id] of Object.entries(SYSTEM_ACCOUNTS) as Array<[keyof typeof SYSTEM_ACCOUNTS, string]>) {
    await accounts
      .updateOne(
        { _id: id },
        { $setOnInsert: { kind: SYSTEM_ACCOUNT_KINDS[name], currency, balanceMinor: long(0), heldMinor: long(0), createdAt: long(now) } },
        { upsert: true },
      )
      .catch(ignoreDuplicate);
  }
  const escrow = await accounts.findOne({ _id: SYSTEM_ACCOUNTS.escrow });
  if (escrow && escrow.currency !== currency) {
    throw new StoreError('store/currency_mismatch', `database currency is ${escrow.currency}, configured ${currency}`);
  }
}
