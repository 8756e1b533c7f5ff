/**
 * The risk stream on the real Redis: a consumer that dies before acknowledging, or after its
 * checkpoint but before the acknowledgement reached Redis, restarts and ends with every event
 * applied exactly once; the stream is bounded.
 */
import { expect } from 'chai';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import type { RiskEvent } from '../../actors/risk/index.ts';
import { createLogger } from '../../server/logger.ts';
import { RiskService } from '../../server/risk/service.ts';
import { RedisRiskStream, type RiskStream } from '../../server/risk/stream.ts';
import { REDIS_URL, cleanRedis, testPrefix } from '../support/cluster.ts';

const log = createLogger('silent');
const noActions = { perform: async () => { throw new Error('no policy should fire here'); } };

function deposits(count: number, from = 0): RiskEvent[] {
  return Array.from({ length: count }, (_, i) => ({
    type: 'deposit' as const, id: `dep-${from + i}`, at: 1_700_000_000_000 + from + i, playerId: `p${(from + i) % 7}`, paymentId: `pay-${from + i}`, amountMinor: 100 + ((from + i) % 13), status: 'captured' as const, instrument: null,
  }));
}

const expectedTotals = (events: RiskEvent[]) => {
  const t: Record<string, number> = {};
  for (const e of events) if (e.type === 'deposit') t[e.playerId] = (t[e.playerId] ?? 0) + e.amountMinor;
  return t;
};
const totalsOf = (svc: RiskService) => Object.fromEntries(Object.values(svc.book.state.players).map((p) => [p.playerId, p.depositMinor]));

/** The real stream, with acknowledgements that can be made to fail (the consumer dies before Redis hears them). */
class AckFaults implements RiskStream {
  failAcks = false;
  constructor(readonly inner: RedisRiskStream) {}
  publish(e: RiskEvent) { return this.inner.publish(e); }
  read(max: number, blockMs: number) { return this.inner.read(max, blockMs); }
  async ack(ids: readonly string[]) {
    if (this.failAcks) throw new Error('consumer died before acknowledging');
    return this.inner.ack(ids);
  }
  lag() { return this.inner.lag(); }
  close() { return this.inner.close(); }
}

describe('risk stream (real Redis)', function () {
  this.timeout(60_000);
  let prefix: string;
  let dir: string;
  const open: RiskStream[] = [];
  beforeEach(() => {
    prefix = testPrefix('risk-stream');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'risk-stream-'));
  });
  afterEach(async () => {
    for (const s of open.splice(0)) await s.close().catch(() => undefined);
    await cleanRedis(prefix);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const service = (stream: RiskStream) => new RiskService({ stream, actions: noActions, policies: [], log, checkpointFile: path.join(dir, 'checkpoint.json'), checkpointEveryMs: 60_000 });
  const stream = () => {
    const s = new RedisRiskStream(REDIS_URL, prefix, 100_000, 'risk-test');
    open.push(s);
    return s;
  };

  it('a consumer that dies before its checkpoint re-reads its pending events: none lost, none applied twice', async () => {
    const producer = stream();
    const first = deposits(1200);
    for (const e of first) await producer.publish(e);
    const a = service(stream());
    // Two batches processed (500 + 500), never checkpointed nor acknowledged: then it dies.
    await a.step(0);
    await a.step(0);
    expect(a.book.state.applied).to.equal(1000);
    const later = deposits(300, 1200);
    for (const e of later) await producer.publish(e);

    const b = service(stream());
    expect(b.book.state.applied, 'nothing was checkpointed').to.equal(0);
    await b.drain();
    expect(b.book.state.applied).to.equal(1500);
    expect(totalsOf(b)).to.deep.equal(expectedTotals([...first, ...later]));
    expect(await producer.lag()).to.equal(0);
  });

  it('a consumer that dies after its checkpoint but before Redis heard the acknowledgement applies nothing twice', async () => {
    const producer = stream();
    const events = deposits(700);
    for (const e of events) await producer.publish(e);
    const faulty = new AckFaults(stream());
    const a = service(faulty);
    faulty.failAcks = true;
    let died = false;
    try {
      await a.drain(); // processes all, checkpoints, then the acknowledgement fails
    } catch {
      died = true;
    }
    expect(died).to.equal(true);
    expect(await producer.lag(), 'still pending in the group').to.equal(700);

    const b = service(stream());
    expect(b.book.state.applied, 'restored from the checkpoint').to.equal(700);
    await b.drain(); // the group re-delivers all 700: each is recognised by its id
    expect(b.book.state.applied).to.equal(700);
    expect(totalsOf(b)).to.deep.equal(expectedTotals(events));
    expect(await producer.lag()).to.equal(0);
  });

  it('publishing the same fact twice is applied once', async () => {
    const producer = stream();
    const [e] = deposits(1);
    await producer.publish(e!);
    await producer.publish(e!);
    const a = service(stream());
    await a.drain();
    expect(a.book.player('p0')!.depositMinor).to.equal(100);
  });

  it('keeps the stream bounded (MAXLEN ~)', async () => {
    const small = new RedisRiskStream(REDIS_URL, prefix, 1_000, 'risk-test');
    open.push(small);
    for (const e of deposits(4_000)) await small.publish(e);
    const redis = new Redis(REDIS_URL);
    try {
      const len = await redis.xlen(small.key);
      expect(len).to.be.at.most(1_200).and.at.least(1_000);
    } finally {
      redis.disconnect();
    }
  });
});
