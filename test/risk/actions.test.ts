/**
 * The risk service in-process (embedded defaults): events from the real producers reach it, and
 * its policies act on the player through the typed errors players see — a held withdrawal, a
 * locked account — each audited.
 */
import { expect } from 'chai';
import { publishRisk } from '../../server/risk/publish.ts';
import { bootTestServer, http, registerPlayer, type TestServer } from '../support/server.ts';
import { freePort } from '../support/process.ts';
import { startPsp, TEST_PSP_KEY, TEST_PSP_SECRET, waitFor, type PspProcess } from '../support/psp.ts';

describe('risk service in-process: producers, policies and what the player sees', function () {
  this.timeout(60_000);
  let srv: TestServer;
  let psp: PspProcess;
  let admin: string;

  before(async () => {
    const pspPort = await freePort();
    srv = await bootTestServer({
      PSP_URL: `http://127.0.0.1:${pspPort}`, PSP_API_KEY: TEST_PSP_KEY, PSP_WEBHOOK_SECRET: TEST_PSP_SECRET, PAYMENTS_POLL_MS: '0',
      ADMIN_USERNAME: 'riskadmin', ADMIN_PASSWORD: 'correct-horse-battery-9',
    });
    psp = await startPsp({ port: pspPort, webhookUrl: `${srv.url}/payments/webhook` });
    admin = (await http(srv.url, 'POST', '/auth/login', { username: 'riskadmin', password: 'correct-horse-battery-9' })).body.token;
  });
  after(async () => {
    await psp?.stop();
    await srv?.stop();
  });

  const risk = () => srv.app.features.risk.service!;
  const audit = async () => (await http(srv.url, 'GET', '/admin/audit?limit=50', undefined, admin)).body.items as Array<{ action: string; target: string; reason: string }>;

  it('publishes registrations and logins with the device id the client sends, and links accounts by it', async () => {
    const names = [`devring${Date.now().toString(36)}a`, `other${Date.now().toString(36)}b`, `third${Date.now().toString(36)}c`];
    const ids: string[] = [];
    for (const username of names) {
      const res = await fetch(`${srv.url}/auth/register`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-device-id': 'shared-device-1' }, body: JSON.stringify({ username, password: 'correct-horse-1' }) });
      ids.push(((await res.json()) as { userId: string }).userId);
    }
    await fetch(`${srv.url}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-device-id': 'shared-device-1' }, body: JSON.stringify({ username: names[0], password: 'wrong-password' }) });
    await waitFor(async () => risk().book.player(ids[0]!)?.failedLoginTimes.length === 1, 10_000, 'the failed login');
    expect(risk().book.player(ids[0]!)!.devices).to.deep.equal(['shared-device-1']);
    const profile = (await http(srv.url, 'GET', `/admin/fraud/players/${ids[0]}`, undefined, admin)).body;
    expect(profile.links.filter((l: any) => l.via.includes('d:shared-device-1')).map((l: any) => l.playerId).sort()).to.deep.equal([ids[1], ids[2]].sort());
    expect(profile.profile.reasons.map((r: any) => r.detector)).to.include('linked_accounts');
    const graph = (await http(srv.url, 'GET', '/admin/fraud/graph?kinds=d', undefined, admin)).body;
    expect(graph.groups.some((g: any) => ids.every((id) => g.members.some((m: any) => m.playerId === id)))).to.equal(true);
    const queue = (await http(srv.url, 'GET', '/admin/fraud/queue', undefined, admin)).body;
    expect(queue.items.map((q: any) => q.playerId)).to.include(ids[0]);
    const resolved = await http(srv.url, 'POST', `/admin/fraud/players/${ids[0]}/resolve`, { note: 'a family sharing a laptop' }, admin);
    expect(resolved.body.resolved).to.be.at.least(1);
    expect((await audit()).find((a) => a.action === 'risk.resolve')?.target).to.equal(`user:${ids[0]}`);
    expect((await http(srv.url, 'POST', `/admin/fraud/players/${ids[0]}/resolve`, { note: '' }, admin)).body.error.code).to.equal('http/invalid_body');
  });

  it('holds the withdrawals of a bonus ring member (risk/withdrawal_held), audited', async () => {
    const p = await registerPlayer(srv, 'ringwd');
    const created = await http(srv.url, 'POST', '/payments/deposits', { amountMinor: 5000, method: 'card' }, p.token);
    await psp.api('POST', `/v1/sandbox/payments/${created.body.pspId}/complete`, { card: '4242424242424242' });
    await waitFor(async () => (await http(srv.url, 'GET', `/payments/${created.body.paymentId}`, undefined, p.token)).body.status === 'captured', 15_000, 'deposit');
    await waitFor(async () => (risk().book.player(p.userId)?.deposits ?? 0) === 1, 10_000, 'the deposit event');
    // Two more accounts behind the player's address claim the bonus and leave (as the bonus feature will publish it).
    const address = risk().book.player(p.userId)!.ips[0]!;
    const now = Date.now();
    for (const other of ['ring-x', 'ring-y']) publishRisk({ type: 'registered', id: `registered:${other}:${p.userId}`, at: now, playerId: `${other}-${p.userId}`, username: `${other}${p.userId}`, ip: address, deviceId: null });
    for (const id of [p.userId, `ring-x-${p.userId}`, `ring-y-${p.userId}`]) publishRisk({ type: 'bonus_claimed', id: `bonus:${id}`, at: now, playerId: id, bonusId: 'welcome', amountMinor: 1000 });
    await waitFor(async () => (await audit()).find((a) => a.action === 'risk.hold_withdrawals' && a.target === `user:${p.userId}`), 15_000, 'the hold');
    const inst = (await http(srv.url, 'GET', '/payments/instruments', undefined, p.token)).body.items[0];
    const wd = await http(srv.url, 'POST', '/payments/withdrawals', { amountMinor: 2000, instrumentId: inst.id }, p.token);
    expect([wd.status, wd.body.error.code]).to.deep.equal([409, 'risk/withdrawal_held']);
    expect(wd.body.error.message).not.to.match(/bonus|ring/i);
  });

  it('locks a player on a chargeback event: the next request gets auth/account_locked', async () => {
    const p = await registerPlayer(srv, 'cbk');
    publishRisk({ type: 'chargeback', id: `payment:test-${p.userId}:charged_back`, at: Date.now(), playerId: p.userId, paymentId: `test-${p.userId}`, amountMinor: 5000, instrument: null });
    await waitFor(async () => (await audit()).find((a) => a.action === 'risk.lock' && a.target === `user:${p.userId}`), 15_000, 'the lock');
    const res = await http(srv.url, 'GET', '/wallet', undefined, p.token);
    expect([res.status, res.body.error.code]).to.deep.equal([403, 'auth/account_locked']);
  });
});
