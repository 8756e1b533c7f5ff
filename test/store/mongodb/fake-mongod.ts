/**
 * A tiny stand-in for mongod that speaks just enough of the wire protocol (OP_QUERY handshake,
 * OP_MSG commands) for the real driver to connect, so tests can see exactly which commands the
 * adapter sends (filters, updates, read and write concerns, transaction fields) with no MongoDB
 * server on the machine. It stores nothing: every command is answered by `respond`, which by
 * default acknowledges writes and returns empty cursors. Listens on 127.0.0.1 only.
 */
import net from 'node:net';
import { BSON, Long, ObjectId, type Document } from 'mongodb';

const OP_REPLY = 1;
const OP_QUERY = 2004;
const OP_MSG = 2013;

export interface ReceivedCommand {
  db: string;
  name: string;
  body: Document;
}

export interface FakeMongodOptions {
  /** Reply as a replica set primary (true) or a standalone server (false). */
  replicaSet: boolean;
  maxWireVersion?: number;
  /** Answers a command; return undefined for the default answer. */
  respond?: (cmd: ReceivedCommand) => Document | undefined;
}

function readCString(buf: Buffer, at: number): [string, number] {
  const end = buf.indexOf(0, at);
  return [buf.toString('utf8', at, end), end + 1];
}

function deserialize(buf: Buffer): Document {
  return BSON.deserialize(buf, { promoteLongs: false, promoteValues: true });
}

export class FakeMongod {
  readonly commands: ReceivedCommand[] = [];
  private server: net.Server | null = null;
  private readonly sockets = new Set<net.Socket>();
  private port = 0;
  private requestId = 1;

  constructor(private readonly opts: FakeMongodOptions) {}

  get url(): string {
    return `mongodb://127.0.0.1:${this.port}/?directConnection=true`;
  }

  /** Commands the adapter sent, without the driver's handshakes and heartbeats. */
  sent(name?: string): ReceivedCommand[] {
    return this.commands.filter((c) => !['ismaster', 'isMaster', 'hello', 'endSessions'].includes(c.name) && (!name || c.name === name));
  }

  async start(): Promise<void> {
    this.server = net.createServer((socket) => this.serve(socket));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server!.address() as net.AddressInfo).port;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  hello(): Document {
    const me = `127.0.0.1:${this.port}`;
    return {
      ismaster: true,
      isWritablePrimary: true,
      helloOk: true,
      maxBsonObjectSize: 16 * 1024 * 1024,
      maxMessageSizeBytes: 48_000_000,
      maxWriteBatchSize: 100_000,
      localTime: new Date(),
      logicalSessionTimeoutMinutes: 30,
      connectionId: 1,
      minWireVersion: 0,
      maxWireVersion: this.opts.maxWireVersion ?? 21,
      readOnly: false,
      ...(this.opts.replicaSet ? { setName: 'rs0', setVersion: 1, hosts: [me], primary: me, me, electionId: new ObjectId() } : {}),
      ok: 1,
    };
  }

  private serve(socket: net.Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => undefined);
    let pending = Buffer.alloc(0);
    socket.on('data', (chunk) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 16 && pending.length >= pending.readInt32LE(0)) {
        const length = pending.readInt32LE(0);
        const message = pending.subarray(0, length);
        pending = pending.subarray(length);
        const reply = this.handle(message);
        if (reply) socket.write(reply);
      }
    });
  }

  private handle(message: Buffer): Buffer | null {
    const requestId = message.readInt32LE(4);
    const opCode = message.readInt32LE(12);
    if (opCode === OP_QUERY) {
      const [collection, at] = readCString(message, 20);
      const query = deserialize(message.subarray(at + 8));
      const cmd = this.record(collection.split('.')[0]!, query);
      return this.opReply(requestId, this.answer(cmd));
    }
    if (opCode === OP_MSG) {
      let at = 20;
      let body: Document = {};
      while (at < message.length) {
        const kind = message.readUInt8(at);
        at += 1;
        if (kind === 0) {
          const size = message.readInt32LE(at);
          body = { ...deserialize(message.subarray(at, at + size)), ...body };
          at += size;
        } else {
          const size = message.readInt32LE(at);
          const [identifier, docsAt] = readCString(message, at + 4);
          const docs: Document[] = [];
          for (let p = docsAt; p < at + size; ) {
            const docSize = message.readInt32LE(p);
            docs.push(deserialize(message.subarray(p, p + docSize)));
            p += docSize;
          }
          body[identifier] = docs;
          at += size;
        }
      }
      const cmd = this.record(String(body.$db ?? 'admin'), body);
      return this.opMsg(requestId, this.answer(cmd));
    }
    return null;
  }

  private record(db: string, body: Document): ReceivedCommand {
    const cmd = { db, name: Object.keys(body)[0]!, body };
    this.commands.push(cmd);
    return cmd;
  }

  private answer(cmd: ReceivedCommand): Document {
    if (['ismaster', 'isMaster', 'hello'].includes(cmd.name)) return this.hello();
    return this.opts.respond?.(cmd) ?? defaultAnswer(cmd);
  }

  private header(length: number, responseTo: number, opCode: number): Buffer {
    const header = Buffer.alloc(16);
    header.writeInt32LE(length, 0);
    header.writeInt32LE(this.requestId++, 4);
    header.writeInt32LE(responseTo, 8);
    header.writeInt32LE(opCode, 12);
    return header;
  }

  private opReply(responseTo: number, doc: Document): Buffer {
    const body = Buffer.from(BSON.serialize(doc));
    const fixed = Buffer.alloc(20);
    fixed.writeInt32LE(0, 0); // responseFlags
    fixed.writeBigInt64LE(0n, 4); // cursorID
    fixed.writeInt32LE(0, 12); // startingFrom
    fixed.writeInt32LE(1, 16); // numberReturned
    return Buffer.concat([this.header(16 + 20 + body.length, responseTo, OP_REPLY), fixed, body]);
  }

  private opMsg(responseTo: number, doc: Document): Buffer {
    const body = Buffer.from(BSON.serialize(doc));
    const flags = Buffer.alloc(5); // flagBits 0, then section kind 0
    return Buffer.concat([this.header(16 + 5 + body.length, responseTo, OP_MSG), flags, body]);
  }
}

/** A cursor reply with one batch and no more. */
export function cursor(db: string, collection: string, docs: Document[]): Document {
  return { cursor: { id: Long.fromNumber(0), ns: `${db}.${collection}`, firstBatch: docs }, ok: 1 };
}

export function defaultAnswer(cmd: ReceivedCommand): Document {
  const { name, body, db } = cmd;
  switch (name) {
    case 'ping':
    case 'endSessions':
    case 'create':
    case 'commitTransaction':
    case 'abortTransaction':
      return { ok: 1 };
    case 'createIndexes':
      return { ok: 1, numIndexesBefore: 1, numIndexesAfter: 1 + (body.indexes as unknown[]).length };
    case 'listCollections':
      return cursor(db, '$cmd.listCollections', []);
    case 'find':
    case 'aggregate':
      return cursor(db, String(body[name]), []);
    case 'insert':
      return { ok: 1, n: (body.documents as unknown[]).length };
    case 'update':
      return { ok: 1, n: (body.updates as unknown[]).length, nModified: (body.updates as unknown[]).length };
    case 'findAndModify':
      return { ok: 1, value: null, lastErrorObject: { n: 0, updatedExisting: false } };
    default:
      return { ok: 0, errmsg: `no such command: '${name}'`, code: 59, codeName: 'CommandNotFound' };
  }
}
