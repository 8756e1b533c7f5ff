/**
 * The ownership loop (server/cluster/ownership.ts) against the real Redis, several loops in one
 * process standing for several server processes: each room is built once and by its lease holder,
 * rooms spread by hand-over, a dead owner's rooms are adopted, and a Redis that forgot everything
 * changes no owner.
 */
import { expect } from 'chai';
import { Redis } from 'ioredis';
import { LeaseManager } from '../../server/cluster/lease.ts';
import { RoomOwnership } from '../../server/cluster/ownership.ts';
import { createLogger } from '../../server/logger.ts';
import { REDIS_URL, cleanRedis, testPrefix, waitFor } from '../support/cluster.ts';

const TTL_MS = 400;
const POLL_MS = 50;
const ROOMS = ['room-a', 'room-b', 'room-c', 'room-d'];

/** One "process": its Redis connection, its ownership loop and the rooms it runs. */
class Node {
  readonly redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1, enableOfflineQueue: false });
  readonly running = new Set<string>();
  readonly built: string[] = [];
  readonly ownership: RoomOwnership;

  constructor(name: string, prefix: string, built: Map<string, string[]>) {
    this.redis.on('error', () => undefined);
    this.ownership = new RoomOwnership({
      leases: new LeaseManager(this.redis, prefix, name, TTL_MS),
      redis: this.redis,
      prefix,
      pollMs: POLL_MS,
      log: createLogger('silent'),
      desired: async () =>
        ROOMS.map((roomId) => ({
          roomId,
          create: async () => {
            this.running.add(roomId);
            this.built.push(roomId);
            built.set(roomId, [...(built.get(roomId) ?? []), name]);
          },
        })),
      relinquish: async (roomId) => void this.running.delete(roomId),
      handOver: async (roomId) => void this.running.delete(roomId),
      exists: (roomId) => this.running.has(roomId),
    });
  }
}

describe('cluster ownership loop (real Redis, loops standing for processes)', function () {
  this.timeout(30_000);
  let prefix: string;
  let nodes: Node[];
  let built: Map<string, string[]>;
  const owners = () => ROOMS.map((r) => nodes.filter((n) => n.running.has(r)).length);

  beforeEach(() => {
    prefix = testPrefix('ownership');
    nodes = [];
    built = new Map();
  });
  afterEach(async () => {
    for (const n of nodes) {
      await n.ownership.drain().catch(() => undefined);
      n.redis.disconnect();
    }
    await cleanRedis(prefix);
  });

  it('builds each room once, on its lease holder, and spreads the rooms over the processes by hand-over', async () => {
    nodes.push(new Node('A', prefix, built));
    nodes[0]!.ownership.start();
    await waitFor('every room on A', async () => nodes[0]!.running.size === ROOMS.length);
    nodes.push(new Node('B', prefix, built));
    nodes[1]!.ownership.start();
    await waitFor('B has its share', async () => nodes[1]!.running.size === 2 && nodes[0]!.running.size === 2, 20_000, 20);
    expect(owners(), 'one owner per room').to.deep.equal([1, 1, 1, 1]);
    for (const [roomId, by] of built) expect(by.length, `${roomId} built ${by.join(',')}`).to.be.at.most(2);
    for (const n of nodes) for (const roomId of n.running) expect(n.ownership.fenceOf(roomId), `${roomId} on its lease holder`).to.be.a('number');
  });

  it('adopts the rooms of a process whose leases lapse (it died) within a lease period and a poll or two', async () => {
    nodes.push(new Node('A', prefix, built), new Node('B', prefix, built));
    nodes[0]!.ownership.start();
    await waitFor('every room on A', async () => nodes[0]!.running.size === ROOMS.length);
    nodes[1]!.ownership.start();
    await waitFor('B polling', async () => (await nodes[1]!.redis.zcard(`${prefix}processes`)) === 2);
    const died = Date.now();
    nodes[0]!.redis.disconnect(); // A can no longer renew: to the cluster it is dead
    await waitFor('every room adopted by B', async () => nodes[1]!.running.size === ROOMS.length, 10_000, 10);
    const tookMs = Date.now() - died;
    expect(tookMs, `adopted after ${tookMs} ms`).to.be.lessThan(TTL_MS + 6 * POLL_MS + 500);
  });

  it('changes no owner when Redis forgets every key: owners re-assert their leases during the quiet period', async () => {
    nodes.push(new Node('A', prefix, built), new Node('B', prefix, built));
    for (const n of nodes) n.ownership.start();
    await waitFor('rooms spread', async () => nodes.every((n) => n.running.size === 2), 20_000, 20);
    const before = nodes.map((n) => [...n.running].sort());
    const builtBefore = nodes.map((n) => n.built.length);
    await cleanRedis(prefix); // as a Redis restarted empty
    await new Promise((r) => setTimeout(r, 4 * TTL_MS)); // several lease periods: anyone could have taken a free lease
    expect(nodes.map((n) => [...n.running].sort()), 'same rooms on the same processes').to.deep.equal(before);
    expect(nodes.map((n) => n.built.length), 'nothing rebuilt').to.deep.equal(builtBefore);
    for (const roomId of ROOMS) expect(await nodes[0]!.redis.get(`${prefix}lease:${roomId}`), `${roomId} re-asserted`).to.be.a('string');
  });
});
