/**
 * Issue 13, defects 5, 8 and 9: operators' input on the live-event routes. Event ids have their
 * own id space (no table's, lobby's or inherited name), look-ups by a caller's text use own keys
 * only, and every path parameter is validated before anything runs.
 */
import { expect } from 'chai';
import { matchMaker } from '@colyseus/core';
import { bootTestServer, http, type TestServer } from '../support/server.ts';
import { openSqliteStore } from '../../server/store/sqlite/index.ts';
import path from 'node:path';
import fs from 'node:fs';
import os from 'node:os';

const ADMIN = { username: 'input_admin', password: 'input-admin-pass-1' };
const INHERITED = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'prototype'];

describe('operator input on live events (issue 13: defects 5, 8, 9)', function () {
  this.timeout(60_000);
  let srv: TestServer;
  let admin: string;
  const event = (body: Record<string, unknown>) => http(srv.url, 'POST', '/admin/events', { league: 'E0', home: 'Arsenal', away: 'Everton', startsAt: Date.now() + 3_600_000, ...body }, admin);

  describe('on one server', () => {
    before(async () => {
      srv = await bootTestServer({ ADMIN_USERNAME: ADMIN.username, ADMIN_PASSWORD: ADMIN.password, ROULETTE_TABLES: '2' });
      admin = (await http(srv.url, 'POST', '/auth/login', ADMIN)).body.token;
    });
    after(async () => srv?.stop());

    it('defect 5: refuses event ids of tables, the lobby, the demo schedule and inherited names, creating and auditing nothing', async () => {
      const before = (await http(srv.url, 'GET', '/admin/audit?limit=1', undefined, admin)).body.items.length;
      for (const eventId of ['roulette-1', 'roulette-3', 'Roulette-9', 'lobby', 'lobby-x', 'sim-42', ...INHERITED]) {
        const res = await event({ eventId });
        expect(res.status, `${eventId}: ${JSON.stringify(res.body)}`).to.equal(400);
        expect(res.body.error.code).to.equal('http/invalid_body');
        expect(res.body.error.message, eventId).to.include('reserved');
      }
      expect((await http(srv.url, 'GET', '/admin/audit?limit=1', undefined, admin)).body.items).to.have.length(before);
      expect((await matchMaker.query({ name: 'market' }))).to.have.length(0);
      // The tables and the lobby still work.
      expect((await matchMaker.query({ name: 'roulette' })).map((r) => r.roomId).sort()).to.deep.equal(['roulette-1', 'roulette-2']);
      expect(await matchMaker.query({ name: 'lobby' })).to.have.length(1);
      expect((await event({ eventId: 'ars-eve' })).status, 'an ordinary id').to.equal(201);
    });

    it('defect 8: league and team names that objects inherit are plain unknown names, not a 500', async () => {
      for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
        const league = await event({ eventId: `lg-${name.replace(/_/g, 'u')}`, league: name });
        expect(league.status, `league ${name}: ${JSON.stringify(league.body)}`).to.equal(400);
        expect(league.body.error.code).to.equal('event/unknown_league');
        const teams = await event({ eventId: `tm-${name.replace(/_/g, 'u')}`, home: name, away: name });
        expect(teams.status, `teams ${name}: ${JSON.stringify(teams.body)}`).to.equal(201);
        expect(teams.body.lambdaHome).to.be.a('number').and.to.be.greaterThan(0);
      }
    });

    it('defect 9: validates every path parameter of the market and event controls (typed 400, nothing audited)', async () => {
      expect((await event({ eventId: 'paths-1' })).status).to.equal(201);
      const before = (await http(srv.url, 'GET', '/admin/audit?limit=200', undefined, admin)).body.items.length;
      for (const len of [65, 129, 1000, 5000]) {
        for (const action of ['suspend', 'resume', 'void']) {
          const res = await http(srv.url, 'POST', `/admin/events/paths-1/markets/${'m'.repeat(len)}/${action}`, { reason: 'x' }, admin);
          expect(res.status, `${len} ${action}`).to.equal(400);
          expect(res.body.error.code).to.equal('http/invalid_path');
        }
        const resettle = await http(srv.url, 'POST', `/admin/events/paths-1/markets/${'m'.repeat(len)}/resettle`, { reason: 'x', result: { void: true } }, admin);
        expect(resettle.body.error.code).to.equal('http/invalid_path');
        for (const action of ['suspend', 'resume']) {
          expect((await http(srv.url, 'POST', `/admin/events/${'e'.repeat(len)}/${action}`, { reason: 'x' }, admin)).body.error.code).to.equal('http/invalid_path');
        }
        expect((await http(srv.url, 'POST', `/admin/events/${'e'.repeat(len)}/settle`, { reason: 'x', score: { home: 1, away: 0 } }, admin)).body.error.code).to.equal('http/invalid_path');
      }
      expect((await http(srv.url, 'POST', '/admin/events/paths-1/markets/a%20b/suspend', { reason: 'x' }, admin)).body.error.code).to.equal('http/invalid_path');
      // An unknown but well-formed market is the event's refusal, and is audited as refused.
      const unknown = await http(srv.url, 'POST', '/admin/events/paths-1/markets/no_such_market/suspend', { reason: 'x' }, admin);
      expect(unknown.status).to.equal(409);
      expect(unknown.body.error.code).to.equal('market/not_found');
      const after = (await http(srv.url, 'GET', '/admin/audit?limit=200', undefined, admin)).body.items;
      expect(after).to.have.length(before + 1);
      expect(after[0].details).to.include({ ok: false, code: 'market/not_found' });
      // An inherited name as an event id is no event, and the risk view does not mistake a table for one.
      expect((await http(srv.url, 'POST', '/admin/events/constructor/suspend', { reason: 'x' }, admin)).body.error.code).to.equal('event/not_found');
      expect((await http(srv.url, 'GET', '/admin/risk/events/roulette-1', undefined, admin)).body.error.code).to.equal('event/not_found');
      expect((await http(srv.url, 'GET', '/admin/audit/verify', undefined, admin)).body.ok).to.equal(true);
    });
  });

  it('defect 5: an event stored under a reserved id before this check is neither opened nor listed, and the tables start', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'casino-reserved-'));
    const store = await openSqliteStore({ path: path.join(dataDir, 'casino.sqlite') });
    try {
      for (const eventId of ['roulette-3', 'lobby', 'constructor']) {
        await store.games.upsertEvent({ eventId, league: 'E0', home: 'A', away: 'B', lambdaHome: 1.4, lambdaAway: 1.1, startsAt: Date.now() + 3_600_000, status: 'scheduled', minute: 0, score: { home: 0, away: 0 }, updatedAt: Date.now() });
      }
    } finally {
      await store.close();
    }
    srv = await bootTestServer({ ROULETTE_TABLES: '3' }, { dataDir });
    try {
      expect((await matchMaker.query({ name: 'roulette' })).map((r) => r.roomId).sort()).to.deep.equal(['roulette-1', 'roulette-2', 'roulette-3']);
      expect(await matchMaker.query({ name: 'market' })).to.have.length(0);
      expect((await http(srv.url, 'GET', '/events')).body.items).to.deep.equal([]);
    } finally {
      await srv.stop();
    }
  });
});
