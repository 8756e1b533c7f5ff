/**
 * Player protection through the real server (one process): limits set over HTTP and enforced on
 * bets at the table, cooling-off on an injected clock, and a self-exclusion that ends every
 * session, removes the player from every room, refuses joins and cannot be shortened or lifted,
 * while the bets already accepted settle.
 */
import { expect } from 'chai';
import type { Room } from '@colyseus/sdk';
import { Client } from '@colyseus/sdk';
import { bootTestServer, http, registerPlayer, type TestServer } from '../support/server.ts';
import { waitForMessage, waitForState, until } from '../support/wait.ts';
import { PROTECTION_CLOSE_CODE } from '../../rooms/protection.ts';

const DAY_MS = 86_400_000;

describe('player protection (server, one process)', function () {
  this.timeout(60_000);
  let srv: TestServer;
  let offsetMs = 0;

  before(async () => {
    srv = await bootTestServer(
      { DEMO_BALANCE_MINOR: '100000', ROULETTE_TABLES: '2', ROULETTE_BETTING_WINDOW_MS: '2500', ROULETTE_SPIN_MS: '100', ROULETTE_PAUSE_MS: '200', TOKEN_TTL_SECONDS: String(7 * 24 * 3600), ADMIN_USERNAME: 'ops', ADMIN_PASSWORD: 'ops-pass-1' },
      { now: () => Date.now() + offsetMs },
    );
  });
  after(async () => srv?.stop());

  let betSeq = 0;
  /** Bets at the next open betting window (a window the clock jump closed does not count). */
  async function bet(room: Room, stakeMinor: number): Promise<any> {
    for (let attempt = 0; ; attempt++) {
      const { roundId } = await waitForState(room, (s: any) => s.phase === 'betting', 10_000, 'betting to open');
      const reply: any = await room.request('bet', { betId: `pb${++betSeq}`, spot: { kind: 'red' }, stakeMinor });
      if (reply.ok || reply.error.code !== 'bet/betting_closed' || attempt === 3) return reply;
      await waitForState(room, (s: any) => s.roundId !== roundId, 10_000, 'the next round');
    }
  }

  it('enforces a wager limit at the table, and raises it only after the cooling-off period and a confirmation', async () => {
    const p = await registerPlayer(srv, 'lim');
    const set = await http(srv.url, 'PUT', '/protection/limits', { metric: 'wager', period: 'day', valueMinor: 300 }, p.token);
    expect(set.status, JSON.stringify(set.body)).to.equal(200);
    expect(set.body.limits).to.deep.equal({ wager: { day: 300 } });
    const room = await p.client.join('roulette', { tableId: 'roulette-1' });
    expect(await bet(room, 200)).to.include({ ok: true });
    const refused = await bet(room, 200);
    expect(refused).to.deep.include({ ok: false });
    expect(refused.error.code).to.equal('protection/wager_limit');

    const raise = await http(srv.url, 'PUT', '/protection/limits', { metric: 'wager', period: 'day', valueMinor: 1_000 }, p.token);
    expect(raise.body.limits.wager.day, 'the old limit stands').to.equal(300);
    expect(raise.body.pending).to.have.length(1);
    expect((await bet(room, 200)).error.code).to.equal('protection/wager_limit');
    const early = await http(srv.url, 'POST', '/protection/limits/confirm', { metric: 'wager', period: 'day' }, p.token);
    expect(early.status).to.equal(409);
    expect(early.body.error.code).to.equal('protection/cooling_off');

    offsetMs += DAY_MS; // the cooling-off period passes on the server's clock
    const confirmed = await http(srv.url, 'POST', '/protection/limits/confirm', { metric: 'wager', period: 'day' }, p.token);
    expect(confirmed.status, JSON.stringify(confirmed.body)).to.equal(200);
    expect(confirmed.body.limits.wager.day).to.equal(1_000);
    const after = await bet(room, 200);
    expect(after, JSON.stringify(after)).to.include({ ok: true });
    expect(confirmed.body.history.map((e: any) => e.type)).to.include.members(['limit.set', 'limit.increase_requested', 'limit.change_confirmed']);
    await room.leave();
  });

  it('sends a reality check to every room of the player at the interval they chose, and pauses betting until it is acknowledged', async () => {
    const p = await registerPlayer(srv, 'rc');
    const rooms = [await p.client.join('roulette', { tableId: 'roulette-1' }), await p.client.join('roulette', { tableId: 'roulette-2' })];
    const set = await http(srv.url, 'PUT', '/protection/reality-check', { minutes: 5 }, p.token);
    expect(set.body.realityCheckMinutes).to.equal(5);
    const checks = rooms.map((r) => waitForMessage(r, 'realityCheck', () => true, 5_000));
    offsetMs += 5 * 60_000 + 1_000; // five minutes of the session pass on the server's clock
    for (const check of await Promise.all(checks)) {
      expect(check.sessionMs).to.be.at.least(5 * 60_000);
      expect(check).to.include({ paused: true, netResultMinor: 0 });
    }
    const paused = await bet(rooms[0]!, 100);
    expect(paused.error?.code).to.equal('protection/reality_check_pending');
    const ack = await http(srv.url, 'POST', '/protection/reality-check/ack', {}, p.token);
    expect(ack.body.bettingPaused).to.equal(false);
    expect(await bet(rooms[0]!, 100)).to.include({ ok: true });
    for (const r of rooms) await r.leave();
  });

  it('refuses bad limit input with a typed error and changes nothing', async () => {
    const p = await registerPlayer(srv, 'bad');
    for (const body of [{ metric: 'wager', period: 'year', valueMinor: 1 }, { metric: 'wager', period: 'day', valueMinor: -1 }, { metric: 'wager', period: 'day', valueMinor: 1.5 }, { metric: 'x', period: 'day', valueMinor: 1 }]) {
      const res = await http(srv.url, 'PUT', '/protection/limits', body, p.token);
      expect(res.status, JSON.stringify(body)).to.equal(400);
      expect(res.body.error.code).to.equal('http/invalid_body');
    }
    expect((await http(srv.url, 'GET', '/protection', undefined, p.token)).body.limits).to.deep.equal({});
  });

  it('self-exclusion: every session ends, the player leaves every room at once, joins are refused, accepted bets settle, nobody can shorten or lift it', async () => {
    const p = await registerPlayer(srv, 'sx');
    const rooms = [await p.client.join('roulette', { tableId: 'roulette-1' }), await p.client.join('roulette', { tableId: 'roulette-2' })];
    const placed = await bet(rooms[0]!, 500);
    expect(placed).to.include({ ok: true });
    const closed = rooms.map((r) => new Promise<number>((resolve) => r.onLeave((code) => resolve(code))));
    const told = rooms.map((r) => waitForMessage(r, 'protection'));

    const started = Date.now();
    const ex = await http(srv.url, 'POST', '/protection/self-exclusion', { months: 6 }, p.token);
    expect(ex.status, JSON.stringify(ex.body)).to.equal(200);
    expect(ex.body.block).to.include({ kind: 'self_exclusion', permanent: false });
    expect(await Promise.all(closed)).to.deep.equal([PROTECTION_CLOSE_CODE, PROTECTION_CLOSE_CODE]);
    expect(Date.now() - started).to.be.lessThan(1_000);
    for (const m of await Promise.all(told)) expect(m.code).to.equal('protection/excluded');

    const old = await http(srv.url, 'GET', '/wallet', undefined, p.token);
    expect(old.status).to.equal(401);
    expect(old.body.error.code).to.equal('auth/token_revoked');

    const login = await http(srv.url, 'POST', '/auth/login', { username: p.username, password: 'correct-horse-1' });
    expect(login.status).to.equal(200);
    const client = new Client(srv.wsUrl);
    client.auth.token = login.body.token;
    const err: any = await client.join('roulette', { tableId: 'roulette-1' }).then(() => null, (e) => e);
    expect(err?.code).to.equal(403);
    expect(String(err?.message)).to.include('protection/excluded');

    const shorter = await http(srv.url, 'POST', '/protection/time-out', { hours: 24 }, login.body.token);
    expect(shorter.status).to.equal(409);
    expect(shorter.body.error.code).to.equal('protection/cannot_shorten');

    const holdId = `roulette:roulette-1:bet:${placed.bet.betId}`;
    await until(async () => (await srv.app.services.store.wallet.getHold(holdId))?.status !== 'open', 15_000, 'the accepted bet to settle');

    const admin = (await http(srv.url, 'POST', '/auth/login', { username: 'ops', password: 'ops-pass-1' })).body.token;
    const seen = await http(srv.url, 'GET', `/admin/players/${p.userId}/protection`, undefined, admin);
    expect(seen.status).to.equal(200);
    expect(seen.body.block).to.include({ kind: 'self_exclusion' });
    expect(seen.body.history.map((e: any) => e.type)).to.include('block.self_exclusion');
    for (const route of [`/admin/players/${p.userId}/protection`, `/admin/players/${p.userId}/protection/block`]) {
      expect((await http(srv.url, 'DELETE', route, undefined, admin)).status, 'no route lifts a block').to.equal(404);
    }
    expect((await srv.app.services.store.wallet.reconcile()).ok).to.equal(true);
  });
});
