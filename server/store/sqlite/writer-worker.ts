/**
 * The SQLite store's writer thread (see writer.ts): owns the write connection and the
 * group-commit queue, runs the calls the main thread posts, and answers each committed batch
 * with one message.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from './connection.ts';
import { createWriteHandlers, type WriteKind } from './writes.ts';
import { WriteQueue } from './write-queue.ts';
import { toWire, type FromWorker, type ToWorker, type WriterWorkerData } from './writer.ts';

/** Ops per transaction on the writer thread (the caller's thread keeps DEFAULT_MAX_BATCH_OPS). */
const THREAD_MAX_BATCH_OPS = 4_000;

const port = parentPort!;
const data = workerData as WriterWorkerData;

type Reply = Extract<FromWorker, { type: 'replies' }>['replies'][number];

try {
  const db = await openDatabase(data.path, data.busyTimeoutMs);
  // Writes wait for another process's lock asynchronously (WriteQueue), statements only briefly.
  db.exec('PRAGMA busy_timeout = 20');
  // The main thread bounds what is outstanding; the queue here takes whatever it was sent. A
  // long batch blocks no event loop here, so batches may be larger: fewer commits under load.
  const created = createWriteHandlers(db, data.ledger);
  const queue = new WriteQueue(db, {
    lockWaitMs: data.queue.lockWaitMs ?? data.busyTimeoutMs,
    maxBatchOps: data.queue.maxBatchOps ?? THREAD_MAX_BATCH_OPS,
    maxPendingOps: Number.MAX_SAFE_INTEGER,
  }, created.hooks);
  const handlers = created.handlers as unknown as Record<WriteKind, (...args: unknown[]) => unknown>;
  let replies: Reply[] = [];
  let replyScheduled = false;

  const send = () => {
    replyScheduled = false;
    const batch = replies;
    replies = [];
    if (batch.length > 0) port.postMessage({ type: 'replies', replies: batch } satisfies FromWorker);
  };
  // A batch settles all its jobs in one go; their reactions run as one run of microtasks, so a
  // reply scheduled as a microtask after the first goes out with the whole batch.
  const answer = (reply: Reply) => {
    replies.push(reply);
    if (!replyScheduled) {
      replyScheduled = true;
      queueMicrotask(() => queueMicrotask(send));
    }
  };

  port.on('message', (msg: ToWorker) => {
    if (msg.type === 'close') {
      queue.close();
      db.close();
      // The last batch's replies are queued as microtasks; send them, then let the thread end.
      setImmediate(() => {
        send();
        port.close();
      });
      return;
    }
    for (const [id, kind, weight, lane, args] of msg.calls) {
      const handler = handlers[kind];
      if (!handler) {
        answer([id, false, toWire(new Error(`unknown store write ${String(kind)}`))]);
        continue;
      }
      queue.enqueue(weight, () => handler(...args), lane).then(
        (value) => answer([id, true, value]),
        (error: unknown) => answer([id, false, toWire(error)]),
      );
    }
  });
  port.postMessage({ type: 'ready' } satisfies FromWorker);
} catch (error) {
  port.postMessage({ type: 'failed', error: toWire(error) } satisfies FromWorker);
}
