/**
 * The adapter driven through the real MongoDB driver against a fake mongod (fake-mongod.ts):
 * start-up refusals, and the exact commands sent for start-up, a wallet transfer, a journal
 * append and a reconciliation. This checks the wire-level shape (filters, guards, read and
 * write concerns, transaction fields), not MongoDB's behaviour; the contract suite does that
 * wherever MONGODB_URL points at a real server.
 */
import { expect } from 'chai';
import { Long, type Document } from 'mongodb';
import { openMongoStore } from '../../../server/store/mongodb/index.ts';
import { COLLECTIONS, INDEXES } from '../../../server/store/mongodb/schema.ts';
import { SYSTEM_ACCOUNTS, type Store } from '../../../server/store/types.ts';
import { expectStoreError } from '../contract/helpers.ts';
import { cursor, FakeMongod, type ReceivedCommand } from './fake-mongod.ts';

const AT = 1_700_000_000_000;
const quick = { serverSelectionTimeoutMS: 2_000, now: () => AT };

function account(id: string, balanceMinor: number): Document {
  return { _id: id, kind: id.startsWith('sys:') ? id.slice(4) : 'player', currency: 'EUR', balanceMinor: Long.fromNumber(balanceMinor), heldMinor: Long.fromNumber(0), createdAt: Long.fromNumber(AT) };
}

/** Canned reads: the accounts below exist, the transfer counter is at 0, nothing else is stored. */
function cannedLedger(cmd: ReceivedCommand): Document | undefined {
  const accounts: Record<string, Document> = { alice: account('alice', 500), bob: account('bob', 0), [SYSTEM_ACCOUNTS.escrow]: account(SYSTEM_ACCOUNTS.escrow, 0) };
  if (cmd.name === 'find' && cmd.body.find === COLLECTIONS.accounts) {
    const ids = (cmd.body.filter?._id?.$in ?? [cmd.body.filter?._id]) as string[];
    return cursor(cmd.db, COLLECTIONS.accounts, ids.filter((id) => accounts[id]).map((id) => accounts[id]!));
  }
  if (cmd.name === 'findAndModify' && cmd.body.findAndModify === COLLECTIONS.counters) {
    return { ok: 1, value: { _id: 'transfers', seq: Long.fromNumber(0), txns: Long.fromNumber(1) }, lastErrorObject: { n: 1, updatedExisting: true } };
  }
  return undefined;
}

