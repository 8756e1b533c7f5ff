/**
 * Issue 13, defects 6 and 15 (and the body limit of defect 2 on every route): CORS, security
 * headers and the metrics endpoint, over real HTTP.
 */
import { expect } from 'chai';
import { bootTestServer, http, registerPlayer, TEST_METRICS_TOKEN, type TestServer } from '../support/server.ts';

const ADMIN = { username: 'edge_admin', password: 'edge-admin-pass-1' };
const EVIL = 'http://evil.example';
const OURS = 'https://casino.example';

async function get(url: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Response> {
  return fetch(url, { method, headers });
}

describe('HTTP edge (issue 13: defects 6, 15, and 2 beyond matchmaking)', function () {
  this.timeout(30_000);
  let srv: TestServer;
  let admin: string;
  before(async () => {
    srv = await bootTestServer({ ADMIN_USERNAME: ADMIN.username, ADMIN_PASSWORD: ADMIN.password, CORS_ORIGINS: OURS, ROULETTE_TABLES: '1', HTTP_BODY_LIMIT_BYTES: '2048' });
    admin = (await http(srv.url, 'POST', '/auth/login', ADMIN)).body.token;
  });
  after(async () => srv?.stop());

  describe('defect 6: CORS follows an allow-list, never credentials for a foreign origin', () => {
    it('gives a foreign origin no CORS headers, even with the auth cookie', async () => {
      const res = await get(`${srv.url}/admin/players`, { origin: EVIL, cookie: `auth_token=${encodeURIComponent(admin)}` });
      expect(res.status, 'the cookie still authenticates a same-site read').to.equal(200);
      expect(res.headers.get('access-control-allow-origin')).to.equal(null);
      expect(res.headers.get('access-control-allow-credentials')).to.equal(null);
      for (const path of ['/matchmake/joinById/roulette-1', '/healthz', '/__healthcheck', '/nope']) {
        const r = await get(`${srv.url}${path}`, { origin: EVIL }, path.startsWith('/matchmake') ? 'POST' : 'GET');
        expect(r.headers.get('access-control-allow-origin'), path).to.equal(null);
        expect(r.headers.get('access-control-allow-credentials'), path).to.equal(null);
      }
    });

    it('refuses a foreign preflight and answers a listed origin\'s', async () => {
      const evil = await get(`${srv.url}/matchmake/joinById/roulette-1`, { origin: EVIL, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization' }, 'OPTIONS');
      expect(evil.status).to.equal(403);
      expect(evil.headers.get('access-control-allow-origin')).to.equal(null);
      const ours = await get(`${srv.url}/matchmake/joinById/roulette-1`, { origin: OURS, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' }, 'OPTIONS');
      expect(ours.status).to.equal(204);
      expect(ours.headers.get('access-control-allow-origin')).to.equal(OURS);
      expect(ours.headers.get('access-control-allow-credentials')).to.equal('true');
      expect(ours.headers.get('access-control-allow-headers')).to.match(/authorization/i);
      const read = await get(`${srv.url}/events`, { origin: OURS });
      expect(read.headers.get('access-control-allow-origin')).to.equal(OURS);
      expect(read.headers.get('vary')).to.match(/origin/i);
    });

  });

  describe('defect 15: security headers everywhere; metrics are not public', () => {
    it('sends the security headers on API, error, framework and page responses', async () => {
      const p = await registerPlayer(srv, 'edgehdr');
      const responses: Array<[string, Response]> = [
        ['/healthz', await get(`${srv.url}/healthz`)],
        ['/wallet', await get(`${srv.url}/wallet`, { authorization: `Bearer ${p.token}` })],
        ['401', await get(`${srv.url}/wallet`)],
        ['404', await get(`${srv.url}/nope`)],
        ['matchmake', await get(`${srv.url}/matchmake/joinById/roulette-1`, {}, 'POST')],
        ['/__healthcheck', await get(`${srv.url}/__healthcheck`)],
        ['/', await get(`${srv.url}/`)],
      ];
      for (const [what, res] of responses) {
        expect(res.headers.get('x-content-type-options'), what).to.equal('nosniff');
        expect(res.headers.get('x-frame-options'), what).to.equal('SAMEORIGIN');
        expect(res.headers.get('content-security-policy'), what).to.include("frame-ancestors 'none'");
        expect(res.headers.get('strict-transport-security'), what).to.match(/max-age=\d+/);
        expect(res.headers.get('referrer-policy'), what).to.equal('no-referrer');
        expect(res.headers.get('cross-origin-opener-policy'), what).to.equal('same-origin');
        expect(res.headers.get('x-powered-by'), what).to.equal(null);
      }
    });

    it('answers GET /metrics only with METRICS_TOKEN or an operator token', async () => {
      const p = await registerPlayer(srv, 'edgemetrics');
      const anonymous = await http(srv.url, 'GET', '/metrics');
      expect(anonymous.status).to.equal(401);
      expect(anonymous.body.error.code).to.equal('auth/missing_token');
      expect((await http(srv.url, 'GET', '/metrics', undefined, p.token)).body.error.code).to.equal('auth/forbidden');
      expect((await http(srv.url, 'GET', '/metrics', undefined, 'not-the-metrics-token-at-all')).status).to.equal(401);
      for (const token of [TEST_METRICS_TOKEN, admin]) {
        const res = await get(`${srv.url}/metrics`, { authorization: `Bearer ${token}` });
        expect(res.status).to.equal(200);
        expect(await res.text()).to.include('casino_stake_minor_total');
      }
    });
  });

  describe('defect 2 on every route: bodies are bounded before they are read', () => {
    it('refuses an oversized body on any route by its declared length, whatever its type', async () => {
      for (const [path, type] of [['/auth/login', 'application/json'], ['/auth/register', 'text/plain'], ['/colyseus/api', 'application/octet-stream'], ['/nope', 'application/json']] as const) {
        const res = await fetch(`${srv.url}${path}`, { method: 'POST', headers: { 'content-type': type }, body: 'x'.repeat(4096) });
        expect(res.status, path).to.equal(413);
        expect(((await res.json()) as any).error.code, path).to.equal('http/body_too_large');
      }
    });
  });

  describe('requests that never reach a route still get typed refusals (found by the every-route fuzz)', () => {
    it('answers a URL over the header limit with a typed 431 and closes', async () => {
      const res = await fetch(`${srv.url}/events?q=${'x'.repeat(20_000)}`);
      expect(res.status).to.equal(431);
      expect(((await res.json()) as any).error.code).to.equal('http/headers_too_large');
      expect((await fetch(`${srv.url}/healthz`)).status, 'the server still answers').to.equal(200);
    });

    it('refuses a path parameter that is not valid percent-encoding as a malformed path', async () => {
      for (const bad of ['%ZZ', '%ED%A0%80', '%E0%A4%A']) {
        const res = await http(srv.url, 'GET', `/admin/players/${bad}`, undefined, admin);
        expect(res.status, bad).to.equal(400);
        expect(res.body.error.code, bad).to.equal('http/invalid_path');
      }
    });

    it('refuses ids that name Object.prototype members on every admin path, and pollutes nothing (the risk resolve once wrote actions onto Object.prototype)', async () => {
      for (const id of ['__proto__', 'constructor', 'prototype']) {
        for (const path of [`/admin/fraud/players/${id}`, `/admin/players/${id}`, `/admin/players/${id}/ledger`]) {
          const res = await http(srv.url, 'GET', path, undefined, admin);
          expect(res.status, path).to.equal(400);
          expect(res.body.error.code, path).to.equal('http/invalid_path');
        }
        const resolve = await http(srv.url, 'POST', `/admin/fraud/players/${id}/resolve`, { note: 'x', clearActions: true }, admin);
        expect(resolve.status, 'resolve').to.equal(400);
      }
      // Ids a client chooses and reads back on such paths are refused where they are chosen.
      const player = await registerPlayer(srv, 'reserved');
      const legs = [{ eventId: 'e1', selections: [{ marketId: '1x2', selectionId: 'home' }], priceMilli: 2000 }, { eventId: 'e2', selections: [{ marketId: '1x2', selectionId: 'home' }], priceMilli: 2000 }];
      for (const slipId of ['__proto__', 'constructor']) {
        const slip = await http(srv.url, 'POST', '/slips', { slipId, type: 'accumulator', stakePerLineMinor: 100, legs }, player.token);
        expect([slip.status, slip.body.error.code, slip.body.error.message], slipId).to.deep.equal([400, 'http/invalid_body', 'slipId: not a valid id']);
      }
      expect(({} as Record<string, unknown>).actions, 'Object.prototype untouched').to.equal(undefined);
      expect(({} as Record<string, unknown>).flaggedAt).to.equal(undefined);
    });

    it('refuses a ledger cursor the store never hands out (leading zero, too long) as a bad query, not a 500', async () => {
      const player = await registerPlayer(srv, 'cursor');
      for (const cursor of ['01086142920', '0', '12345678901234567']) {
        for (const [path, token] of [['/wallet/ledger', player.token], [`/admin/players/${player.userId}/ledger`, admin], ['/admin/audit', admin]] as const) {
          const res = await http(srv.url, 'GET', `${path}?cursor=${cursor}`, undefined, token);
          expect(res.status, `${path} ${cursor}`).to.equal(400);
          expect(res.body.error.code, `${path} ${cursor}`).to.equal('http/invalid_query');
        }
      }
      expect((await http(srv.url, 'GET', '/wallet/ledger?cursor=1086142920', undefined, player.token)).status).to.equal(200);
    });

    it('types the Colyseus monitor\'s own refusals, and a room it cannot find is a 404', async () => {
      const missing = await http(srv.url, 'GET', '/colyseus/api/room', undefined, admin);
      expect(missing.status).to.equal(400);
      expect(missing.body.error.code).to.equal('http/invalid_query');
      const gone = await http(srv.url, 'GET', '/colyseus/api/room?roomId=no-such-room', undefined, admin);
      expect(gone.status).to.equal(404);
      expect(gone.body.error.code).to.equal('http/not_found');
      const listing = await http(srv.url, 'GET', '/colyseus/api', undefined, admin);
      expect(listing.status, 'its answers pass through').to.equal(200);
      expect(listing.body.rooms).to.be.an('array');
    });
  });
});

// Its own server, booted after the suite above has closed its one: Colyseus's matchmaker is one
// per process, and two servers alive at once leave the first one's timers running after close.
describe('HTTP edge, no CORS_ORIGINS (issue 13: defect 6)', function () {
  this.timeout(30_000);
  it('allows nothing cross-origin by default (same origin only)', async () => {
    const plain = await bootTestServer({ ROULETTE_TABLES: '0' });
    try {
      const res = await get(`${plain.url}/events`, { origin: OURS });
      expect(res.headers.get('access-control-allow-origin')).to.equal(null);
      const same = await get(`${plain.url}/events`, { origin: plain.url });
      expect(same.status).to.equal(200);
    } finally {
      await plain.stop();
    }
  });
});
