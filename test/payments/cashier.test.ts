import { expect } from 'chai';
import { bootTestServer, http, registerPlayer, type TestServer } from '../support/server.ts';
import { freePort } from '../support/process.ts';
import { startPsp, TEST_PSP_KEY, TEST_PSP_SECRET, waitFor, type PspProcess } from '../support/psp.ts';
import { sign } from '../../server/payments/signature.ts';

describe('cashier: deposits, withdrawals, chargebacks through the sandbox PSP process', function () {
  this.timeout(60_000);
  let srv: TestServer;
  let psp: PspProcess;
  let admin: string;

  before(async () => {
    const pspPort = await freePort();
    srv = await bootTestServer({
      PSP_URL: `http://127.0.0.1:${pspPort}`, PSP_API_KEY: TEST_PSP_KEY, PSP_WEBHOOK_SECRET: TEST_PSP_SECRET,
      PAYMENTS_POLL_MS: '0', WITHDRAWAL_AUTO_APPROVE_MAX_MINOR: '20000', DEMO_BALANCE_MINOR: '0', ADMIN_USERNAME: 'payadmin', ADMIN_PASSWORD: 'correct-horse-battery-9',
    });
    psp = await startPsp({ port: pspPort, webhookUrl: `${srv.url}/payments/webhook`, env: { PSP_CHECKOUT_TTL_MS: '3000' } });
    admin = (await http(srv.url, 'POST', '/auth/login', { username: 'payadmin', password: 'correct-horse-battery-9' })).body.token;
  });
  afterEach(async () => {
    const rec = await srv.app.services.store.wallet.reconcile();
    expect(rec.ok, JSON.stringify(rec)).to.equal(true);
    const clearing = await srv.app.services.store.wallet.getAccount('sys:psp-clearing');
    expect(clearing?.balanceMinor).to.equal(0);
  });
  after(async () => {
    await psp?.stop();
    await srv?.stop();
  });

  const balance = async (token: string) => (await http(srv.url, 'GET', '/wallet', undefined, token)).body as { balanceMinor: number; availableMinor: number; heldMinor: number };
  const payment = async (token: string, id: string) => (await http(srv.url, 'GET', `/payments/${id}`, undefined, token)).body;
  const statusIs = (token: string, id: string, status: string) => waitFor(async () => { const v = await payment(token, id); return v.status === status && v.settled; }, 15_000, `payment ${id} ${status}`);

  async function deposit(token: string, amountMinor: number, card = '4242424242424242') {
    const created = await http(srv.url, 'POST', '/payments/deposits', { amountMinor, method: 'card' }, token);
    expect(created.status, JSON.stringify(created.body)).to.equal(201);
    const done = await psp.api('POST', `/v1/sandbox/payments/${created.body.pspId}/complete`, { card });
    expect(done.status).to.equal(200);
    return created.body;
  }

  it('credits a deposit once its signed webhook arrives, and keeps the card as a token, brand and last 4', async () => {
    const p = await registerPlayer(srv, 'dep');
    const before = await balance(p.token);
    const d = await deposit(p.token, 2500);
    expect(d.status).to.equal('pending');
    expect(d.checkoutUrl).to.match(/\/checkout\/pay_/);
    await statusIs(p.token, d.paymentId, 'captured');
    expect((await balance(p.token)).balanceMinor).to.equal(before.balanceMinor + 2500);
    const inst = (await http(srv.url, 'GET', '/payments/instruments', undefined, p.token)).body.items;
    expect(inst).to.have.length(1);
    expect(inst[0]).to.include({ brand: 'visa', last4: '4242' });
    expect(JSON.stringify(await payment(p.token, d.paymentId))).not.to.include('4242424242424242');
  });

  it('fails a declined deposit without moving money', async () => {
    const p = await registerPlayer(srv, 'decl');
    const before = await balance(p.token);
    const d = await deposit(p.token, 1000, '4000000000000002');
    await statusIs(p.token, d.paymentId, 'failed');
    expect(await balance(p.token)).to.deep.equal(before);
  });

  it('fails an abandoned checkout when the PSP expires it, so it stops counting as open', async () => {
    const p = await registerPlayer(srv, 'aband');
    const created = await http(srv.url, 'POST', '/payments/deposits', { amountMinor: 1000 }, p.token);
    expect(created.body.status).to.equal('pending');
    await waitFor(async () => {
      await srv.app.features.payments!.repair();
      return (await payment(p.token, created.body.paymentId)).status === 'failed';
    }, 20_000, 'checkout expired');
    expect((await payment(p.token, created.body.paymentId)).history.map((h: any) => h.status)).to.deep.equal(['created', 'pending', 'failed']);
  });

  it('answers a repeated deposit request with the same Idempotency-Key with the same payment', async () => {
    const p = await registerPlayer(srv, 'idem');
    const send = () => fetch(`${srv.url}/payments/deposits`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${p.token}`, 'idempotency-key': 'order-1' }, body: JSON.stringify({ amountMinor: 1500 }) }).then((r) => r.json() as Promise<any>);
    const [a, b] = [await send(), await send()];
    expect(b.paymentId).to.equal(a.paymentId);
    expect(b.pspId).to.equal(a.pspId);
    expect((await http(srv.url, 'GET', '/payments', undefined, p.token)).body.items).to.have.length(1);
  });

  it('limits open payments per player', async () => {
    const p = await registerPlayer(srv, 'open');
    for (let i = 0; i < 5; i++) expect((await http(srv.url, 'POST', '/payments/deposits', { amountMinor: 1000 }, p.token)).status).to.equal(201);
    const sixth = await http(srv.url, 'POST', '/payments/deposits', { amountMinor: 1000 }, p.token);
    expect(sixth.status).to.equal(429);
    expect(sixth.body.error.code).to.equal('payments/too_many_open');
  });

  it('refuses bad input with typed errors and writes nothing', async () => {
    const p = await registerPlayer(srv, 'bad');
    for (const body of [{ amountMinor: 10.5 }, { amountMinor: -1 }, { amountMinor: '100' }, { amountMinor: 100, method: 'crypto' }, { amountMinor: 100, extra: 1 }]) {
      const r = await http(srv.url, 'POST', '/payments/deposits', body, p.token);
      expect(r.status).to.equal(400);
      expect(r.body.error.code).to.equal('http/invalid_body');
    }
    const small = await http(srv.url, 'POST', '/payments/deposits', { amountMinor: 1 }, p.token);
    expect(small.status).to.equal(400);
    expect(small.body.error.code).to.equal('payments/amount_out_of_range');
    const wd = await http(srv.url, 'POST', '/payments/withdrawals', { amountMinor: 5000, instrumentId: 'pm_nope' }, p.token);
    expect(wd.body.error.code).to.equal('payments/unknown_instrument');
    expect((await http(srv.url, 'GET', '/payments', undefined, p.token)).body.items).to.have.length(0);
  });

  it('answers webhooks with a bad signature, an old timestamp or a tampered body with 401, never acting on them', async () => {
    const body = JSON.stringify({ id: 'evt_x', type: 'payment.captured', createdAt: 0, object: { id: 'pay_x', kind: 'payment', reference: 'dep_aaaaaaaaaaaa', amountMinor: 100, currency: 'EUR', status: 'captured', instrument: null, checkoutUrl: null, failureReason: null, updatedAt: 0 } });
    const post = (headers: Record<string, string>, b = body) => fetch(`${srv.url}/payments/webhook`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: b });
    const now = Math.floor(Date.now() / 1000);
    const cases: Array<Record<string, string>> = [
      {},
      { 'psp-signature': sign('wrong-secret-0123456789', body, now) },
      { 'psp-signature': sign(TEST_PSP_SECRET, body, now - 3600) },
      { 'psp-signature': 'garbage' },
    ];
    for (const h of cases) {
      const r = await post(h);
      expect(r.status).to.equal(401);
      expect(((await r.json()) as any).error.code).to.equal('payments/bad_signature');
    }
    const tampered = await post({ 'psp-signature': sign(TEST_PSP_SECRET, body, now) }, body.replace('"amountMinor":100', '"amountMinor":900'));
    expect(tampered.status).to.equal(401);
    const notJson = await fetch(`${srv.url}/payments/webhook`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x' });
    expect(notJson.status).to.equal(400);
    const unknown = await post({ 'psp-signature': sign(TEST_PSP_SECRET, body, now) });
    expect(unknown.status).to.equal(200);
    expect(((await unknown.json()) as any).ignored).to.equal('payments/not_found');
  });

  it('holds a withdrawal at once and captures the hold when the payout is paid', async () => {
    const p = await registerPlayer(srv, 'wd');
    const d = await deposit(p.token, 10_000);
    await statusIs(p.token, d.paymentId, 'captured');
    const before = await balance(p.token);
    const [inst] = (await http(srv.url, 'GET', '/payments/instruments', undefined, p.token)).body.items;
    const w = await http(srv.url, 'POST', '/payments/withdrawals', { amountMinor: 4000, instrumentId: inst.id }, p.token);
    expect(w.status, JSON.stringify(w.body)).to.equal(201);
    expect(['submitted', 'paid']).to.include(w.body.status);
    await statusIs(p.token, w.body.paymentId, 'paid');
    const after = await balance(p.token);
    expect(after.balanceMinor).to.equal(before.balanceMinor - 4000);
    expect(after.heldMinor).to.equal(0);
  });

  it('returns the held funds when the payout fails', async () => {
    const p = await registerPlayer(srv, 'wdf');
    const d = await deposit(p.token, 10_000);
    await statusIs(p.token, d.paymentId, 'captured');
    const before = await balance(p.token);
    const [inst] = (await http(srv.url, 'GET', '/payments/instruments', undefined, p.token)).body.items;
    await psp.faults({ payoutFailRate: 1 });
    try {
      const w = await http(srv.url, 'POST', '/payments/withdrawals', { amountMinor: 3000, instrumentId: inst.id }, p.token);
      await statusIs(p.token, w.body.paymentId, 'failed');
    } finally {
      await psp.faults({ payoutFailRate: 0 });
    }
    expect(await balance(p.token)).to.deep.equal(before);
  });

  it('queues a large withdrawal for review; operators approve or reject it, players may cancel it', async () => {
    const p = await registerPlayer(srv, 'rev');
    const d = await deposit(p.token, 100_000);
    await statusIs(p.token, d.paymentId, 'captured');
    const start = await balance(p.token);
    const [inst] = (await http(srv.url, 'GET', '/payments/instruments', undefined, p.token)).body.items;
    const big = async () => (await http(srv.url, 'POST', '/payments/withdrawals', { amountMinor: 30_000, instrumentId: inst.id }, p.token)).body;

    const a = await big();
    expect(a.status).to.equal('review');
    expect((await balance(p.token)).heldMinor).to.equal(30_000);
    const queue = (await http(srv.url, 'GET', '/admin/payments?status=review', undefined, admin)).body.items;
    expect(queue.map((x: any) => x.paymentId)).to.include(a.paymentId);
    const playerTries = await http(srv.url, 'POST', `/admin/payments/${a.paymentId}/review`, { approve: true, reason: 'looks fine' }, p.token);
    expect(playerTries.status).to.equal(403);
    const approved = await http(srv.url, 'POST', `/admin/payments/${a.paymentId}/review`, { approve: true, reason: 'checked documents' }, admin);
    expect(approved.status, JSON.stringify(approved.body)).to.equal(200);
    await statusIs(p.token, a.paymentId, 'paid');

    const b = await big();
    const rejected = await http(srv.url, 'POST', `/admin/payments/${b.paymentId}/review`, { approve: false, reason: 'source of funds unclear' }, admin);
    expect(rejected.body.status).to.equal('rejected');
    const again = await http(srv.url, 'POST', `/admin/payments/${b.paymentId}/review`, { approve: true, reason: 'changed my mind' }, admin);
    expect(again.status).to.equal(409);
    expect(again.body.error.code).to.equal('payments/invalid_state');

    const c = await big();
    const cancelled = await http(srv.url, 'POST', `/payments/withdrawals/${c.paymentId}/cancel`, undefined, p.token);
    expect(cancelled.body.status).to.equal('cancelled');
    const end = await balance(p.token);
    expect(end.balanceMinor).to.equal(start.balanceMinor - 30_000);
    expect(end.heldMinor).to.equal(0);
  });

  it('debits a chargeback up to the balance, records the rest as debt, and locks the player', async () => {
    const p = await registerPlayer(srv, 'cb');
    const d = await deposit(p.token, 50_000);
    await statusIs(p.token, d.paymentId, 'captured');
    const available = (await balance(p.token)).availableMinor;
    // Spend most of it (a withdrawal) so the balance cannot cover the chargeback.
    const [inst] = (await http(srv.url, 'GET', '/payments/instruments', undefined, p.token)).body.items;
    const w = await http(srv.url, 'POST', '/payments/withdrawals', { amountMinor: 20_000, instrumentId: inst.id }, p.token);
    await statusIs(p.token, w.body.paymentId, 'paid');
    const left = available - 20_000;
    const houseBefore = (await srv.app.services.store.wallet.getAccount('sys:house'))!.balanceMinor;
    expect((await psp.api('POST', `/v1/sandbox/payments/${d.pspId}/chargeback`)).status).to.equal(200);
    await waitFor(async () => { const v = await srv.app.features.payments!.get(d.paymentId); return v?.status === 'charged_back' && v.settled; }, 15_000, 'chargeback');
    const v = (await srv.app.features.payments!.get(d.paymentId))!;
    expect(v.debtMinor).to.equal(50_000 - left);
    expect((await srv.app.services.store.wallet.getAccount(`player:${p.userId}`))!.balanceMinor).to.equal(0);
    expect((await srv.app.services.store.wallet.getAccount('sys:house'))!.balanceMinor).to.equal(houseBefore - (50_000 - left));
    const locked = await http(srv.url, 'GET', '/wallet', undefined, p.token);
    expect(locked.body.error.code).to.equal('auth/account_locked');
    const audit = (await http(srv.url, 'GET', '/admin/audit?limit=200', undefined, admin)).body.items as Array<{ action: string; target: string; details: any }>;
    expect(audit.find((e) => e.action === 'player.lock' && e.target === `user:${p.userId}`)?.details.debtMinor).to.equal(50_000 - left);
    // The debt is the ledger's receivable (the model re-settlement clawbacks use), shown to operators.
    const player = await http(srv.url, 'GET', `/admin/players/${p.userId}`, undefined, admin);
    expect(player.body.debtMinor).to.equal(50_000 - left);
    expect((await srv.app.services.store.wallet.getAccount(`receivable:player:${p.userId}`))!.balanceMinor).to.equal(50_000 - left);
    // Every state change of the deposit is in the audit log, in order (`authorised` may be skipped
    // when its webhook arrives after the capture's).
    expect(audit.filter((e) => e.target === `payment:${d.paymentId}` && e.action !== 'payment.authorised').map((e) => e.action).reverse()).to.deep.equal(['payment.created', 'payment.pending', 'payment.captured', 'payment.charged_back']);
  });

  it('reconciles the day\'s settlement report with the ledger to the cent', async () => {
    const date = new Date().toISOString().slice(0, 10);
    const r = await http(srv.url, 'POST', '/admin/payments/reconcile', { date }, admin);
    expect(r.status, JSON.stringify(r.body)).to.equal(200);
    expect(r.body.ok, JSON.stringify(r.body)).to.equal(true);
    expect(r.body.matched).to.be.greaterThan(5);
    expect(r.body.reportNetMinor).to.equal(r.body.ledgerNetMinor);
    const bad = await http(srv.url, 'POST', '/admin/payments/reconcile', { date: '2025-13-45' }, admin);
    expect(bad.status).to.equal(400);
  });
});