describe('mongodb adapter on the wire (fake mongod, real driver)', () => {
  let fake: FakeMongod | null = null;
  let store: Store | null = null;

  afterEach(async () => {
    await store?.close();
    await fake?.stop();
    store = null;
    fake = null;
  });

  async function startFake(opts: ConstructorParameters<typeof FakeMongod>[0]): Promise<FakeMongod> {
    fake = new FakeMongod(opts);
    await fake.start();
    return fake;
  }

  it('reports an unreachable server at start with store/unreachable, without the credentials', async () => {
    const started = Date.now();
    let caught: unknown;
    try {
      await openMongoStore({ url: 'mongodb://app:hunter2@127.0.0.1:1/casino?replicaSet=rs0', serverSelectionTimeoutMS: 300 });
    } catch (error) {
      caught = error;
    }
    expect(caught).to.have.property('code', 'store/unreachable');
    expect((caught as Error).message).to.match(/MongoDB at mongodb:\/\/\*\*\*@127\.0\.0\.1:1\/casino\?replicaSet=rs0 is unreachable/);
    expect((caught as Error).message).to.not.include('hunter2');
    expect(Date.now() - started).to.be.below(5_000);
  });

  it('refuses a standalone server with store/replica_set_required', async () => {
    const server = await startFake({ replicaSet: false });
    await expectStoreError(openMongoStore({ url: server.url, ...quick }), 'store/replica_set_required');
    expect(server.sent('create')).to.have.length(0);
  });

  it('refuses a server older than MongoDB 5.0', async () => {
    const server = await startFake({ replicaSet: true, maxWireVersion: 12 });
    await expectStoreError(openMongoStore({ url: server.url, ...quick }), 'store/unsupported_version');
  });

  it('prepares a fresh database: collections, named indexes, counter, system accounts, all majority + journaled', async () => {
    const server = await startFake({ replicaSet: true });
    store = await openMongoStore({ url: server.url, dbName: 'casino_wire', ...quick });
    await store.ping();

    const created = server.sent('create').map((c) => c.body.create).sort();
    expect(created).to.deep.equal(Object.values(COLLECTIONS).sort());
    const indexes = server.sent('createIndexes').flatMap((c) => (c.body.indexes as Document[]).map((i) => [c.body.createIndexes, i.name, i.unique ?? false]));
    expect(indexes).to.deep.include.members([
      ['transfers', 'transfers_key', true],
      ['transfers', 'transfers_from_seq', false],
      ['transfers', 'transfers_to_seq', false],
      ['holds', 'holds_open_by_id', false],
      ['users', 'users_username_key', true],
      ['journal', 'journal_room_seq', true],
      ['player_rounds', 'player_rounds_recent', false],
    ]);
    expect(indexes).to.have.length(Object.values(INDEXES).flat().length);

    const upserted = server.sent('update').map((c) => [c.body.update, (c.body.updates as Document[])[0]!.q._id]);
    expect(upserted).to.deep.include.members([
      ['meta', 'schema'], ['counters', 'transfers'],
      ...Object.values(SYSTEM_ACCOUNTS).map((id) => ['accounts', id]),
    ]);
    for (const c of server.sent('update')) {
      expect(c.db).to.equal('casino_wire');
      expect(c.body.writeConcern, c.body.update).to.deep.equal({ w: 'majority', j: true, wtimeout: 10_000 });
    }
    const systemAccount = server.sent('update').find((c) => (c.body.updates as Document[])[0]!.q._id === SYSTEM_ACCOUNTS.world)!;
    const insert = (systemAccount.body.updates as Document[])[0]!;
    expect(insert.upsert).to.equal(true);
    expect(Long.isLong(insert.u.$setOnInsert.balanceMinor)).to.equal(true);
    for (const c of server.sent('find')) expect(c.body.readConcern).to.deep.equal({ level: 'majority' });
  });

  it('writes a transfer in one transaction: snapshot reads, guarded updates, one majority + journaled commit', async () => {
    const server = await startFake({ replicaSet: true, respond: cannedLedger });
    store = await openMongoStore({ url: server.url, dbName: 'casino_wire', ...quick });
    const before = server.commands.length;

    const [outcome] = await store.wallet.apply([{ type: 'transfer', key: 'gift:1', fromAccountId: 'alice', toAccountId: 'bob', amountMinor: 300, kind: 'adjustment' }]);
    expect(outcome).to.deep.include({ ok: true, replayed: false, hold: null });
    expect(outcome!.ok && outcome!.transfers[0]).to.include({ seq: 1, id: '1', key: 'gift:1', amountMinor: 300, createdAt: AT });

    const txn = server.commands.slice(before).filter((c) => c.body.lsid && c.name !== 'endSessions');
    expect(txn.map((c) => `${c.name} ${c.body[c.name]}`)).to.deep.equal([
      'findAndModify counters', 'find wallet_keys', 'find accounts', // no hold named, so no hold read
      'update counters', 'update accounts', 'insert transfers', 'insert wallet_keys', 'commitTransaction 1',
    ]);
    const txnNumber = String(txn[0]!.body.txnNumber);
    for (const c of txn) {
      expect(c.body.autocommit, c.name).to.equal(false);
      expect(String(c.body.txnNumber)).to.equal(txnNumber);
      if (c.name !== 'commitTransaction') expect(c.body.writeConcern, `${c.name} carries no write concern inside the transaction`).to.equal(undefined);
    }
    expect(txn[0]!.body.startTransaction).to.equal(true);
    expect(txn[0]!.body.readConcern).to.deep.equal({ level: 'snapshot' });
    expect(txn.slice(1).every((c) => c.body.startTransaction === undefined)).to.equal(true);
    expect(txn[0]!.body.update).to.deep.equal({ $inc: { txns: Long.fromNumber(1) } });

    const commit = txn[txn.length - 1]!;
    expect(commit.db).to.equal('admin');
    expect(commit.body.writeConcern).to.deep.include({ w: 'majority', j: true, wtimeout: 10_000 });

    const counter = (txn[3]!.body.updates as Document[])[0]!;
    expect(counter.q).to.deep.equal({ _id: 'transfers', seq: Long.fromNumber(0) });
    expect(counter.u).to.deep.equal({ $set: { seq: Long.fromNumber(1) } });
    const accounts = (txn[4]!.body.updates as Document[]).map((u) => [u.q, u.u]);
    expect(accounts).to.deep.equal([
      [{ _id: 'alice', balanceMinor: { $gte: Long.fromNumber(300) } }, { $inc: { balanceMinor: Long.fromNumber(-300), heldMinor: Long.fromNumber(0) } }],
      [{ _id: 'bob' }, { $inc: { balanceMinor: Long.fromNumber(300), heldMinor: Long.fromNumber(0) } }],
    ]);
    const [transfer] = txn[5]!.body.documents as Document[];
    expect(transfer).to.deep.include({ _id: Long.fromNumber(1), key: 'gift:1', fromAccountId: 'alice', toAccountId: 'bob', amountMinor: Long.fromNumber(300), kind: 'adjustment', holdId: null, memo: null });
    const [key] = txn[6]!.body.documents as Document[];
    expect(key).to.deep.include({ _id: 'gift:1', transferSeqs: [Long.fromNumber(1)], holdId: null });
    expect(key!.fingerprint).to.equal(JSON.stringify(['transfer', 'gift:1', 'alice', 'bob', 300, 'adjustment', null]));
  });

  it('answers a rejected op without writing anything but the counter lock', async () => {
    const server = await startFake({ replicaSet: true, respond: cannedLedger });
    store = await openMongoStore({ url: server.url, dbName: 'casino_wire', ...quick });
    const before = server.commands.length;
    const [outcome] = await store.wallet.apply([{ type: 'transfer', key: 'gift:2', fromAccountId: 'alice', toAccountId: 'bob', amountMinor: 501, kind: 'adjustment' }]);
    expect(outcome).to.include({ ok: false, code: 'wallet/insufficient_funds' });
    const writes = server.commands.slice(before).filter((c) => ['update', 'insert'].includes(c.name));
    expect(writes).to.deep.equal([]);
  });

  it('retries a transaction that hit a write conflict (TransientTransactionError) and commits once', async () => {
    let conflicts = 1;
    const server = await startFake({
      replicaSet: true,
      respond: (cmd) => {
        if (cmd.name === 'findAndModify' && conflicts > 0) {
          conflicts--;
          return { ok: 0, code: 112, codeName: 'WriteConflict', errmsg: 'Write conflict during plan execution', errorLabels: ['TransientTransactionError'] };
        }
        return cannedLedger(cmd);
      },
    });
    store = await openMongoStore({ url: server.url, dbName: 'casino_wire', ...quick });
    const [outcome] = await store.wallet.apply([{ type: 'transfer', key: 'gift:3', fromAccountId: 'alice', toAccountId: 'bob', amountMinor: 1, kind: 'adjustment' }]);
    expect(outcome).to.include({ ok: true, replayed: false });
    expect(server.sent('findAndModify')).to.have.length(2);
    expect(server.sent('abortTransaction')).to.have.length(1);
    expect(server.sent('commitTransaction')).to.have.length(1);
  });

  it('gives up on lasting write conflicts after the retry budget with store/busy', async () => {
    const server = await startFake({
      replicaSet: true,
      respond: (cmd) => (cmd.name === 'findAndModify'
        ? { ok: 0, code: 112, codeName: 'WriteConflict', errmsg: 'Write conflict', errorLabels: ['TransientTransactionError'] }
        : undefined),
    });
    store = await openMongoStore({ url: server.url, dbName: 'casino_wire', ...quick, retry: { maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 5 } });
    await expectStoreError(store.wallet.apply([{ type: 'transfer', key: 'gift:4', fromAccountId: 'alice', toAccountId: 'bob', amountMinor: 1, kind: 'adjustment' }]), 'store/busy');
    expect(server.sent('findAndModify')).to.have.length(4);
    expect(server.sent('commitTransaction')).to.have.length(0);
  });

  it('reports a server that went away as store/unreachable, and ping fails for /readyz', async () => {
    const server = await startFake({ replicaSet: true });
    store = await openMongoStore({ url: server.url, dbName: 'casino_wire', ...quick, serverSelectionTimeoutMS: 300, retry: { maxTotalMs: 500 } });
    await store.ping();
    await server.stop();
    await expectStoreError(store.ping(), 'store/unreachable');
    await expectStoreError(store.wallet.getAccount('alice'), 'store/unreachable');
    await expectStoreError(store.wallet.apply([{ type: 'transfer', key: 'gift:5', fromAccountId: 'alice', toAccountId: 'bob', amountMinor: 1, kind: 'adjustment' }]), 'store/unreachable');
  });

  it('refuses calls after close with store/closed', async () => {
    const server = await startFake({ replicaSet: true });
    const closing = await openMongoStore({ url: server.url, dbName: 'casino_wire', ...quick });
    await closing.close();
    await expectStoreError(closing.ping(), 'store/closed');
    await expectStoreError(closing.wallet.apply([{ type: 'transfer', key: 'k', fromAccountId: 'a', toAccountId: 'b', amountMinor: 1, kind: 'adjustment' }]), 'store/closed');
  });

  it('appends to a journal in one transaction: fence, sequence check, room document, records', async () => {
    const server = await startFake({ replicaSet: true });
    store = await openMongoStore({ url: server.url, dbName: 'casino_wire', ...quick });
    const before = server.commands.length;
    const records = await store.journal.append('roulette:t1', 1, [{ type: 'round_opened', data: { round: 1 } }], { fence: 3, at: 5 });
    expect(records).to.deep.equal([{ roomId: 'roulette:t1', seq: 1, type: 'round_opened', data: { round: 1 }, at: 5 }]);
    const txn = server.commands.slice(before).filter((c) => c.body.lsid && c.name !== 'endSessions');
    expect(txn.map((c) => `${c.name} ${c.body[c.name]}`)).to.deep.equal([
      'find room_fences', 'update room_fences', 'find journal_rooms', 'update journal_rooms', 'insert journal', 'commitTransaction 1',
    ]);
    expect(txn[0]!.body.readConcern).to.deep.equal({ level: 'snapshot' });
    expect((txn[1]!.body.updates as Document[])[0]).to.deep.include({ q: { _id: 'roulette:t1' }, u: { $set: { fence: Long.fromNumber(3) } }, upsert: true });
    const [record] = txn[4]!.body.documents as Document[];
    expect(record).to.deep.include({ roomId: 'roulette:t1', seq: Long.fromNumber(1), type: 'round_opened', data: '{"round":1}', at: Long.fromNumber(5) });
  });

  it('refuses a journal append out of sequence without writing', async () => {
    const server = await startFake({ replicaSet: true });
    store = await openMongoStore({ url: server.url, dbName: 'casino_wire', ...quick });
    const before = server.commands.length;
    await expectStoreError(store.journal.append('roulette:t1', 2, [{ type: 'x', data: null }]), 'journal/seq_conflict');
    expect(server.commands.slice(before).filter((c) => ['update', 'insert', 'commitTransaction'].includes(c.name))).to.deep.equal([]);
  });

  it('reconciles from one snapshot', async () => {
    const server = await startFake({ replicaSet: true });
    store = await openMongoStore({ url: server.url, dbName: 'casino_wire', ...quick });
    const before = server.commands.length;
    const books = await store.wallet.reconcile();
    expect(books).to.include({ ok: true, sumOfBalancesMinor: 0, transferCount: 0 });
    const reads = server.commands.slice(before).filter((c) => c.name === 'find' || c.name === 'aggregate');
    expect(reads.length).to.be.at.least(5);
    for (const c of reads) expect(c.body.readConcern, `${c.name} ${c.body[c.name]}`).to.deep.include({ level: 'snapshot' });
  });

  it('lists open holds by an escaped, anchored id prefix', async () => {
    const server = await startFake({ replicaSet: true });
    store = await openMongoStore({ url: server.url, dbName: 'casino_wire', ...quick });
    await store.wallet.listOpenHolds({ prefix: 'roulette:t.1*', limit: 10 });
    const find = server.sent('find').find((c) => c.body.find === 'holds')!;
    expect(find.body.filter.status).to.equal('open');
    expect(String(find.body.filter._id.$regex)).to.equal('^roulette\\:t\\.1\\*');
    expect(find.body.sort).to.deep.equal({ _id: 1 });
    expect(find.body.limit).to.equal(10);
  });
});
