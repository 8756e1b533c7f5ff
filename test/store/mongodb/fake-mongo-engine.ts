/**
 * An in-memory model of the MongoDB commands the adapter uses, for running the store contract
 * through the real driver on machines without a MongoDB server. It is a test double, not a
 * database: it implements only the query and update operators the adapter sends ($eq by value,
 * $in, $lt, $lte, $gt, $gte, $ne, $regex; $set, $setOnInsert, $inc, $max, replacement; $match and
 * $group with $sum), unique indexes, and transactions with snapshot views and first-writer-wins
 * write conflicts (WriteConflict, labelled TransientTransactionError) on documents and unique
 * index entries. Agreement with it shows the adapter's documents, filters and updates say what
 * the adapter means under MongoDB's documented semantics; it cannot show MongoDB agrees.
 */
import { BSON, type Binary, Long, ObjectId, type Document } from 'mongodb';
import type { ReceivedCommand } from './fake-mongod.ts';
import { cursor } from './fake-mongod.ts';

type Doc = Record<string, unknown>;

interface IndexSpec {
  name: string;
  fields: string[];
  unique: boolean;
}

interface Collection {
  docs: Map<string, Doc>;
  indexes: IndexSpec[];
}

type State = Map<string, Collection>; // key: `${db}.${coll}`

interface Txn {
  view: State;
  startVersion: number;
  locks: Set<string>;
  written: Set<string>; // `${ns}\0${idKey}` of documents written
  aborted: boolean;
  committed: boolean;
}

class CommandError extends Error {
  constructor(
    readonly reply: Document,
  ) {
    super(String(reply.errmsg));
  }
}

const writeConflict = () =>
  new CommandError({ ok: 0, code: 112, codeName: 'WriteConflict', errmsg: 'Write conflict during plan execution', errorLabels: ['TransientTransactionError'] });

/** Longs become numbers (the adapter only writes safe integers); everything else is kept. */
function normalize(value: unknown): unknown {
  if (Long.isLong(value)) return value.toNumber();
  if (Array.isArray(value)) return value.map(normalize);
  if (value && typeof value === 'object' && value.constructor === Object) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normalize(v)]));
  }
  return value;
}

const clone = (doc: Doc): Doc => BSON.deserialize(BSON.serialize(doc)) as Doc;

function idKey(id: unknown): string {
  if (id instanceof ObjectId) return `oid:${id.toHexString()}`;
  return `${typeof id}:${typeof id === 'object' ? JSON.stringify(id) : String(id)}`;
}

function compare(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') return Buffer.compare(Buffer.from(a), Buffer.from(b));
  const rank = (v: unknown) => (v === null || v === undefined ? 0 : typeof v === 'number' ? 1 : typeof v === 'string' ? 2 : 3);
  return rank(a) - rank(b);
}

const equal = (a: unknown, b: unknown): boolean =>
  (a === undefined ? null : a) === (b === undefined ? null : b) || (typeof a === 'object' && JSON.stringify(a) === JSON.stringify(b));

function matchesCondition(value: unknown, condition: unknown): boolean {
  const isOps = condition && typeof condition === 'object' && !Array.isArray(condition) && Object.keys(condition).every((k) => k.startsWith('$'));
  if (!isOps) return equal(value, condition);
  return Object.entries(condition as Doc).every(([op, arg]) => {
    switch (op) {
      case '$eq': return equal(value, arg);
      case '$ne': return !equal(value, arg);
      case '$in': return (arg as unknown[]).some((x) => equal(value, x));
      case '$lt': return value !== undefined && value !== null && typeof value === typeof arg && compare(value, arg) < 0;
      case '$lte': return value !== undefined && value !== null && typeof value === typeof arg && compare(value, arg) <= 0;
      case '$gt': return value !== undefined && value !== null && typeof value === typeof arg && compare(value, arg) > 0;
      case '$gte': return value !== undefined && value !== null && typeof value === typeof arg && compare(value, arg) >= 0;
      case '$regex': return typeof value === 'string' && new RegExp(String(arg)).test(value);
      default: throw new CommandError({ ok: 0, code: 2, codeName: 'BadValue', errmsg: `unknown operator: ${op}` });
    }
  });
}

