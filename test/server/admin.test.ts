/**
 * The admin HTTP API against a real server: every admin route refuses players, missing and
 * tampered tokens (table-driven over the routers' own route lists); players, adjustments, risk,
 * platform controls and monitoring work for operators; every action lands in the audit chain.
 */
import { expect } from 'chai';
import type { Room } from '@colyseus/sdk';
import { createAdmin, listRoutes } from '../../server/admin/index.ts';
import { marketRoutes } from '../../rooms/market/routes.ts';
import { pricingRoutes } from '../../server/pricing/routes.ts';
import { stakeFactorRoutes } from '../../server/admin/stake-factors.ts';
import { requireAuth } from '../../server/http/auth.ts';
import { bootTestServer, http, registerPlayer, type TestServer } from '../support/server.ts';
import { waitForState } from '../support/wait.ts';

const ADMIN = { username: 'api_admin', password: 'api-admin-pass-1' };
const PARAMS: Record<string, string> = { userId: 'nobody', eventId: 'no-event', marketId: '1x2', roomId: 'roulette-1', processId: 'self' };

/** The token with its payload's role changed to admin and the original signature kept. */
function tampered(token: string): string {
  const [v, payload, sig] = token.split('.');
  const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString('utf8'));
  return `${v}.${Buffer.from(JSON.stringify({ ...claims, role: 'admin' })).toString('base64url')}.${sig}`;
}

