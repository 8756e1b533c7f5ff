/**
 * The chaos suite's tools: a private redis-server it may stop and restart, a cluster of real
 * server processes on it, betting bots that follow their rooms wherever they move (re-join by id
 * through any live process, every wait bounded), and the full books check run after each fault.
 */
import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { Client, type Room } from '@colyseus/sdk';
import { evolve as evolveEvent, allBets, type EventState, type SportsEvent } from '../../actors/sportsbook/index.ts';
import { isLegEvent } from '../../actors/multiples/index.ts';
import { freePort, startServerProcess, type ServerProcess } from './process.ts';
import { TEST_METRICS_TOKEN, http } from './server.ts';

export class PrivateRedis {
  private proc: ChildProcess | null = null;
  private constructor(readonly port: number) {}

  static async start(): Promise<PrivateRedis> {
    const r = new PrivateRedis(await freePort());
    await r.restart();
    return r;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Starts it (empty: nothing is saved). */
  async restart(): Promise<void> {
    this.proc = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    const deadline = Date.now() + 10_000;
    while (!(await answers(this.port))) {
      if (Date.now() > deadline) throw new Error('private redis-server did not start');
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async stop(): Promise<void> {
    const p = this.proc;
    this.proc = null;
    if (!p || p.exitCode !== null || p.signalCode !== null) return;
    const exited = new Promise((r) => p.once('exit', r));
    p.kill('SIGKILL');
    await exited;
  }
}

async function answers(port: number): Promise<boolean> {
  const net = await import('node:net');
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.setTimeout(500);
    s.once('connect', () => s.write('PING\r\n'));
    s.once('data', (d) => {
      s.destroy();
      resolve(d.toString().startsWith('+PONG'));
    });
    s.once('error', () => resolve(false));
    s.once('timeout', () => {
      s.destroy();
      resolve(false);
    });
  });
}

export async function startNode(redis: PrivateRedis, env: Record<string, string>): Promise<ServerProcess> {
  const port = await freePort();
  return startServerProcess({ REDIS_URL: redis.url, REDIS_PREFIX: 'chaos:', LEASE_TTL_MS: '1500', OWNERSHIP_POLL_MS: '200', ...env, PORT: String(port), PUBLIC_ADDRESS: `127.0.0.1:${port}` });
}

export const roomsOn = async (node: ServerProcess): Promise<number> => {
  try {
    const res = await fetch(`${node.url}/metrics`, { signal: AbortSignal.timeout(2000), headers: { authorization: `Bearer ${TEST_METRICS_TOKEN}` } });
    return Number(/casino_rooms (\d+)/.exec(await res.text())?.[1] ?? -1);
  } catch {
    return -1;
  }
};

/** Bets acknowledged by the server, by room: the books check proves each is in the journal exactly once. */
export interface Acked {
  roulette: Map<string, Set<string>>;
  market: Map<string, Set<string>>;
}

const withTimeout = <T>(p: Promise<T>, ms: number, what: string): Promise<T> =>
  Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms))]);

/**
 * A player betting at one room in a loop. When its connection closes (room moved: 4100, process
 * died) it re-joins the room by id through any live process; every wait is bounded.
 */
export class Bot {
  private room: Room | null = null;
  private stopped = false;
  private n = 0;
  done: Promise<void> = Promise.resolve();
  joins = 0;

  constructor(
    private readonly name: string,
    private readonly token: string,
    private readonly kind: 'roulette' | 'market',
    private readonly roomId: string,
    private readonly nodes: () => ServerProcess[],
    private readonly acked: Acked,
  ) {}

  start(): void {
    this.done = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.done;
  }

  private async leave(): Promise<void> {
    const room = this.room;
    this.room = null;
    if (room) await withTimeout(room.leave(), 2000, 'leave').catch(() => undefined);
  }

