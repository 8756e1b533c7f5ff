/**
 * The PaymentProvider contract: what every adapter (the sandbox's, a real PSP's) must do. A
 * real PSP's adapter runs it against that PSP's test mode, with `controls` driving its test
 * helpers (Stripe: test cards and test clocks; Adyen: the test card numbers).
 */
import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { ProviderError, WebhookError, type PaymentProvider, type PspEvent } from '../../server/payments/provider.ts';
import { waitFor } from '../support/psp.ts';

export interface ContractControls {
  /** Pays the deposit as a player would on the hosted page. */
  pay(pspId: string, card: 'ok' | 'decline'): Promise<void>;
  chargeback(pspId: string): Promise<void>;
  /** Webhooks the provider delivered (raw body + headers), oldest first. */
  deliveries(): Array<{ body: Buffer; headers: Record<string, string> }>;
  /** A delivery signed with another secret or an old timestamp. */
  forged(kind: 'wrong-secret' | 'stale' | 'tampered'): { body: Buffer; headers: Record<string, string> };
}

export function providerContract(name: string, setup: () => Promise<{ provider: PaymentProvider; controls: ContractControls }>) {
  describe(`PaymentProvider contract: ${name}`, function () {
    this.timeout(30_000);
    let provider: PaymentProvider;
    let controls: ContractControls;
    before(async () => ({ provider, controls } = await setup()));
    const ref = () => `dep_${randomUUID().replace(/-/g, '').slice(0, 20)}`;
    const deposit = (reference: string, amountMinor = 1234, idempotencyKey = `deposit:${reference}`) =>
      provider.createDeposit({ idempotencyKey, reference, amountMinor, currency: 'EUR', returnUrl: 'http://localhost/return' });

    it('creates a pending deposit with a hosted checkout URL', async () => {
      const reference = ref();
      const p = await deposit(reference);
      expect(p).to.include({ kind: 'payment', reference, amountMinor: 1234, currency: 'EUR', status: 'pending' });
      expect(p.checkoutUrl).to.match(/^https?:\/\//);
      expect(p.instrument).to.equal(null);
    });

    it('answers a repeated create with the same idempotency key with the same payment', async () => {
      const reference = ref();
      const a = await deposit(reference);
      const b = await deposit(reference);
      expect(b.id).to.equal(a.id);
    });

    it('refuses the same idempotency key with different parameters', async () => {
      const reference = ref();
      await deposit(reference, 1000);
      const err = await deposit(reference, 2000).catch((e) => e);
      expect(err).to.be.instanceOf(ProviderError);
      expect(err.code).to.equal('psp/rejected');
    });

    it('captures a paid deposit and tokenises its card (token, brand, last 4; never the number)', async () => {
      const p = await deposit(ref());
      await controls.pay(p.id, 'ok');
      const s = await provider.fetchStatus('payment', p.id);
      expect(s.status).to.equal('captured');
      expect(s.instrument!.last4).to.match(/^\d{4}$/);
      expect(JSON.stringify(s)).not.to.include('4242424242424242');
    });

    it('fails a declined deposit', async () => {
      const p = await deposit(ref());
      await controls.pay(p.id, 'decline');
      expect((await provider.fetchStatus('payment', p.id)).status).to.equal('failed');
    });

    it('pays out to a tokenised card, idempotently, and refuses an unknown card', async () => {
      const p = await deposit(ref());
      await controls.pay(p.id, 'ok');
      const token = (await provider.fetchStatus('payment', p.id)).instrument!.token;
      const reference = `wd_${randomUUID().slice(0, 12)}`;
      const req = { idempotencyKey: `payout:${reference}`, reference, amountMinor: 500, currency: 'EUR', instrumentToken: token };
      const a = await provider.createPayout(req);
      expect(a.kind).to.equal('payout');
      expect((await provider.createPayout(req)).id).to.equal(a.id);
      await waitFor(async () => (await provider.fetchStatus('payout', a.id)).status === 'captured', 10_000, 'payout paid');
      const err = await provider.createPayout({ ...req, idempotencyKey: 'other', instrumentToken: 'pm_unknown' }).catch((e) => e);
      expect(err).to.be.instanceOf(ProviderError);
    });

    it('reports an unknown id as psp/not_found', async () => {
      const err = await provider.fetchStatus('payment', 'pay_doesnotexist').catch((e) => e);
      expect(err.code).to.equal('psp/not_found');
    });

    it('signs its webhooks: a genuine delivery parses, forged, stale and tampered ones are refused', async () => {
      const p = await deposit(ref());
      await controls.pay(p.id, 'ok');
      const mine = await waitFor(async () => controls.deliveries().map((d) => ({ d, e: provider.parseWebhook(d.body, d.headers, Date.now()) as PspEvent })).find((x) => x.e.object.id === p.id && x.e.type === 'payment.captured'), 10_000, 'captured webhook');
      expect(mine.e.object.status).to.equal('captured');
      for (const kind of ['wrong-secret', 'stale', 'tampered'] as const) {
        const f = controls.forged(kind);
        expect(() => provider.parseWebhook(f.body, f.headers, Date.now()), kind).to.throw(WebhookError).with.property('code', 'payments/bad_signature');
      }
      expect(() => provider.parseWebhook(mine.d.body, mine.d.headers, Date.now() + 3600_000)).to.throw(WebhookError);
    });

    it('lists captures, payouts and chargebacks in the daily settlement report', async () => {
      const p = await deposit(ref(), 777);
      await controls.pay(p.id, 'ok');
      await controls.chargeback(p.id);
      expect((await provider.fetchStatus('payment', p.id)).status).to.equal('charged_back');
      const report = await provider.fetchSettlementReport(new Date().toISOString().slice(0, 10));
      const mine = report.lines.filter((l) => l.pspId === p.id);
      expect(mine.map((l) => [l.type, l.amountMinor])).to.deep.equal([['payment', 777], ['chargeback', -777]]);
    });
  });
}