const matches = (doc: Doc, filter: Doc | undefined): boolean =>
  Object.entries(filter ?? {}).every(([field, condition]) => matchesCondition(doc[field], condition));

function sortDocs(docs: Doc[], sort: Doc | undefined): Doc[] {
  if (!sort) return docs;
  const keys = Object.entries(sort) as Array<[string, number]>;
  return [...docs].sort((a, b) => {
    for (const [k, dir] of keys) {
      const c = compare(a[k], b[k]);
      if (c !== 0) return dir < 0 ? -c : c;
    }
    return 0;
  });
}

function applyUpdate(doc: Doc, update: Doc, inserting: boolean): Doc {
  const ops = Object.keys(update);
  if (!ops.some((k) => k.startsWith('$'))) return { _id: doc._id, ...update };
  const next: Doc = { ...doc };
  for (const [op, fields] of Object.entries(update)) {
    for (const [field, value] of Object.entries(fields as Doc)) {
      if (op === '$set' || (op === '$setOnInsert' && inserting)) next[field] = value;
      else if (op === '$inc') {
        const current = next[field] ?? 0;
        if (typeof current !== 'number' || typeof value !== 'number') throw new CommandError({ ok: 0, code: 14, codeName: 'TypeMismatch', errmsg: `cannot $inc ${field}` });
        next[field] = current + value;
      } else if (op === '$max') {
        if (next[field] === undefined || compare(value, next[field]) > 0) next[field] = value;
      } else if (op !== '$setOnInsert') throw new CommandError({ ok: 0, code: 9, codeName: 'FailedToParse', errmsg: `unknown update operator ${op}` });
    }
  }
  return next;
}

/** The fields of an upsert's filter that are plain equalities seed the inserted document. */
function seedFromFilter(filter: Doc): Doc {
  const seed: Doc = {};
  for (const [field, condition] of Object.entries(filter)) {
    const isOps = condition && typeof condition === 'object' && Object.keys(condition).every((k) => k.startsWith('$'));
    if (!isOps) seed[field] = condition;
    else if ((condition as Doc).$eq !== undefined) seed[field] = (condition as Doc).$eq;
  }
  return seed;
}

export class FakeMongoEngine {
  private committed: State = new Map();
  private readonly versions = new Map<string, number>(); // lock key → version of last commit
  private readonly lockedBy = new Map<string, Txn>();
  private readonly txns = new Map<string, Txn>();
  private clock = 0;
  /** Count of write conflicts reported (contention happened). */
  conflicts = 0;

  respond = (cmd: ReceivedCommand): Document | undefined => {
    const body = normalize(cmd.body) as Doc;
    try {
      return this.dispatch(cmd.db, cmd.name, body);
    } catch (error) {
      if (error instanceof CommandError) {
        const txn = this.txnOf(body, false);
        if (txn) this.abort(txn);
        if (error.reply.code === 112) this.conflicts++;
        return error.reply;
      }
      throw error;
    }
  };

