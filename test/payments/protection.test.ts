/**
 * Deposit limits and blocks at the cashier, through the sandbox PSP process: a deposit counts
 * against the player's deposit limits from the moment it is asked for (atomically, so parallel
 * deposits cannot pass it), a declined one gives its share back, and a blocked player deposits nothing.
 */
import { expect } from 'chai';
import { bootTestServer, http, registerPlayer, type TestServer } from '../support/server.ts';
import { freePort } from '../support/process.ts';
import { startPsp, TEST_PSP_KEY, TEST_PSP_SECRET, waitFor, type PspProcess } from '../support/psp.ts';

describe('cashier: deposit limits and blocks (player protection)', function () {
  this.timeout(60_000);
  let srv: TestServer;
  let psp: PspProcess;

  before(async () => {
    const pspPort = await freePort();
    srv = await bootTestServer({ PSP_URL: `http://127.0.0.1:${pspPort}`, PSP_API_KEY: TEST_PSP_KEY, PSP_WEBHOOK_SECRET: TEST_PSP_SECRET, PAYMENTS_POLL_MS: '0', DEMO_BALANCE_MINOR: '0', KYC_REQUIRED_FOR: 'withdrawal' });
    psp = await startPsp({ port: pspPort, webhookUrl: `${srv.url}/payments/webhook` });
  });
  after(async () => {
    await psp?.stop();
    await srv?.stop();
  });

  const deposit = (token: string, amountMinor: number) => http(srv.url, 'POST', '/payments/deposits', { amountMinor, method: 'card' }, token);

  it('refuses a deposit that would pass the daily deposit limit, counting parallel requests one after another', async () => {
    const p = await registerPlayer(srv, 'dl');
    expect((await http(srv.url, 'PUT', '/protection/limits', { metric: 'deposit', period: 'day', valueMinor: 5_000 }, p.token)).status).to.equal(200);
    const replies = await Promise.all([3_000, 3_000, 3_000].map((a) => deposit(p.token, a)));
    expect(replies.map((r) => r.status).sort()).to.deep.equal([201, 409, 409]);
    for (const r of replies.filter((x) => x.status === 409)) expect(r.body.error.code).to.equal('protection/deposit_limit');
    const ok = await deposit(p.token, 2_000);
    expect(ok.status).to.equal(201);
    expect((await deposit(p.token, 500)).body.error.code).to.equal('protection/deposit_limit');
    const status = await http(srv.url, 'GET', '/protection', undefined, p.token);
    expect(status.body.usage.counters.deposit.day).to.equal(5_000);
  });

  it('gives a declined deposit\'s share of the limit back', async () => {
    const p = await registerPlayer(srv, 'dd');
    await http(srv.url, 'PUT', '/protection/limits', { metric: 'deposit', period: 'week', valueMinor: 2_000 }, p.token);
    const d = await deposit(p.token, 2_000);
    expect(d.status).to.equal(201);
    await psp.api('POST', `/v1/sandbox/payments/${d.body.pspId}/complete`, { card: '4000000000000002' });
    await waitFor(async () => (await http(srv.url, 'GET', '/protection', undefined, p.token)).body.usage.counters.deposit.week === 0, 15_000, 'the declined deposit to be given back');
    expect((await deposit(p.token, 2_000)).status).to.equal(201);
  });

  it('refuses a withdrawal until the player\'s identity is verified (KYC)', async () => {
    const p = await registerPlayer(srv, 'wk');
    const before = await http(srv.url, 'POST', '/payments/withdrawals', { amountMinor: 1_000, instrumentId: 'none' }, p.token);
    expect(before.status).to.equal(403);
    expect(before.body.error.code).to.equal('kyc/required');
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]);
    const query = new URLSearchParams({ fullName: 'Alan Turing', dateOfBirth: '1992-06-23', country: 'GB', documentNumber: 'P7654321' });
    const kyc = await fetch(`${srv.url}/kyc/documents?${query}`, { method: 'POST', headers: { authorization: `Bearer ${p.token}`, 'content-type': 'image/png' }, body: png });
    expect((await kyc.json()).status).to.equal('verified');
    const after = await http(srv.url, 'POST', '/payments/withdrawals', { amountMinor: 1_000, instrumentId: 'none' }, p.token);
    expect(after.body.error.code, 'past the identity check').to.equal('payments/unknown_instrument');
  });

  it('refuses every deposit of a player on a time-out', async () => {
    const p = await registerPlayer(srv, 'dt');
    const out = await http(srv.url, 'POST', '/protection/time-out', { hours: 24 }, p.token);
    expect(out.status).to.equal(200);
    const fresh = (await http(srv.url, 'POST', '/auth/login', { username: p.username, password: 'correct-horse-1' })).body.token;
    const refused = await deposit(fresh, 1_000);
    expect(refused.status, JSON.stringify(refused.body)).to.equal(403);
    expect(refused.body.error.code).to.equal('protection/excluded');
  });
});