describe('admin API', function () {
  this.timeout(60_000);
  let srv: TestServer;
  let admin: { token: string; userId: string };

  before(async () => {
    srv = await bootTestServer({ ADMIN_USERNAME: ADMIN.username, ADMIN_PASSWORD: ADMIN.password, BET_DELAY_MS: '0', ROULETTE_TABLES: '1' });
    const res = await http(srv.url, 'POST', '/auth/login', ADMIN);
    admin = { token: res.body.token, userId: res.body.userId };
  });
  after(async () => srv?.stop());

  describe('refuses every admin route without an operator or admin token', () => {
    it('covers each route: no token → 401, tampered token → 401, player token → 403, and nothing changes', async () => {
      const { services, features } = srv.app;
      const routers = [
        createAdmin(services, features.events).router,
        marketRoutes(features.events, features.feed, requireAuth(services.tokens, services.auth, ['operator', 'admin']), services.log, undefined, features.pricing, features.prices),
        pricingRoutes(features.pricing, requireAuth(services.tokens, services.auth, ['operator', 'admin'])),
        stakeFactorRoutes(features.stakeFactors, services.store.users, requireAuth(services.tokens, services.auth, ['operator', 'admin']), createAdmin(services, features.events).audit),
      ];
      const routes = routers.flatMap(listRoutes).filter((r) => r.path.startsWith('/admin/'));
      expect(routes.length).to.be.at.least(20);
      expect(routes.map((r) => `${r.method} ${r.path}`)).to.include.members([
        'GET /admin/monitoring', 'GET /admin/reconciliation', 'GET /admin/risk/events/:eventId', 'POST /admin/players/:userId/adjustments',
        'POST /admin/platform/processes/:processId/drain', 'GET /admin/audit/verify', 'POST /admin/events/:eventId/markets/:marketId/suspend',
        'POST /admin/prices', 'GET /admin/pricing/model', 'POST /admin/pricing/refit', 'GET /admin/players/:userId/stake-factor', 'PUT /admin/players/:userId/stake-factor',
      ]);
      const player = await registerPlayer(srv, 'noadmin');
      const cases: Array<[string, string | undefined, number, string]> = [
        ['no token', undefined, 401, 'auth/missing_token'],
        ['tampered token', tampered(player.token), 401, 'auth/invalid_token'],
        ['player token', player.token, 403, 'auth/forbidden'],
      ];
      const body = { reason: 'probe', amountMinor: 100, idempotencyKey: 'probe-1', eventId: 'probe', league: 'E0', home: 'a', away: 'b', startsAt: Date.now(), seq: 1, at: 1, type: 'goal', team: 'home' };
      for (const route of routes) {
        const path = route.path.replace(/:(\w+)/g, (_m, name: string) => PARAMS[name] ?? 'x');
        for (const [label, token, status, code] of cases) {
          const res = await http(srv.url, route.method, path, route.method === 'GET' ? undefined : body, token);
          expect(res.status, `${label}: ${route.method} ${path} → ${JSON.stringify(res.body)}`).to.equal(status);
          expect(res.body.error.code, `${label}: ${route.method} ${path}`).to.equal(code);
        }
      }
      // The cookie is accepted for reads only: a state change with only a cookie is refused too.
      const cookie = await fetch(`${srv.url}/admin/players/${player.userId}/lock`, { method: 'POST', headers: { 'content-type': 'application/json', cookie: `auth_token=${admin.token}` }, body: JSON.stringify({ reason: 'x' }) });
      expect(cookie.status).to.equal(401);
      expect((await srv.app.services.store.audit.list({ limit: 10 })).items).to.deep.equal([]);
      expect((await srv.app.services.store.users.findById(player.userId))!.status).to.equal('active');
    });
  });

  describe('players', () => {
    it('searches by username prefix without exposing password hashes', async () => {
      await registerPlayer(srv, 'findme');
      await registerPlayer(srv, 'findme');
      const res = await http(srv.url, 'GET', '/admin/players?q=FINDME&limit=10', undefined, admin.token);
      expect(res.status).to.equal(200);
      expect(res.body.items).to.have.length(2);
      expect(res.body.items[0]).to.have.keys(['userId', 'username', 'role', 'status', 'createdAt']);
      expect((await http(srv.url, 'GET', '/admin/players?limit=1000', undefined, admin.token)).body.error.code).to.equal('http/invalid_query');
    });

    it('locks (the player can no longer log in or play) and unlocks, each with a reason, audited', async () => {
      const p = await registerPlayer(srv, 'lockme');
      expect((await http(srv.url, 'POST', `/admin/players/${p.userId}/lock`, {}, admin.token)).body.error.code).to.equal('http/invalid_body');
      const locked = await http(srv.url, 'POST', `/admin/players/${p.userId}/lock`, { reason: 'chargeback under review' }, admin.token);
      expect(locked.status, JSON.stringify(locked.body)).to.equal(200);
      expect(locked.body).to.deep.include({ changed: true });
      expect((await http(srv.url, 'GET', '/wallet', undefined, p.token)).body.error.code).to.equal('auth/account_locked');
      const unlocked = await http(srv.url, 'POST', `/admin/players/${p.userId}/unlock`, { reason: 'review cleared' }, admin.token);
      expect(unlocked.body.user.status).to.equal('active');
      expect((await http(srv.url, 'GET', '/wallet', undefined, p.token)).status).to.equal(200);
      const audit = (await http(srv.url, 'GET', '/admin/audit?limit=5', undefined, admin.token)).body.items;
      expect(audit.slice(0, 2).map((e: any) => [e.action, e.target, e.reason, e.actorName])).to.deep.equal([
        ['player.unlock', `user:${p.userId}`, 'review cleared', ADMIN.username],
        ['player.lock', `user:${p.userId}`, 'chargeback under review', ADMIN.username],
      ]);
      expect((await http(srv.url, 'POST', '/admin/players/nobody/lock', { reason: 'x' }, admin.token)).status).to.equal(404);
      expect((await http(srv.url, 'POST', `/admin/players/${admin.userId}/lock`, { reason: 'x' }, admin.token)).body.error.code).to.equal('admin/forbidden_target');
    });

    it('books manual adjustments as idempotent ledger transfers with a mandatory reason; the books balance', async () => {
      const p = await registerPlayer(srv, 'adjust');
      const url = `/admin/players/${p.userId}/adjustments`;
      expect((await http(srv.url, 'POST', url, { amountMinor: 2500, idempotencyKey: 'goodwill-1' }, admin.token)).body.error.code).to.equal('http/invalid_body');
      expect((await http(srv.url, 'POST', url, { amountMinor: 2500, reason: 'goodwill' }, admin.token)).body.error.code).to.equal('admin/idempotency_key_required');
      expect((await http(srv.url, 'POST', url, { amountMinor: 0, reason: 'x', idempotencyKey: 'k0' }, admin.token)).status).to.equal(400);

      const credit = await http(srv.url, 'POST', url, { amountMinor: 2500, reason: 'goodwill for the outage', idempotencyKey: 'goodwill-1' }, admin.token);
      expect(credit.status, JSON.stringify(credit.body)).to.equal(201);
      expect(credit.body).to.deep.include({ replayed: false, amountMinor: 2500 });
      expect(credit.body.wallet.balanceMinor).to.equal(102_500);
      const again = await http(srv.url, 'POST', url, { amountMinor: 2500, reason: 'goodwill for the outage', idempotencyKey: 'goodwill-1' }, admin.token);
      expect(again.status).to.equal(200);
      expect(again.body).to.deep.include({ replayed: true, transferId: credit.body.transferId, auditSeq: null });
      expect(again.body.wallet.balanceMinor).to.equal(102_500);

      const debit = await fetch(`${srv.url}${url}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${admin.token}`, 'idempotency-key': 'fix-2' }, body: JSON.stringify({ amountMinor: -500, reason: 'duplicate bonus' }) });
      expect(debit.status).to.equal(201);
      const tooMuch = await http(srv.url, 'POST', url, { amountMinor: -10_000_000, reason: 'clawback', idempotencyKey: 'big-1' }, admin.token);
      expect(tooMuch.status).to.equal(409);
      expect(tooMuch.body.error.code).to.equal('wallet/insufficient_funds');

      const ledger = (await http(srv.url, 'GET', '/wallet/ledger?limit=5', undefined, p.token)).body.items;
      expect(ledger.filter((t: any) => t.kind === 'adjustment').map((t: any) => t.amountMinor)).to.deep.equal([-500, 2500]);
      expect(ledger[0].memo).to.include('duplicate bonus');
      const detail = (await http(srv.url, 'GET', `/admin/players/${p.userId}`, undefined, admin.token)).body;
      expect(detail.wallet.balanceMinor).to.equal(102_000);
      expect(detail.ledger.items[0].kind).to.equal('adjustment');
      const adjustments = (await http(srv.url, 'GET', '/admin/audit?limit=20', undefined, admin.token)).body.items.filter((e: any) => e.action === 'player.adjust' && e.target === `user:${p.userId}`);
      expect(adjustments.map((e: any) => [e.details.amountMinor, e.details.ok])).to.deep.equal([[-10_000_000, false], [-500, true], [2500, true]]);
      expect((await srv.app.services.store.wallet.reconcile()).ok).to.equal(true);
    });

    it('lets an operator act on players but not on staff accounts', async () => {
      await srv.app.services.auth.register({ username: 'op_one', password: 'operator-pass-1' }, 'operator');
      const op = (await http(srv.url, 'POST', '/auth/login', { username: 'op_one', password: 'operator-pass-1' })).body.token;
      const p = await registerPlayer(srv, 'byop');
      expect((await http(srv.url, 'POST', `/admin/players/${p.userId}/lock`, { reason: 'self-exclusion request' }, op)).status).to.equal(200);
      const res = await http(srv.url, 'POST', `/admin/players/${admin.userId}/adjustments`, { amountMinor: 100, reason: 'x', idempotencyKey: 'k' }, op);
      expect(res.status).to.equal(403);
      expect(res.body.error.code).to.equal('admin/forbidden_target');
    });
  });

  describe('risk, platform and monitoring', () => {
    it('shows liability per selection and the biggest exposure of a live event; market actions are audited', async () => {
      const EVENT = 'admin-risk-1';
      expect((await http(srv.url, 'POST', '/admin/events', { eventId: EVENT, league: 'E0', home: 'Arsenal', away: 'Everton', startsAt: Date.now() + 3_600_000 }, admin.token)).status).to.equal(201);
      const p = await registerPlayer(srv, 'risky');
      const room: Room = await p.client.join('market', { eventId: EVENT });
      room.onMessage('*', () => undefined);
      await waitForState(room, (s: any) => s.markets?.get('1x2')?.status === 'open', 5000, 'markets');
      const price = (room.state as any).markets.get('1x2').selections.get('away').priceMilli;
      const bet: any = await room.request('bet', { betId: 'risk-a', marketId: '1x2', selectionId: 'away', stakeMinor: 4000, priceMilli: price, acceptance: 'any' });
      expect(bet.ok, JSON.stringify(bet)).to.equal(true);

      const risk = (await http(srv.url, 'GET', `/admin/risk/events/${EVENT}`, undefined, admin.token)).body;
      const away = risk.markets.find((m: any) => m.marketId === '1x2').selections.find((s: any) => s.selectionId === 'away');
      expect(away).to.include({ stakeMinor: 4000, bets: 1, liabilityMinor: Math.floor((4000 * bet.priceMilli) / 1000) - 4000 });
      expect(risk.biggestExposures[0]).to.include({ marketId: '1x2', selectionId: 'away' });
      expect(risk.topPlayers[0]).to.include({ playerId: p.userId, username: p.username, stakeMinor: 4000 });
      expect(risk.limits.maxLiabilityPerSelectionMinor).to.be.a('number');
      const overview = (await http(srv.url, 'GET', '/admin/risk', undefined, admin.token)).body.items.find((e: any) => e.eventId === EVENT);
      expect(overview).to.deep.include({ openBets: 1, openStakeMinor: 4000 });
      expect((await http(srv.url, 'GET', '/admin/risk/events/nope', undefined, admin.token)).status).to.equal(404);

      expect((await http(srv.url, 'POST', `/admin/events/${EVENT}/markets/btts/suspend`, { reason: 'suspicious volume' }, admin.token)).status).to.equal(200);
      const refused = await http(srv.url, 'POST', `/admin/events/${EVENT}/markets/btts/suspend`, { reason: 'again' }, admin.token);
      expect(refused.status).to.equal(409);
      const [second, first] = (await http(srv.url, 'GET', '/admin/audit?limit=2', undefined, admin.token)).body.items;
      expect([first.action, first.target, first.reason, first.details.ok]).to.deep.equal(['market.suspend', `event:${EVENT}/market:btts`, 'suspicious volume', true]);
      expect([second.action, second.details.ok, second.details.code]).to.deep.equal(['market.suspend', false, 'market/no_change']);
      await room.leave();
    });

    it('locks a room against new joins and drains this process, and reopens them', async () => {
      const platform = (await http(srv.url, 'GET', '/admin/platform', undefined, admin.token)).body;
      expect(platform.rooms.map((r: any) => r.roomId)).to.include('roulette-1');
      expect(platform.tables.roulette).to.include({ count: 1 });
      expect(platform.processes.map((p: any) => p.processId)).to.include(platform.processId);
      const p = await registerPlayer(srv, 'locked_out');

      expect((await http(srv.url, 'POST', '/admin/platform/rooms/roulette-1/lock', { reason: 'dealer change' }, admin.token)).status).to.equal(200);
      let err: any = null;
      await p.client.joinById('roulette-1').catch((e) => (err = e));
      expect(err?.message).to.match(/locked/);
      expect((await http(srv.url, 'POST', '/admin/platform/rooms/roulette-1/unlock', { reason: 'dealer back' }, admin.token)).status).to.equal(200);
      const room = await p.client.joinById('roulette-1');
      room.onMessage('*', () => undefined);
      await room.leave();

      const drained = await http(srv.url, 'POST', '/admin/platform/processes/self/drain', { reason: 'maintenance' }, admin.token);
      expect(drained.status, JSON.stringify(drained.body)).to.equal(200);
      expect(drained.body.rooms).to.include('roulette-1');
      expect(((await http(srv.url, 'GET', '/admin/platform', undefined, admin.token)).body.rooms as any[]).filter((r) => r.name !== 'lobby').every((r) => r.locked)).to.equal(true);
      err = null;
      await p.client.joinById('roulette-1').catch((e) => (err = e));
      expect(err?.message).to.match(/locked/);
      expect((await http(srv.url, 'POST', '/admin/platform/processes/self/undrain', { reason: 'maintenance over' }, admin.token)).status).to.equal(200);
      const again = await p.client.joinById('roulette-1');
      again.onMessage('*', () => undefined);
      await again.leave();
      expect((await http(srv.url, 'POST', '/admin/platform/processes/nope/drain', { reason: 'x' }, admin.token)).status).to.equal(404);
      expect((await http(srv.url, 'POST', '/admin/platform/rooms/nope/lock', { reason: 'x' }, admin.token)).status).to.equal(404);
    });

    it('reports live monitoring from the metrics registry, and an intact audit chain', async () => {
      const m = (await http(srv.url, 'GET', '/admin/monitoring?points=10', undefined, admin.token)).body;
      expect(m.current).to.include.keys(['clients', 'rooms', 'betsPerSecond', 'stakeMinorTotal', 'ggrMinor', 'errorsPerSecond', 'eventLoopDelayP99Ms']);
      expect(m.current.rooms).to.be.at.least(1);
      expect(m.current.stakeMinorTotal).to.be.at.least(4000);
      expect(m.processes[0]).to.include.keys(['processId', 'roomCount', 'ccu']);
      expect(m.series).to.be.an('array');
      const v = (await http(srv.url, 'GET', '/admin/audit/verify', undefined, admin.token)).body;
      expect(v).to.include({ ok: true, firstBadSeq: null });
      // The books over HTTP: the same reconciliation the load runs check at the end.
      const books = await http(srv.url, 'GET', '/admin/reconciliation', undefined, admin.token);
      expect(books.status).to.equal(200);
      expect(books.body).to.include({ ok: true, sumOfBalancesMinor: 0, receivablesMinor: 0 });
      expect(books.body).to.include.keys(['escrowBalanceMinor', 'openHoldsMinor', 'openHoldCount', 'negativeAccounts', 'receivables', 'receivableCount', 'checkedAt']);
      expect(books.body.escrowBalanceMinor).to.equal(books.body.openHoldsMinor);
      expect(v.entries).to.be.at.least(10);
    });
  });
});