  private dispatch(db: string, name: string, body: Doc): Document | undefined {
    switch (name) {
      case 'ping':
      case 'endSessions':
        return { ok: 1 };
      case 'listCollections':
        return cursor(db, '$cmd.listCollections', [...this.committed.keys()].filter((ns) => ns.startsWith(`${db}.`)).map((ns) => ({ name: ns.slice(db.length + 1), type: 'collection' })));
      case 'create':
        this.collection(this.committed, db, String(body.create), true);
        return { ok: 1 };
      case 'createIndexes': {
        const coll = this.collection(this.committed, db, String(body.createIndexes), true)!;
        for (const index of body.indexes as Doc[]) {
          if (!coll.indexes.some((i) => i.name === index.name)) {
            coll.indexes.push({ name: String(index.name), fields: Object.keys(index.key as Doc), unique: index.unique === true });
          }
        }
        return { ok: 1 };
      }
      case 'dropDatabase':
        for (const ns of [...this.committed.keys()]) if (ns.startsWith(`${db}.`)) this.committed.delete(ns);
        return { ok: 1 };
      case 'commitTransaction':
        return this.commit(body);
      case 'abortTransaction': {
        const txn = this.txnOf(body, false);
        if (txn) this.abort(txn);
        return { ok: 1 };
      }
      case 'find':
        return cursor(db, String(body.find), this.find(db, body));
      case 'aggregate':
        return cursor(db, String(body.aggregate), this.aggregate(db, body));
      case 'insert':
        return this.insert(db, body);
      case 'update':
        return this.update(db, body);
      case 'findAndModify':
        return this.findAndModify(db, body);
      default:
        return undefined;
    }
  }

  private txnOf(body: Doc, create: boolean): Txn | null {
    if (!body.lsid || body.txnNumber === undefined || body.autocommit !== false) return null;
    const key = `${(body.lsid as { id: Binary }).id.toString('hex')}:${String(body.txnNumber)}`;
    let txn = this.txns.get(key);
    if (!txn && create && body.startTransaction === true) {
      txn = { view: this.copyState(), startVersion: this.clock, locks: new Set(), written: new Set(), aborted: false, committed: false };
      this.txns.set(key, txn);
    }
    if (!txn && create) throw new CommandError({ ok: 0, code: 251, codeName: 'NoSuchTransaction', errmsg: 'no such transaction', errorLabels: ['TransientTransactionError'] });
    if (txn?.aborted && create) throw new CommandError({ ok: 0, code: 251, codeName: 'NoSuchTransaction', errmsg: 'transaction aborted', errorLabels: ['TransientTransactionError'] });
    return txn ?? null;
  }

  private copyState(): State {
    const copy: State = new Map();
    for (const [ns, coll] of this.committed) copy.set(ns, { docs: new Map(coll.docs), indexes: coll.indexes });
    return copy;
  }

  private collection(state: State, db: string, name: string, create: boolean): Collection | null {
    const ns = `${db}.${name}`;
    let coll = state.get(ns);
    if (!coll && create) {
      coll = { docs: new Map(), indexes: [] };
      state.set(ns, coll);
      if (state !== this.committed && !this.committed.has(ns)) this.committed.set(ns, { docs: new Map(), indexes: coll.indexes });
    }
    return coll ?? null;
  }

  /** The state a command reads and writes: its transaction's view, or the committed state. */
  private target(body: Doc): { state: State; txn: Txn | null } {
    const txn = this.txnOf(body, true);
    return { state: txn ? txn.view : this.committed, txn };
  }

  private find(db: string, body: Doc): Doc[] {
    const { state } = this.target(body);
    const coll = this.collection(state, db, String(body.find), false);
    if (!coll) return [];
    let docs = sortDocs([...coll.docs.values()].filter((d) => matches(d, body.filter as Doc)), body.sort as Doc);
    if (typeof body.limit === 'number' && body.limit > 0) docs = docs.slice(0, body.limit);
    const projection = body.projection as Doc | undefined;
    if (projection && Object.keys(projection).length === 1 && projection._id === 1) return docs.map((d) => ({ _id: d._id }));
    return docs.map(clone);
  }

