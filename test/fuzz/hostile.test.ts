/**
 * The fuzz suite (issue 13): more than 10,000 generated bad inputs (fast-check, fixed seeds, so a
 * failure replays) against one real server: HTTP requests on every route family, matchmaking
 * requests, room messages through the SDK, and raw WebSocket frames. Every answer must be a
 * typed 4xx (`{ error: { code, message } }`) or a typed room reply (`{ ok: false, error }`), never
 * a 5xx; afterwards the process still serves, the books reconcile and the audit chain verifies.
 * Set FUZZ_SEED to explore other inputs, FUZZ_SCALE (e.g. 5) for a longer run.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import type { Room } from '@colyseus/sdk';
import WebSocket from 'ws';
import { bootTestServer, http, registerPlayer, type TestServer } from '../support/server.ts';
import { builtInPrototypeKeys, frameCase, httpCase, matchmakeCase, messageCase, type HttpCase, type MatchmakeCase, type MessageCase } from './arbitraries.ts';

const SEED = Number(process.env.FUZZ_SEED ?? 20260513);
const SCALE = Number(process.env.FUZZ_SCALE ?? 1);
const COUNTS = { http: 4000 * SCALE, matchmake: 2500 * SCALE, messages: 2500 * SCALE, frames: 1500 * SCALE };
const EVENT_ID = 'fuzz-ev';
const ADMIN = { username: 'fuzz_admin', password: 'fuzz-admin-pass-1' };
const TYPED = /^[a-z_]+\/[a-z_]+$/;

/** Samples `n` values of `arb` reproducibly (seed + a per-part offset). */
function sample<T>(arb: fc.Arbitrary<T>, n: number, part: number): T[] {
  return fc.sample(arb, { numRuns: n, seed: SEED + part });
}

/** Runs `fn` over `items`, `parallel` at a time. */
async function pool<T>(items: T[], parallel: number, fn: (item: T, i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: parallel }, async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i]!, i);
    }
  }));
}

interface Tally {
  sent: number;
  refused: number;
  codes: Map<string, number>;
}
const tally = (): Tally => ({ sent: 0, refused: 0, codes: new Map() });
const count = (t: Tally, code: string) => t.codes.set(code, (t.codes.get(code) ?? 0) + 1);
const top = (t: Tally) => [...t.codes.entries()].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([c, n]) => `${c} ${n}`).join(', ');

