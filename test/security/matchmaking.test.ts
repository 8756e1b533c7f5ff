/**
 * Issue 13, defects 1, 2, 3 and 12: the matchmaking edge (POST /matchmake/…), tried as an
 * attacker and as a careless client would.
 */
import { expect } from 'chai';
import http from 'node:http';
import { matchMaker } from '@colyseus/core';
import { Client } from '@colyseus/sdk';
import { bootTestServer, http as request, registerPlayer, type TestServer } from '../support/server.ts';
import { waitFor } from '../support/cluster.ts';

/** Sends `n` requests, `parallel` at a time; resolves with every answer. */
async function many<T>(n: number, parallel: number, send: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < n; i += parallel) out.push(...(await Promise.all(Array.from({ length: Math.min(parallel, n - i) }, (_, k) => send(i + k)))));
  return out;
}

function reservedSeats(roomId: string): number {
  const room = matchMaker.getLocalRoomById(roomId) as unknown as { _reservedSeats: Record<string, unknown> };
  return Object.keys(room._reservedSeats).length;
}

function expectTyped(res: { status: number; body: any }, status: number, code: string, what = ''): void {
  expect(res.status, `${what} ${JSON.stringify(res.body)}`).to.equal(status);
  expect(res.body.error, what).to.include({ code });
  expect(res.body.error.message, what).to.be.a('string').and.not.empty;
}