  private aggregate(db: string, body: Doc): Doc[] {
    const { state } = this.target(body);
    const coll = this.collection(state, db, String(body.aggregate), false);
    let docs: Doc[] = coll ? [...coll.docs.values()] : [];
    for (const stage of body.pipeline as Doc[]) {
      const [op, arg] = Object.entries(stage)[0]!;
      if (op === '$match') docs = docs.filter((d) => matches(d, arg as Doc));
      else if (op === '$group') {
        if (docs.length === 0) return [];
        const { _id, ...accumulators } = arg as Doc;
        const out: Doc = { _id };
        for (const [field, acc] of Object.entries(accumulators)) {
          const sum = (acc as Doc).$sum;
          out[field] = docs.reduce((s, d) => s + (typeof sum === 'string' ? Number(d[sum.slice(1)] ?? 0) : Number(sum)), 0);
        }
        docs = [out];
      } else if (op === '$skip') docs = docs.slice(Number(arg));
      else if (op === '$limit') docs = docs.slice(0, Number(arg));
      else throw new CommandError({ ok: 0, code: 40324, codeName: 'Location40324', errmsg: `unsupported stage ${op}` });
    }
    return docs.map(clone);
  }

  /** Locks a document and its unique index entries for a transaction (first writer wins), or checks them for a plain write. */
  private claim(txn: Txn | null, ns: string, coll: Collection, doc: Doc): string[] {
    const keys = [`${ns}\0${idKey(doc._id)}`];
    for (const index of coll.indexes) {
      if (index.unique) keys.push(`${ns}\0idx:${index.name}:${JSON.stringify(index.fields.map((f) => doc[f] ?? null))}`);
    }
    for (const key of keys) {
      const holder = this.lockedBy.get(key);
      if (txn) {
        if ((holder && holder !== txn) || (this.versions.get(key) ?? 0) > txn.startVersion) throw writeConflict();
      } else if (holder) throw writeConflict();
    }
    if (txn) for (const key of keys) {
      this.lockedBy.set(key, txn);
      txn.locks.add(key);
    }
    return keys;
  }

  private duplicate(ns: string, coll: Collection, doc: Doc, selfKey: string | null): Document | null {
    const indexes: IndexSpec[] = [{ name: '_id_', fields: ['_id'], unique: true }, ...coll.indexes.filter((i) => i.unique)];
    for (const index of indexes) {
      const tuple = JSON.stringify(index.fields.map((f) => (f === '_id' ? idKey(doc._id) : doc[f] ?? null)));
      for (const [key, other] of coll.docs) {
        if (key === selfKey) continue;
        if (JSON.stringify(index.fields.map((f) => (f === '_id' ? idKey(other._id) : other[f] ?? null))) === tuple) {
          const keyValue = Object.fromEntries(index.fields.map((f) => [f, doc[f]]));
          return {
            code: 11000,
            errmsg: `E11000 duplicate key error collection: ${ns} index: ${index.name} dup key: ${JSON.stringify(keyValue)}`,
            keyPattern: Object.fromEntries(index.fields.map((f) => [f, 1])),
            keyValue,
          };
        }
      }
    }
    return null;
  }

  private store(txn: Txn | null, ns: string, coll: Collection, doc: Doc, previousKey: string | null): Document | null {
    const key = idKey(doc._id);
    const dup = this.duplicate(ns, coll, doc, previousKey);
    if (dup) return dup;
    const locks = this.claim(txn, ns, coll, doc);
    if (previousKey) {
      const previous = coll.docs.get(previousKey);
      if (previous) this.claim(txn, ns, coll, previous);
    }
    coll.docs.set(key, clone(doc));
    if (txn) txn.written.add(`${ns}\0${key}`);
    else this.bump(locks);
    return null;
  }

  private bump(keys: Iterable<string>): void {
    this.clock++;
    for (const key of keys) this.versions.set(key, this.clock);
  }

  private insert(db: string, body: Doc): Document {
    const { state, txn } = this.target(body);
    const name = String(body.insert);
    const coll = this.collection(state, db, name, true)!;
    const writeErrors: Document[] = [];
    let n = 0;
    for (const [index, doc] of (body.documents as Doc[]).entries()) {
      const error = this.store(txn, `${db}.${name}`, coll, { _id: doc._id ?? new ObjectId(), ...doc }, null);
      if (error) {
        writeErrors.push({ index, ...error });
        if (body.ordered !== false) break;
      } else n++;
    }
    return this.writeReply(txn, { ok: 1, n, ...(writeErrors.length ? { writeErrors } : {}) });
  }