  private async join(): Promise<Room> {
    for (let attempt = 0; ; attempt++) {
      const live = this.nodes();
      const node = live[(attempt + this.name.length) % live.length]!;
      try {
        const client = new Client(node.wsUrl);
        client.auth.token = this.token;
        const room = await withTimeout(client.joinById(this.roomId), 5000, 'join');
        room.onMessage('*', () => undefined);
        room.reconnection.enabled = false;
        this.joins++;
        return room;
      } catch {
        if (this.stopped) throw new Error('stopped');
        await new Promise((r) => setTimeout(r, 150));
      }
    }
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      try {
        this.room ??= await this.join();
        const closed = new Promise<void>((r) => this.room!.onLeave(() => r()));
        while (!this.stopped && this.room.connection.isOpen) {
          const id = `${this.name}-${this.n++}`;
          const reply = await Promise.race([this.bet(this.room, id), closed.then(() => null)]);
          if (reply?.ok) addTo(this.kind === 'roulette' ? this.acked.roulette : this.acked.market, this.roomId, id);
          await new Promise((r) => setTimeout(r, 30));
        }
      } catch {
        // timed out or stopped: start over with a fresh join
      }
      await this.leave();
    }
  }

  private async bet(room: Room, betId: string): Promise<{ ok: boolean } | null> {
    try {
      if (this.kind === 'roulette') {
        if ((room.state as { phase?: string }).phase !== 'betting') return null;
        return await room.request('bet', { betId, spot: { kind: 'red' }, stakeMinor: 10 }, { timeout: 3000 });
      }
      const price = (room.state as any).markets?.get('1x2')?.selections.get('home')?.priceMilli;
      if (!price) return null;
      return await room.request('bet', { betId, marketId: '1x2', selectionId: 'home', stakeMinor: 10, priceMilli: price, acceptance: 'any' }, { timeout: 3000 });
    } catch {
      return null; // no answer: its outcome is unknown to the client, so it is not counted as acknowledged
    }
  }
}

function addTo(map: Map<string, Set<string>>, roomId: string, id: string): void {
  const set = map.get(roomId) ?? new Set<string>();
  set.add(id);
  map.set(roomId, set);
}

export async function registerBots(node: ServerProcess, count: number, rooms: Array<{ kind: 'roulette' | 'market'; roomId: string }>, nodes: () => ServerProcess[], acked: Acked): Promise<Bot[]> {
  const bots: Bot[] = [];
  for (let i = 0; i < count; i++) {
    const res = await http(node.url, 'POST', '/auth/register', { username: `chaos${i}_${Date.now().toString(36)}`, password: 'chaos-pass-1' });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    const { kind, roomId } = rooms[i % rooms.length]!;
    bots.push(new Bot(`b${i}`, res.body.token, kind, roomId, nodes, acked));
  }
  return bots;
}

interface Row {
  [k: string]: unknown;
}

/**
 * The books after a fault, read straight from the store file (all processes stopped):
 * the ledger reconciles; every acknowledged bet is in its room's journal exactly once; no stake
 * is stuck (an open hold belongs to a bet the journal still has open); every captured or refunded
 * stake and every payout matches a journaled settlement, refund or removal; ownership records per
 * room are counted for the caller.
 */
