/**
 * Chaos: deposits and withdrawals through the real sandbox PSP process while it duplicates (×3),
 * delays (so reorders) and loses webhooks, declines cards, fails payouts, and is restarted in the
 * middle. At the end every player's balance is exactly what succeeded at the PSP, the ledger
 * reconciles, and the settlement reconciliation reports zero mismatches. Then chargebacks under
 * the same faults: debited up to the balance, the rest as debt, players locked, books balanced.
 * Sizes: CHAOS_DEPOSITS (default 1000) and CHAOS_WITHDRAWALS (default 300).
 */
import { expect } from 'chai';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bootTestServer, http, registerPlayer, type TestServer } from '../support/server.ts';
import { freePort } from '../support/process.ts';
import { startPsp, TEST_PSP_KEY, TEST_PSP_SECRET, waitFor, type PspProcess } from '../support/psp.ts';

const DEPOSITS = Number(process.env.CHAOS_DEPOSITS ?? 1000);
const WITHDRAWALS = Number(process.env.CHAOS_WITHDRAWALS ?? 300);
const PLAYERS = 50;
const CONCURRENCY = 16;
const FAULTS = { duplicate: 3, delayMs: 300, loseRate: 0.1, declineRate: 0.1, payoutFailRate: 0.1 };

async function pool<T>(items: T[], n: number, fn: (item: T, i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: n }, async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i]!, i);
    }
  }));
}