  private update(db: string, body: Doc): Document {
    const { state, txn } = this.target(body);
    const name = String(body.update);
    const coll = this.collection(state, db, name, true)!;
    const writeErrors: Document[] = [];
    const upserted: Document[] = [];
    let n = 0;
    let nModified = 0;
    for (const [index, u] of (body.updates as Doc[]).entries()) {
      const filter = (u.q ?? {}) as Doc;
      const found = [...coll.docs.entries()].find(([, d]) => matches(d, filter));
      let error: Document | null = null;
      if (found) {
        const next = applyUpdate(found[1], u.u as Doc, false);
        error = this.store(txn, `${db}.${name}`, coll, next, found[0]);
        if (!error) {
          n++;
          nModified++;
        }
      } else if (u.upsert) {
        const doc = applyUpdate(seedFromFilter(filter), u.u as Doc, true);
        if (doc._id === undefined) doc._id = new ObjectId();
        error = this.store(txn, `${db}.${name}`, coll, doc, null);
        if (!error) {
          n++;
          upserted.push({ index, _id: doc._id });
        }
      }
      if (error) {
        writeErrors.push({ index, ...error });
        if (body.ordered !== false) break;
      }
    }
    return this.writeReply(txn, { ok: 1, n, nModified, ...(upserted.length ? { upserted } : {}), ...(writeErrors.length ? { writeErrors } : {}) });
  }

  private findAndModify(db: string, body: Doc): Document {
    const { state, txn } = this.target(body);
    const name = String(body.findAndModify);
    const coll = this.collection(state, db, name, true)!;
    const found = sortDocs([...coll.docs.values()].filter((d) => matches(d, body.query as Doc)), body.sort as Doc)[0];
    if (!found && !body.upsert) return { ok: 1, value: null, lastErrorObject: { n: 0, updatedExisting: false } };
    const next = found ? applyUpdate(found, body.update as Doc, false) : applyUpdate(seedFromFilter(body.query as Doc), body.update as Doc, true);
    const error = this.store(txn, `${db}.${name}`, coll, next, found ? idKey(found._id) : null);
    if (error) throw new CommandError({ ok: 0, ...error, codeName: 'DuplicateKey' });
    return { ok: 1, value: clone(body.new ? next : (found ?? next)), lastErrorObject: { n: 1, updatedExisting: Boolean(found) } };
  }

  /** A write error inside a transaction aborts it, as MongoDB does. */
  private writeReply(txn: Txn | null, reply: Document): Document {
    if (txn && reply.writeErrors) this.abort(txn);
    return reply;
  }

  private commit(body: Doc): Document {
    const txn = this.txnOf(body, false);
    if (txn?.committed) return { ok: 1 }; // a retried commit of a committed transaction
    if (!txn || txn.aborted) {
      return { ok: 0, code: 251, codeName: 'NoSuchTransaction', errmsg: 'no such transaction', errorLabels: ['TransientTransactionError'] };
    }
    for (const written of txn.written) {
      const [ns, key] = written.split('\0') as [string, string];
      const doc = txn.view.get(ns)?.docs.get(key);
      let coll = this.committed.get(ns);
      if (!coll) {
        coll = { docs: new Map(), indexes: txn.view.get(ns)?.indexes ?? [] };
        this.committed.set(ns, coll);
      }
      if (doc) coll.docs.set(key, doc);
    }
    this.bump(txn.locks);
    this.release(txn);
    txn.committed = true;
    return { ok: 1 };
  }

  private abort(txn: Txn): void {
    txn.aborted = true;
    this.release(txn);
  }

  private release(txn: Txn): void {
    for (const key of txn.locks) if (this.lockedBy.get(key) === txn) this.lockedBy.delete(key);
    txn.locks.clear();
  }
}