describe('matchmaking edge (issue 13: defects 1, 2, 3, 12)', function () {
  this.timeout(60_000);
  let srv: TestServer;
  afterEach(async () => srv?.stop());

  describe('defect 1: seats are reserved only for authenticated players, within caps, briefly', () => {
    it('refuses 1,000 anonymous seat requests before reserving anything, so a player still joins the table', async () => {
      srv = await bootTestServer({ ROULETTE_TABLES: '2' });
      const answers = await many(1000, 50, () => request(srv.url, 'POST', '/matchmake/joinById/roulette-2', {}));
      expect(answers.every((a) => a.status === 401 && a.body.error.code === 'auth/missing_token'), JSON.stringify(answers.find((a) => a.status !== 401))).to.equal(true);
      expect(reservedSeats('roulette-2')).to.equal(0);
      const p = await registerPlayer(srv, 'mmlegit');
      const room = await p.client.joinById('roulette-2');
      expect(room.roomId).to.equal('roulette-2');
      await room.leave();
    });

    it('caps seat reservations per player and per address with a typed 429 and Retry-After', async () => {
      srv = await bootTestServer({ ROULETTE_TABLES: '1', MATCHMAKE_PER_PLAYER: '10', MATCHMAKE_PER_IP: '25' });
      const p = await registerPlayer(srv, 'mmgreedy');
      const mine = await many(15, 5, () => request(srv.url, 'POST', '/matchmake/joinById/roulette-1', {}, p.token));
      expect(mine.filter((a) => a.status === 200)).to.have.length(10);
      const refused = mine.filter((a) => a.status !== 200);
      expect(refused).to.have.length(5);
      for (const r of refused) expectTyped(r, 429, 'matchmake/rate_limited');
      const res = await fetch(`${srv.url}/matchmake/joinById/roulette-1`, { method: 'POST', headers: { authorization: `Bearer ${p.token}`, 'content-type': 'application/json' }, body: '{}' });
      expect(Number(res.headers.get('retry-after'))).to.be.within(1, 60);

      // Other players from the same address share the address's budget (25 a minute here, 16 spent:
      // refused requests count too).
      const others = await Promise.all(Array.from({ length: 3 }, (_, i) => registerPlayer(srv, `mmpeer${i}`)));
      const fromPeers = await many(12, 4, (i) => request(srv.url, 'POST', '/matchmake/joinById/roulette-1', {}, others[i % 3]!.token));
      expect(fromPeers.filter((a) => a.status === 200)).to.have.length(9);
      for (const r of fromPeers.filter((a) => a.status !== 200)) expectTyped(r, 429, 'matchmake/rate_limited');
    });

    it('lets an unused reservation lapse after SEAT_RESERVATION_SECONDS', async () => {
      srv = await bootTestServer({ ROULETTE_TABLES: '1', SEAT_RESERVATION_SECONDS: '1' });
      const p = await registerPlayer(srv, 'mmlapse');
      expect((await request(srv.url, 'POST', '/matchmake/joinById/roulette-1', {}, p.token)).status).to.equal(200);
      expect(reservedSeats('roulette-1')).to.equal(1);
      await waitFor('the reservation to lapse', async () => reservedSeats('roulette-1') === 0, 3_000, 50);
    });
  });

  describe('defect 2: matchmaking bodies are bounded', () => {
    it('answers an oversized matchmaking body with 413 before reading it, declared or streamed', async () => {
      srv = await bootTestServer({ ROULETTE_TABLES: '1' });
      const declared = await new Promise<{ status: number; body: any; sent: number }>((resolve, reject) => {
        const req = http.request(`${srv.url}/matchmake/joinOrCreate/roulette`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': String(50 * 1024 * 1024) } });
        let sent = 0;
        let answered = false;
        req.on('response', (res) => {
          answered = true;
          let text = '';
          res.on('data', (d) => (text += d));
          res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(text), sent }));
        });
        // The server closes the connection after answering: later writes fail, as they should.
        req.on('error', (e) => (answered ? undefined : reject(e)));
        const chunk = Buffer.alloc(64 * 1024, 0x20);
        const pump = () => {
          while (sent < 50 * 1024 * 1024) {
            sent += chunk.length;
            if (!req.write(chunk)) return void req.once('drain', pump);
          }
          req.end();
        };
        pump();
      });
      expectTyped(declared, 413, 'http/body_too_large', 'declared 50 MB');
      expect(declared.sent, 'bytes sent before the answer').to.be.below(50 * 1024 * 1024);

      // Chunked (no content-length): refused once the limit (16 KiB) is passed.
      const streamed = await new Promise<{ status: number; body: any }>((resolve, reject) => {
        const req = http.request(`${srv.url}/matchmake/joinOrCreate/roulette`, { method: 'POST', headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' } });
        let answered = false;
        req.on('response', (res) => {
          answered = true;
          let text = '';
          res.on('data', (d) => (text += d));
          res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(text) }));
        });
        req.on('error', (e) => (answered ? undefined : reject(e)));
        req.write(`{"pad":"${'x'.repeat(40 * 1024)}`);
      });
      expectTyped(streamed, 413, 'http/body_too_large', 'streamed');
      expect((await request(srv.url, 'GET', '/healthz')).status, 'still serving').to.equal(200);
    });
  });

  describe('defect 3: clients create no rooms', () => {
    it('refuses create for every room type, anonymous or not, and keeps one server-created lobby', async () => {
      srv = await bootTestServer({ ROULETTE_TABLES: '1' });
      const p = await registerPlayer(srv, 'mmcreate');
      const anonymous = await many(200, 50, () => request(srv.url, 'POST', '/matchmake/create/lobby', {}));
      const authed = await many(50, 25, () => request(srv.url, 'POST', '/matchmake/create/lobby', {}, p.token));
      for (const r of [...anonymous, ...authed]) expectTyped(r, 403, 'matchmake/create_forbidden');
      for (const name of ['roulette', 'market']) expectTyped(await request(srv.url, 'POST', `/matchmake/create/${name}`, { tableId: 'mine', eventId: 'mine' }, p.token), 403, 'matchmake/create_forbidden', name);
      const lobbies = await matchMaker.query({ name: 'lobby' });
      expect(lobbies).to.have.length(1);
      // joinOrCreate joins the one lobby, whoever asks.
      const [a, b] = await Promise.all([p.client.joinOrCreate('lobby'), (await registerPlayer(srv, 'mmlobby')).client.joinOrCreate('lobby')]);
      expect(a.roomId).to.equal(lobbies[0]!.roomId).and.to.equal(b.roomId);
      await Promise.all([a.leave(), b.leave()]);
      expect(await matchMaker.query({ name: 'lobby' }), 'the lobby outlives its last client').to.have.length(1);
    });
  });

  describe('defect 12: client mistakes on matchmaking get typed 4xx errors', () => {
    it('maps every mistake to a documented code and status', async () => {
      srv = await bootTestServer({ ROULETTE_TABLES: '1' });
      const p = await registerPlayer(srv, 'mmtyped');
      const t = p.token;
      const raw = (method: string, route: string, body?: string, token?: string) =>
        fetch(srv.url + route, { method, headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body }).then(async (r) => ({ status: r.status, body: await r.json() }));
      const cases: Array<[string, Promise<{ status: number; body: any }>, number, string]> = [
        ['unknown table by id', request(srv.url, 'POST', '/matchmake/joinById/roulette-9', {}, t), 404, 'table/not_found'],
        ['unknown event by id', request(srv.url, 'POST', '/matchmake/joinById/no-such-match', {}, t), 404, 'event/not_found'],
        ['unknown table by filter', request(srv.url, 'POST', '/matchmake/join/roulette', { tableId: 'roulette-9' }, t), 404, 'table/not_found'],
        ['unknown event by filter', request(srv.url, 'POST', '/matchmake/joinOrCreate/market', { eventId: 'nope' }, t), 404, 'event/not_found'],
        ['unknown room type', request(srv.url, 'POST', '/matchmake/join/poker', {}, t), 404, 'matchmake/unknown_room_type'],
        ['inherited name as room type', request(srv.url, 'POST', '/matchmake/join/constructor', {}, t), 404, 'matchmake/unknown_room_type'],
        ['unknown method', request(srv.url, 'POST', '/matchmake/frobnicate/roulette', {}, t), 404, 'matchmake/unknown_method'],
        ['create', request(srv.url, 'POST', '/matchmake/create/roulette', {}, t), 403, 'matchmake/create_forbidden'],
        ['reconnect without token', request(srv.url, 'POST', '/matchmake/reconnect/roulette-1', {}, t), 400, 'matchmake/invalid_options'],
        ['reconnect with a stale token', request(srv.url, 'POST', '/matchmake/reconnect/roulette-1', { reconnectionToken: 'nope' }, t), 410, 'matchmake/reconnect_failed'],
        ['reconnect to a closed room', request(srv.url, 'POST', '/matchmake/reconnect/roulette-7', { reconnectionToken: 'nope' }, t), 410, 'matchmake/reconnect_failed'],
        ['malformed JSON', raw('POST', '/matchmake/joinById/roulette-1', '{', t), 400, 'http/invalid_json'],
        ['array options', raw('POST', '/matchmake/joinById/roulette-1', '[1]', t), 400, 'matchmake/invalid_options'],
        ['mistyped filter', request(srv.url, 'POST', '/matchmake/join/roulette', { tableId: 7 }, t), 400, 'matchmake/invalid_options'],
        // Found by the fuzz: Colyseus calls options.hasOwnProperty(field) on the client's options.
        ['an option shadowing hasOwnProperty', request(srv.url, 'POST', '/matchmake/joinOrCreate/roulette', { hasOwnProperty: 'x' }, t), 400, 'matchmake/invalid_options'],
        ['an option named __proto__', raw('POST', '/matchmake/joinOrCreate/roulette', '{"__proto__":{"tableId":"roulette-1"}}', t), 400, 'matchmake/invalid_options'],
        ['an option named toString', request(srv.url, 'POST', '/matchmake/join/roulette', { toString: 'x', tableId: 'roulette-1' }, t), 400, 'matchmake/invalid_options'],
        ['lone surrogate', raw('POST', '/matchmake/join/roulette', '{"tableId":"\\ud800"}', t), 400, 'http/invalid_text'],
        ['bad percent-encoding', raw('POST', '/matchmake/joinById/%E0%A4%A', '{}', t), 400, 'http/invalid_path'],
        ['odd characters in the id', raw('POST', '/matchmake/joinById/a%20b', '{}', t), 400, 'http/invalid_path'],
        ['GET', raw('GET', '/matchmake/joinById/roulette-1'), 404, 'http/not_found'],
        ['no token', request(srv.url, 'POST', '/matchmake/joinById/roulette-1', {}), 401, 'auth/missing_token'],
        ['bad token', request(srv.url, 'POST', '/matchmake/joinById/roulette-1', {}, 'v1.x.y'), 401, 'auth/invalid_token'],
      ];
      for (const [what, res, status, code] of cases) expectTyped(await res, status, code, what);

      // A locked table: 409, and the SDK's error carries the status and the code.
      await matchMaker.getLocalRoomById('roulette-1')!.lock();
      expectTyped(await request(srv.url, 'POST', '/matchmake/joinById/roulette-1', {}, t), 409, 'matchmake/room_locked', 'locked');
      let err: any = null;
      await p.client.joinById('roulette-9').catch((e) => (err = e));
      expect(err?.code).to.equal(404);
      expect(String(err?.message)).to.match(/^table\/not_found: /);
    });

    it('answers through the SDK with the typed code in the join error', async () => {
      srv = await bootTestServer({ ROULETTE_TABLES: '1' });
      const anonymous = new Client(srv.wsUrl);
      let err: any = null;
      await anonymous.joinById('roulette-1').catch((e) => (err = e));
      expect(err?.code).to.equal(401);
      expect(String(err?.message)).to.match(/^auth\/missing_token: /);
    });
  });
});