describe('payments chaos: faulty webhooks and a PSP restart', function () {
  this.timeout(600_000);
  let srv: TestServer;
  let psp: PspProcess;
  let pspPort: number;
  let dir: string;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'psp-chaos-'));
    pspPort = await freePort();
    srv = await bootTestServer({
      PSP_URL: `http://127.0.0.1:${pspPort}`, PSP_API_KEY: TEST_PSP_KEY, PSP_WEBHOOK_SECRET: TEST_PSP_SECRET, PAYMENTS_POLL_MS: '0',
      DEMO_BALANCE_MINOR: '0', PAYMENTS_OPEN_PER_PLAYER: '100', PAYMENTS_PER_PLAYER_PER_DAY: '1000', DEPOSIT_DAILY_MAX_MINOR: '10000000000',
      WITHDRAWAL_AUTO_APPROVE_MAX_MINOR: '1000000', ROULETTE_TABLES: '0',
    });
    psp = await startPsp({ port: pspPort, webhookUrl: `${srv.url}/payments/webhook`, dataFile: path.join(dir, 'psp.jsonl'), seed: 18 });
    await psp.faults(FAULTS);
  });
  after(async () => {
    await psp?.stop();
    await srv?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it(`${DEPOSITS} deposits and ${WITHDRAWALS} withdrawals end with balances exactly as the PSP says, books balanced, settlement matched`, async () => {
    const players: Array<Awaited<ReturnType<typeof registerPlayer>>> = [];
    for (let i = 0; i < PLAYERS; i++) players.push(await registerPlayer(srv, 'chaos'));
    const payments = srv.app.features.payments!;
    const started = Date.now();

    // Deposits, with the PSP restarted (SIGTERM, same port, same state file) halfway.
    const deposits: Array<{ player: number; paymentId: string; pspId: string }> = [];
    const amounts = Array.from({ length: DEPOSITS }, (_, i) => 1000 + ((i * 7919) % 50) * 100);
    const half = Math.floor(DEPOSITS / 2);
    const depositBatch = async (from: number, to: number) =>
      pool(amounts.slice(from, to), CONCURRENCY, async (amountMinor, j) => {
        const i = from + j;
        const p = players[i % PLAYERS]!;
        const r = await http(srv.url, 'POST', '/payments/deposits', { amountMinor }, p.token);
        expect(r.status, JSON.stringify(r.body)).to.equal(201);
        deposits.push({ player: i % PLAYERS, paymentId: r.body.paymentId, pspId: r.body.pspId });
        const done = await psp.api('POST', `/v1/sandbox/payments/${r.body.pspId}/complete`, { card: i % 13 === 0 ? '4000000000000002' : '4242424242424242' });
        expect(done.status).to.equal(200);
      });
    await depositBatch(0, half);
    await psp.stop();
    psp = await startPsp({ port: pspPort, webhookUrl: `${srv.url}/payments/webhook`, dataFile: path.join(dir, 'psp.jsonl'), seed: 19 });
    await psp.faults(FAULTS);
    await depositBatch(half, DEPOSITS);
    // Lost webhooks: the repair poller asks the PSP.
    await waitFor(async () => (await payments.repair()).checked === 0, 120_000, 'every deposit final');
    const depositsDone = Date.now();

    // Withdrawals to each player's card, sized so a few find the funds gone (rejected at once).
    const withdrawals: Array<{ player: number; paymentId: string }> = [];
    const instruments = await Promise.all(players.map(async (p) => (await http(srv.url, 'GET', '/payments/instruments', undefined, p.token)).body.items[0]?.id as string | undefined));
    await pool(Array.from({ length: WITHDRAWALS }, (_, i) => i), CONCURRENCY, async (i) => {
      const pi = i % PLAYERS;
      if (!instruments[pi]) return;
      const r = await http(srv.url, 'POST', '/payments/withdrawals', { amountMinor: 1000 + ((i * 104729) % 40) * 100, instrumentId: instruments[pi] }, players[pi]!.token);
      if (r.status === 201) withdrawals.push({ player: pi, paymentId: r.body.paymentId });
      else expect(r.body.error.code, JSON.stringify(r.body)).to.equal('payments/insufficient_funds');
    });
    await waitFor(async () => (await payments.repair()).checked === 0, 120_000, 'every withdrawal final');
    const allDone = Date.now();

    // The PSP's truth, object by object, against each player's balance.
    const expected = new Array<number>(PLAYERS).fill(0);
    let captured = 0;
    let paid = 0;
    const capturedDeposits: typeof deposits = [];
    for (const d of deposits) {
      const s = (await psp.api('GET', `/v1/payments/${d.pspId}`)).body;
      const mine = (await payments.get(d.paymentId))!;
      expect(mine.status, d.paymentId).to.equal(s.status);
      if (s.status === 'captured') { expected[d.player]! += s.amountMinor; captured++; capturedDeposits.push(d); }
    }
    for (const w of withdrawals) {
      const mine = (await payments.get(w.paymentId))!;
      expect(['paid', 'failed', 'rejected']).to.include(mine.status);
      if (mine.pspId) {
        const s = (await psp.api('GET', `/v1/payouts/${mine.pspId}`)).body;
        expect(mine.status).to.equal(s.status === 'captured' ? 'paid' : 'failed');
      }
      if (mine.status === 'paid') { expected[w.player]! -= mine.amountMinor; paid++; }
    }
    for (let i = 0; i < PLAYERS; i++) {
      const acc = await srv.app.services.store.wallet.getAccount(`player:${players[i]!.userId}`);
      expect(acc!.balanceMinor, `player ${i}`).to.equal(expected[i]);
      expect(acc!.heldMinor).to.equal(0);
    }

    // Chargebacks on every 20th captured deposit, under the same webhook faults. Lost ones are
    // never polled (the deposit was final): the settlement reconciliation finds and repairs them.
    const chargebacks = capturedDeposits.filter((_, i) => i % 20 === 0);
    const chargedMinor = new Array<number>(PLAYERS).fill(0);
    await pool(chargebacks, 8, async (d) => {
      const r = await psp.api('POST', `/v1/sandbox/payments/${d.pspId}/chargeback`);
      expect(r.status).to.equal(200);
      chargedMinor[d.player]! += r.body.amountMinor;
    });

    const report = await payments.reconcile(new Date().toISOString().slice(0, 10));
    expect(report.missingInLedger, 'missing in ledger').to.deep.equal([]);
    expect(report.missingAtPsp, 'missing at PSP').to.deep.equal([]);
    expect(report.mismatched).to.deep.equal([]);
    expect(report.matched).to.equal(captured + paid + chargebacks.length);

    // A chargeback takes what the balance holds; the rest is the player's debt.
    for (let i = 0; i < PLAYERS; i++) {
      const acc = await srv.app.services.store.wallet.getAccount(`player:${players[i]!.userId}`);
      const after = Math.max(0, expected[i]! - chargedMinor[i]!);
      expect(acc!.balanceMinor, `player ${i} after chargebacks`).to.equal(after);
      const mine = await Promise.all(chargebacks.filter((d) => d.player === i).map((d) => payments.get(d.paymentId)));
      expect(mine.every((p) => p!.status === 'charged_back' && p!.settled)).to.equal(true);
      expect(mine.reduce((sum, p) => sum + p!.debtMinor, 0), `player ${i} debt`).to.equal(chargedMinor[i]! - (expected[i]! - after));
      if (mine.length) expect((await srv.app.services.store.users.findById(players[i]!.userId))!.status).to.equal('locked');
    }
    const books = await srv.app.services.store.wallet.reconcile();
    expect(books.ok, JSON.stringify(books)).to.equal(true);
    expect(books.openHoldCount).to.equal(0);
    expect((await srv.app.services.store.wallet.getAccount('sys:psp-clearing'))!.balanceMinor).to.equal(0);
    console.log(`      chaos: ${deposits.length} deposits (${captured} captured) in ${depositsDone - started} ms, ${withdrawals.length} withdrawals (${paid} paid) in ${allDone - depositsDone} ms, ${chargebacks.length} chargebacks; settlement lines matched ${report.matched}`);
  });
});
