/**
 * Regulator reports and game recall through the real server: a day's stakes, payouts, GGR, bonus
 * cost and NGR per game from the ledger, protection events, CSV and JSON with the export's hash in
 * the audit chain; and a player's last rounds with their fairness records.
 */
import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { bootTestServer, http, registerPlayer, type TestServer } from '../support/server.ts';
import { until, waitForState } from '../support/wait.ts';
import { canonicalJson } from '../../server/store/audit-chain.ts';

describe('regulator reports and game recall (server)', function () {
  this.timeout(60_000);
  let srv: TestServer;
  let admin: string;
  before(async () => {
    srv = await bootTestServer({ ROULETTE_TABLES: '1', ROULETTE_BETTING_WINDOW_MS: '1500', ROULETTE_SPIN_MS: '100', ROULETTE_PAUSE_MS: '300', ADMIN_USERNAME: 'reg_ops', ADMIN_PASSWORD: 'reg-ops-pass-1' });
    admin = (await http(srv.url, 'POST', '/auth/login', { username: 'reg_ops', password: 'reg-ops-pass-1' })).body.token;
  });
  after(async () => srv?.stop());

  it('reports the day per game from the ledger, with protection events, as JSON and CSV whose hash is in the audit chain', async () => {
    const p = await registerPlayer(srv, 'reg');
    const q = await registerPlayer(srv, 'reg');
    await http(srv.url, 'PUT', '/protection/limits', { metric: 'loss', period: 'week', valueMinor: 50_000 }, q.token);
    await http(srv.url, 'POST', '/protection/time-out', { hours: 24 }, q.token);
    const room = await p.client.join('roulette', { tableId: 'roulette-1' });
    await waitForState(room, (s: any) => s.phase === 'betting', 10_000, 'betting');
    const stakes = [100, 250, 40];
    for (const [i, stakeMinor] of stakes.entries()) expect(await room.request('bet', { betId: `rep-${i}`, spot: { kind: i === 0 ? 'red' : 'black' }, stakeMinor })).to.include({ ok: true });
    await until(async () => (await Promise.all(stakes.map((_, i) => srv.app.services.store.wallet.getHold(`roulette:roulette-1:bet:rep-${i}`)))).every((h) => h?.status === 'captured'), 15_000, 'the round to settle');
    await room.leave();
    const ledger = (await http(srv.url, 'GET', '/wallet/ledger?limit=50', undefined, p.token)).body.items as Array<{ kind: string; amountMinor: number }>;
    const paid = ledger.filter((t) => t.kind === 'payout').reduce((s, t) => s + t.amountMinor, 0);

    const date = new Date().toISOString().slice(0, 10);
    const res = await fetch(`${srv.url}/admin/reports/daily?date=${date}`, { headers: { authorization: `Bearer ${admin}` } });
    const report = await res.json() as any;
    expect(res.status, JSON.stringify(report)).to.equal(200);
    expect(report.games).to.deep.equal([{ game: 'roulette', betsSettled: 3, stakesMinor: 390, payoutsMinor: paid, ggrMinor: 390 - paid }]);
    expect(report.totals).to.deep.equal({ stakesMinor: 390, payoutsMinor: paid, ggrMinor: 390 - paid, bonusCostMinor: 200_000, ngrMinor: 390 - paid - 200_000 });
    expect(report.protectionEvents).to.deep.include({ 'limit.set': 1, 'block.time_out': 1 });
    expect(report.truncated).to.equal(false);
    const { sha256, ...body } = report;
    expect(createHash('sha256').update(canonicalJson(body)).digest('hex'), 'the hash is of the report itself').to.equal(sha256);
    expect(res.headers.get('x-report-sha256')).to.equal(sha256);

    const csv = await fetch(`${srv.url}/admin/reports/daily?date=${date}&format=csv`, { headers: { authorization: `Bearer ${admin}` } });
    expect(csv.headers.get('content-type')).to.match(/^text\/csv/);
    const text = await csv.text();
    expect(text.split('\n')[0]).to.equal('section,key,metric,value');
    expect(text).to.include('game,roulette,stakesMinor,390\n').and.include(`total,all,ngrMinor,${390 - paid - 200_000}\n`).and.include('protection,block.time_out,count,1\n');

    const audit = (await http(srv.url, 'GET', '/admin/audit?limit=50', undefined, admin)).body.items as Array<{ action: string; target: string; details: any }>;
    const exported = audit.filter((e) => e.action === 'report.exported' && e.target === `report:daily:${date}`);
    expect(exported.map((e) => e.details.format).sort()).to.deep.equal(['csv', 'json']);
    expect(exported.every((e) => e.details.sha256 === sha256), 'the same day, the same figures').to.equal(true);
    expect((await http(srv.url, 'GET', '/admin/audit/verify', undefined, admin)).body).to.include({ ok: true });

    expect((await http(srv.url, 'GET', '/admin/reports/daily?date=2026-13-01', undefined, admin)).body.error.code).to.equal('http/invalid_query');
    expect((await http(srv.url, 'GET', `/admin/reports/daily?date=${date}`, undefined, p.token)).status).to.equal(403);

    const recall = await http(srv.url, 'GET', `/admin/players/${p.userId}/recall?limit=10`, undefined, admin);
    expect(recall.status).to.equal(200);
    const [round] = recall.body.items;
    expect(round.bets).to.have.length(3);
    expect(round).to.include({ stakeMinor: 390, payoutMinor: paid, userId: p.userId });
    expect(round.balanceAfterMinor - round.balanceBeforeMinor).to.equal(paid - 390);
    expect(round.fairness).to.include({ roundId: round.roundId, status: 'drawn' });
    expect(createHash('sha256').update(round.fairness.serverSeed).digest('hex'), 'the commitment matches the revealed seed').to.equal(round.fairness.serverSeedHash);
  });
});