function expectTypedError(body: unknown, what: string): string {
  const err = (body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  expect(err, `${what}: untyped body ${JSON.stringify(body)?.slice(0, 200)}`).to.be.an('object');
  expect(err!.code, what).to.be.a('string').and.to.match(TYPED);
  expect(err!.message, what).to.be.a('string');
  return err!.code as string;
}

describe('fuzz: hostile clients against a real server (issue 13)', function () {
  this.timeout(180_000);
  let srv: TestServer;
  let admin: string;
  let player: Awaited<ReturnType<typeof registerPlayer>>;
  const totals: Record<string, Tally> = {};
  const pristine = builtInPrototypeKeys();

  before(async () => {
    srv = await bootTestServer({
      ROULETTE_TABLES: '1', CRASH_ROOMS: '1', BLACKJACK_TABLES: '1', ROULETTE_BETTING_WINDOW_MS: '1000', ROULETTE_SPIN_MS: '50', ROULETTE_PAUSE_MS: '50', BET_DELAY_MS: '0',
      ADMIN_USERNAME: ADMIN.username, ADMIN_PASSWORD: ADMIN.password,
      // Room messages are fuzzed for their content, not their rate (the flood tests cover that).
      CLIENT_MESSAGES_PER_SECOND: '10000', CLIENT_DISCONNECT_MESSAGES_PER_SECOND: '100000',
      // Real limits on the expensive paths: every login past these is a cheap typed 429.
      LOGIN_FAILURES_PER_IP: '40', REGISTRATIONS_PER_IP: '200',
      SEAT_RESERVATION_SECONDS: '2', ROOM_CONNECTIONS_PER_PLAYER: '50', FLOOD_BAN_SECONDS: '0',
    });
    admin = (await http(srv.url, 'POST', '/auth/login', ADMIN)).body.token;
    const created = await http(srv.url, 'POST', '/admin/events', { eventId: EVENT_ID, league: 'E0', home: 'Arsenal', away: 'Everton', startsAt: Date.now() + 3_600_000 }, admin);
    expect(created.status, JSON.stringify(created.body)).to.equal(201);
    player = await registerPlayer(srv, 'fuzzp');
  });
  after(async () => {
    for (const [part, t] of Object.entries(totals)) console.log(`      ${part}: ${t.sent} sent, ${t.refused} refused; top codes: ${top(t)}`);
    await srv?.stop();
  });

  it(`answers ${COUNTS.matchmake} generated matchmaking requests with seats or typed 4xx errors`, async () => {
    const t = (totals.matchmaking = tally());
    const cases = sample(matchmakeCase(EVENT_ID), COUNTS.matchmake, 1);
    await pool(cases, 16, async (c: MatchmakeCase) => {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (c.token === 'garbage') headers.authorization = 'Bearer v1.x.y';
      if (c.token === 'player') headers.authorization = `Bearer ${player.token}`;
      const res = await fetch(`${srv.url}/matchmake/${c.method}/${c.room}`, { method: 'POST', headers, body: c.body });
      const body = (await res.json().catch(() => null)) as any;
      t.sent++;
      const what = `${c.method} ${c.room} ${c.body.slice(0, 80)}`;
      expect(res.status, `${what} → ${JSON.stringify(body)?.slice(0, 200)}`).to.be.below(500);
      if (res.status >= 400) {
        t.refused++;
        count(t, expectTypedError(body, what));
      } else {
        expect(body.sessionId, what).to.be.a('string');
      }
    });
    expect(t.refused).to.be.greaterThan(COUNTS.matchmake * 0.8);
  });

  it(`answers ${COUNTS.messages} generated room messages, each with one typed reply`, async () => {
    const t = (totals.messages = tally());
    const players = await Promise.all([0, 1, 2].map((i) => registerPlayer(srv, `fuzzm${i}`)));
    const rooms: Record<MessageCase['room'], Room[]> = { table: [], event: [], lobby: [] };
    const replies = new Map<Room, unknown[]>();
    // The lobby sends its listing on joining: not an answer to anything.
    const joinListing = new Set<Room>();
    const watch = (r: Room, lobby = false): Room => {
      replies.set(r, []);
      if (lobby) joinListing.add(r);
      r.onMessage('*', (type: string | number, msg: unknown) => {
        if (type === 'rooms' && joinListing.delete(r)) return;
        // Every message gets one answer: `<type>:result`, an `error`, or in the lobby a `rooms` listing.
        if (typeof type === 'string' && (type.endsWith(':result') || type === 'error' || type === 'rooms')) replies.get(r)!.push(type === 'rooms' ? { ok: true } : msg);
      });
      return r;
    };
    // Handlers go on at once after each join: the SDK dispatches nothing before the next tick.
    for (const p of players) {
      rooms.table.push(watch(await p.client.joinById('roulette-1')));
      rooms.event.push(watch(await p.client.joinById(EVENT_ID)));
      rooms.lobby.push(watch(await p.client.joinOrCreate('lobby'), true));
    }
    const all = [...rooms.table, ...rooms.event, ...rooms.lobby];
    for (const deadline = Date.now() + 5_000; joinListing.size > 0 && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 5));
    expect(joinListing.size, 'the lobby listings sent on joining').to.equal(0);
    const cases = sample(messageCase(), COUNTS.messages, 2);
    // Lobby `filter` messages are limited to a few a second: send those few, answered as the others.
    for (let from = 0; from < cases.length; from += 60) {
      const batch = cases.slice(from, from + 60);
      const expected = new Map<Room, number>();
      batch.forEach((c, i) => {
        const room = rooms[c.room][i % 3]!;
        expected.set(room, (expected.get(room) ?? 0) + 1);
        room.send(c.type as string, c.payload);
      });
      const deadline = Date.now() + 10_000;
      while ([...expected].some(([r, n]) => replies.get(r)!.length < n) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
      for (const [r, n] of expected) {
        const got = replies.get(r)!.splice(0);
        expect(got.length, `replies in room ${r.roomId}: ${JSON.stringify(got).slice(0, 600)} for ${JSON.stringify(batch.filter((c, i) => rooms[c.room][i % 3] === r)).slice(0, 600)}`).to.equal(n);
        for (const reply of got) {
          t.sent++;
          const rep = reply as { ok?: unknown };
          if (rep.ok === true) continue;
          expect(rep.ok, JSON.stringify(reply)).to.equal(false);
          t.refused++;
          const code = expectTypedError(reply, JSON.stringify(reply));
          expect(code).to.not.equal('server/internal');
          count(t, code);
        }
      }
    }
    for (const r of all) expect(r.connection.isOpen, `${r.roomId} still connected`).to.equal(true);
    await Promise.all(all.map((r) => r.leave()));
  });

  it(`survives ${COUNTS.frames} generated raw WebSocket frames, closing bad connections cleanly`, async () => {
    const t = (totals.frames = tally());
    const players = await Promise.all(Array.from({ length: 20 }, (_, i) => registerPlayer(srv, `fuzzf${i}`)));
    let turn = 0;
    const open = async (): Promise<WebSocket> => {
      for (;;) {
        const p = players[turn++ % players.length]!;
        const seat = await http(srv.url, 'POST', '/matchmake/joinById/roulette-1', {}, p.token);
        if (seat.status === 429) continue; // this player's join budget is spent: the next one
        expect(seat.status, JSON.stringify(seat.body)).to.equal(200);
        const ws = new WebSocket(`${srv.wsUrl}/${seat.body.processId}/${seat.body.roomId}?sessionId=${seat.body.sessionId}`);
        await new Promise((resolve, reject) => {
          ws.once('message', resolve); // JOIN_ROOM: joined
          ws.once('error', reject);
          ws.once('close', (code) => reject(new Error(`closed ${code} while joining`)));
        });
        ws.removeAllListeners();
        ws.on('error', () => undefined);
        return ws;
      }
    };
    const cases = sample(frameCase(), COUNTS.frames, 3);
    let ws = await open();
    let closes = 0;
    for (const c of cases) {
      if (ws.readyState !== WebSocket.OPEN) {
        closes++;
        ws = await open();
      }
      ws.send(c.bytes, { binary: !c.text });
      t.sent++;
      // Let the server act on the frame before the next one (a close must be seen as a close).
      await new Promise((r) => setImmediate(r));
    }
    ws.close();
    count(t, `closed ${closes} connections`);
    // The table still serves a well-behaved player, with typed answers.
    const calm = await registerPlayer(srv, 'fuzzcalm');
    const room = await calm.client.joinById('roulette-1');
    const reply = await room.request('bet', { betId: 'calm-1', spot: { kind: 'nope' }, stakeMinor: 100 });
    expect(reply).to.deep.include({ ok: false });
    expect((reply as any).error.code).to.equal('msg/invalid');
    await room.leave();
  });

  it(`answers ${COUNTS.http} generated HTTP requests with typed errors, never a 5xx`, async () => {
    const t = (totals.http = tally());
    const cases = sample(httpCase({ player: player.token, admin }), COUNTS.http, 4);
    await pool(cases, 16, async (c: HttpCase) => {
      const res = await fetch(srv.url + c.path, { method: c.method, headers: c.headers, body: c.body });
      const textBody = await res.text();
      t.sent++;
      const what = `${c.method} ${c.path.slice(0, 100)} ${JSON.stringify(c.headers)} ${(c.body ?? '').slice(0, 100)}`;
      expect(res.status, `${what} → ${textBody.slice(0, 200)}`).to.be.below(500);
      expect(res.headers.get('x-content-type-options'), what).to.equal('nosniff');
      if (res.status >= 400 && c.method !== 'HEAD') {
        t.refused++;
        let body: unknown = null;
        try {
          body = JSON.parse(textBody);
        } catch {
          // asserted below
        }
        count(t, expectTypedError(body, what));
      }
    });
    expect(t.refused).to.be.greaterThan(COUNTS.http * 0.6);
  });

  it('kept serving: healthy, the books reconcile, the audit chain verifies, over 10,000 inputs sent', async () => {
    expect((await http(srv.url, 'GET', '/healthz')).status).to.equal(200);
    expect((await http(srv.url, 'GET', '/readyz')).status).to.equal(200);
    const books = await srv.app.services.store.wallet.reconcile();
    expect(books.ok, JSON.stringify({ ...books, openHolds: books.openHolds.length })).to.equal(true);
    expect(books.negativeAccounts).to.deep.equal([]);
    const audit = (await http(srv.url, 'GET', '/admin/audit/verify', undefined, admin)).body;
    expect(audit, JSON.stringify(audit)).to.include({ ok: true });
    const sent = Object.values(totals).reduce((n, t) => n + t.sent, 0);
    expect(sent).to.be.at.least(10_000);
    expect(builtInPrototypeKeys(), 'no built-in prototype polluted').to.deep.equal(pristine);
    // A well-behaved player still plays.
    const p = await registerPlayer(srv, 'fuzzafter');
    const login = await http(srv.url, 'POST', '/auth/login', { username: p.username, password: 'correct-horse-1' });
    expect([200, 429]).to.include(login.status);
    const wallet = await http(srv.url, 'GET', '/wallet', undefined, p.token);
    expect(wallet.status).to.equal(200);
  });
});