export function checkBooks(dataDir: string, acked: Acked): { ownershipChanges: Map<string, number> } {
  const db = new DatabaseSync(path.join(dataDir, 'casino.sqlite'), { readOnly: true });
  try {
    const sum = db.prepare('SELECT COALESCE(SUM(balance_minor), 0) AS s FROM accounts').get() as Row;
    expect(Number(sum.s), 'sum of balances').to.equal(0);
    const escrow = Number((db.prepare("SELECT balance_minor AS b FROM accounts WHERE id = 'sys:escrow'").get() as Row).b);
    const open = Number((db.prepare("SELECT COALESCE(SUM(amount_minor), 0) AS s FROM holds WHERE status = 'open'").get() as Row).s);
    expect(escrow, 'escrow equals open holds').to.equal(open);
    const negative = db.prepare("SELECT id, balance_minor FROM accounts WHERE balance_minor < 0 AND id != 'sys:world'").all();
    expect(negative, 'negative balances').to.deep.equal([]);

    const records = (roomId: string) =>
      (db.prepare('SELECT type, data FROM journal WHERE room_id = ? ORDER BY seq').all(roomId) as Row[]).map((r) => ({ type: String(r.type), data: JSON.parse(String(r.data)) }));
    const holds = (prefix: string) => db.prepare("SELECT id, status, amount_minor, captured_minor FROM holds WHERE id >= ?1 AND id < ?1 || char(1114111)").all(prefix) as Row[];
    const payout = db.prepare('SELECT amount_minor FROM transfers WHERE key = ?');
    const ownershipChanges = new Map<string, number>();

    const tables = (db.prepare("SELECT room_id FROM journal_rooms WHERE room_id GLOB 'roulette-*'").all() as Row[]).map((r) => String(r.room_id));
    for (const tableId of tables) {
      const journal = records(tableId);
      ownershipChanges.set(tableId, journal.filter((r) => r.type === 'OwnershipTaken').length);
      const placed = journal.filter((r) => r.type === 'BetPlaced').map((r) => String(r.data.betId));
      for (const id of acked.roulette.get(tableId) ?? []) expect(placed.filter((p) => p === id), `acknowledged bet ${id} at ${tableId}`).to.have.length(1);
      const settled = new Map<string, number>();
      const refunded = new Set<string>();
      for (const r of journal) {
        if (r.type === 'RoundSettled') for (const s of r.data.settlements) settled.set(String(s.betId), Number(s.payoutMinor));
        if (r.type === 'RoundVoided') for (const x of r.data.refunds) refunded.add(String(x.betId));
        if (r.type === 'BetRemoved') refunded.add(String(r.data.betId));
      }
      const placedSet = new Set(placed);
      for (const h of holds(`roulette:${tableId}:bet:`)) {
        const betId = String(h.id).slice(`roulette:${tableId}:bet:`.length);
        expect(h.status, `stake of ${betId} at ${tableId} still held after every process stopped`).to.not.equal('open');
        if (h.status === 'captured') {
          expect(settled.has(betId), `captured stake ${betId} has a journaled settlement`).to.equal(true);
          const paid = payout.get(`${h.id}:payout`) as Row | undefined;
          expect(Number(paid?.amount_minor ?? 0), `payout of ${betId}`).to.equal(settled.get(betId));
        } else {
          expect(refunded.has(betId) || !placedSet.has(betId), `released stake ${betId} was refunded or never journaled`).to.equal(true);
        }
      }
    }

    const events = (db.prepare("SELECT room_id FROM journal_rooms WHERE room_id NOT GLOB 'roulette-*' AND room_id NOT GLOB 'slip:*' AND room_id NOT GLOB 'slips-of:*'").all() as Row[]).map((r) => String(r.room_id));
    for (const eventId of events) {
      const journal = records(eventId);
      ownershipChanges.set(eventId, journal.filter((r) => r.type === 'OwnershipTaken').length);
      const requested = journal.filter((r) => r.type === 'BetRequested').map((r) => String(r.data.betId));
      for (const id of acked.market.get(eventId) ?? []) expect(requested.filter((p) => p === id), `acknowledged bet ${id} on ${eventId}`).to.have.length(1);
      let state: EventState | null = null;
      for (const r of journal) if (r.type !== 'OwnershipTaken' && !isLegEvent(r)) state = evolveEvent(state, r.data as SportsEvent);
      const bets = new Map((state ? allBets(state) : []).map((b) => [b.betId, b]));
      for (const h of holds(`market:${eventId}:bet:`)) {
        const betId = String(h.id).slice(`market:${eventId}:bet:`.length);
        const bet = bets.get(betId);
        if (h.status === 'open') expect(bet && (bet.status === 'pending' || bet.status === 'accepted'), `open stake ${betId} on ${eventId} belongs to an open bet`).to.equal(true);
        else if (h.status === 'captured') expect(bet?.outcome === 'won' || bet?.outcome === 'lost' || bet?.outcome === 'cashed_out', `captured stake ${betId} settled in the journal`).to.equal(true);
        else expect(!bet || bet.status === 'rejected' || bet.outcome === 'void', `released stake ${betId} refunded in the journal or never journaled`).to.equal(true);
      }
    }
    return { ownershipChanges };
  } finally {
    db.close();
  }
}
