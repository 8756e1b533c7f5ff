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
    srv = await bootTestServer({ PSP_URL: `http://127.0.0.1:${pspPort}`, PSP_API_KEY: TEST_PSP_KEY, PSP_WEBHOOK_SECRET: TEST_PSP_SECRET, PAYMENTS_POLL_MS: '0', DEMO_BALANCE_MINOR: '0', KYC_REQUIRED_FOR: 'withdrawal',
      AML_CUMULATIVE_24H_MINOR: '6000', ADMIN_USERNAME: 'aml_ops', ADMIN_PASSWORD: 'aml-ops-pass-1' });
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
    expect(((await kyc.json()) as { status: string }).status).to.equal('verified');
    const after = await http(srv.url, 'POST', '/payments/withdrawals', { amountMinor: 1_000, instrumentId: 'none' }, p.token);
    expect(after.body.error.code, 'past the identity check').to.equal('payments/unknown_instrument');
  });

  async function verify(token: string, fullName: string): Promise<void> {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]);
    const query = new URLSearchParams({ fullName, dateOfBirth: '1985-03-14', country: 'GB', documentNumber: 'P5551234' });
    const res = await fetch(`${srv.url}/kyc/documents?${query}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'image/png' }, body: png });
    expect(((await res.json()) as { status: string }).status).to.equal('verified');
  }

  it('opens AML cases for deposits over the 24-hour threshold and for a deposit withdrawn with little play, into the audit chain', async () => {
    const p = await registerPlayer(srv, 'aml');
    await verify(p.token, 'Money Mover');
    const d = await deposit(p.token, 2_000);
    await psp.api('POST', `/v1/sandbox/payments/${d.body.pspId}/complete`, {});
    await waitFor(async () => (await http(srv.url, 'GET', '/wallet', undefined, p.token)).body.balanceMinor === 2_000, 15_000, 'the deposit credited');
    const [card] = (await http(srv.url, 'GET', '/payments/instruments', undefined, p.token)).body.items;
    const w = await http(srv.url, 'POST', '/payments/withdrawals', { amountMinor: 1_500, instrumentId: card.id }, p.token);
    expect(w.status, JSON.stringify(w.body)).to.equal(201);
    expect((await deposit(p.token, 5_000)).status).to.equal(201);

    const admin = (await http(srv.url, 'POST', '/auth/login', { username: 'aml_ops', password: 'aml-ops-pass-1' })).body.token;
    const cases = (await http(srv.url, 'GET', '/admin/aml/cases?limit=100', undefined, admin)).body.items.filter((c: any) => c.userId === p.userId);
    expect(cases.map((c: any) => c.rule).sort()).to.deep.equal(['cumulative_24h', 'deposit_withdraw_little_play']);
    expect(cases.find((c: any) => c.rule === 'deposit_withdraw_little_play').details).to.deep.include({ depositMinor: 2_000, stakedMinor: 0, withdrawalMinor: 1_500 });
    const audit = (await http(srv.url, 'GET', '/admin/audit?limit=200', undefined, admin)).body.items as Array<{ action: string; target: string }>;
    expect(audit.filter((e) => e.action === 'aml.case_opened' && e.target === `user:${p.userId}`)).to.have.length(2);
    expect((await http(srv.url, 'GET', '/admin/aml/cases', undefined, p.token)).status, 'operators only').to.equal(403);
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
