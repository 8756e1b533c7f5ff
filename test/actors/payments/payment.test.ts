import { expect } from 'chai';
import fc from 'fast-check';
import { decide, evolve, type LedgerOp, type PaymentCommand, type PaymentState, type PspStatus } from '../../../actors/payments/payment.ts';

/** A tiny ledger with the real one's idempotency: a key applies once; holds reserve and resolve. */
class MiniLedger {
  balances = new Map<string, number>();
  keys = new Set<string>();
  holds = new Map<string, { account: string; amount: number; open: boolean }>();
  lastDebt = 0;
  constructor(player: string, start: number) {
    this.balances.set(player, start);
  }
  private add(id: string, d: number) {
    this.balances.set(id, (this.balances.get(id) ?? 0) + d);
  }
  /** Atomic like `apply(ops, { atomic: true })`: all or nothing. */
  apply(ops: LedgerOp[]): { ok: true } | { ok: false; code: string } {
    const snapshot = { b: new Map(this.balances), k: new Set(this.keys), h: new Map([...this.holds].map(([k, v]) => [k, { ...v }])) };
    for (const op of ops) {
      if (this.keys.has(op.key)) continue;
      this.keys.add(op.key);
      if (op.type === 'transfer') {
        if (op.fromAccountId !== 'sys:world' && (this.balances.get(op.fromAccountId) ?? 0) < op.amountMinor) {
          Object.assign(this, { balances: snapshot.b, keys: snapshot.k, holds: snapshot.h });
          return { ok: false, code: 'wallet/insufficient_funds' };
        }
        this.add(op.fromAccountId, -op.amountMinor);
        this.add(op.toAccountId, op.amountMinor);
      } else if (op.type === 'reserve') {
        if ((this.balances.get(op.accountId) ?? 0) < op.amountMinor) {
          Object.assign(this, { balances: snapshot.b, keys: snapshot.k, holds: snapshot.h });
          return { ok: false, code: 'wallet/insufficient_funds' };
        }
        this.add(op.accountId, -op.amountMinor);
        this.add('sys:escrow', op.amountMinor);
        this.holds.set(op.key, { account: op.accountId, amount: op.amountMinor, open: true });
      } else if (op.type === 'clawback') {
        // As the ledger's: what the balance holds, the rest as debt in the receivable (world its counterpart).
        const taken = Math.min(op.amountMinor, Math.max(0, this.balances.get(op.accountId) ?? 0));
        this.add(op.accountId, -taken);
        this.add(op.toAccountId, taken);
        this.add('sys:world', -(op.amountMinor - taken));
        this.add(`receivable:${op.accountId}`, op.amountMinor - taken);
        this.lastDebt = op.amountMinor - taken;
      } else {
        const h = this.holds.get(op.holdId)!;
        expect(h.open, `hold ${op.holdId} resolved twice`).to.equal(true);
        h.open = false;
        this.add('sys:escrow', -h.amount);
        this.add(op.type === 'capture' ? op.toAccountId : h.account, h.amount);
      }
    }
    return { ok: true };
  }
  sum() {
    return [...this.balances.values()].reduce((a, b) => a + b, 0);
  }
}

const PLAYER = 'player:u1';
const at = 1_700_000_000_000;

/** What the service does with one command: decide, evolve, apply the ops, confirm (or re-decide). */
function step(s: PaymentState | null, c: PaymentCommand, ledger: MiniLedger): PaymentState | null {
  const d = decide(s, c);
  if (!d.ok) return s;
  for (const e of d.events) s = evolve(s, e);
  for (let i = 0; s && s.unapplied.length && i < 3; i++) {
    ledger.lastDebt = 0;
    const r = ledger.apply(s.unapplied);
    const next = decide(s, r.ok ? { type: 'ops-applied', at, debtMinor: ledger.lastDebt } : { type: 'ops-failed', code: r.code, at });
    if (!next.ok) break;
    for (const e of next.events) s = evolve(s, e);
  }
  return s;
}

function newDeposit(ledger: MiniLedger, amount: number): PaymentState {
  let s = step(null, { type: 'create-deposit', paymentId: 'dep_1', userId: 'u1', accountId: PLAYER, amountMinor: amount, currency: 'EUR', method: 'card', at }, ledger);
  s = step(s, { type: 'submitted', pspId: 'pay_1', checkoutUrl: 'x', at }, ledger);
  return s!;
}

const update = (status: PspStatus, amount: number, _ledger?: MiniLedger): PaymentCommand => ({
  type: 'psp-update', pspId: 'pay_1', status, amountMinor: amount, instrument: { token: 'pm_1', brand: 'visa', last4: '4242' }, at,
});

describe('payment state machine', () => {
  it('credits a captured deposit once, through the clearing account', () => {
    const ledger = new MiniLedger(PLAYER, 0);
    let s: PaymentState | null = newDeposit(ledger, 500);
    s = step(s, update('authorised', 500, ledger), ledger);
    s = step(s, update('captured', 500, ledger), ledger);
    s = step(s, update('captured', 500, ledger), ledger);
    expect(s!.status).to.equal('captured');
    expect(ledger.balances.get(PLAYER)).to.equal(500);
    expect(ledger.balances.get('sys:psp-clearing')).to.equal(0);
    expect(ledger.sum()).to.equal(0);
  });

  it('refuses a PSP update whose amount or PSP id is not the payment\'s', () => {
    const ledger = new MiniLedger(PLAYER, 0);
    const s = newDeposit(ledger, 500);
    const wrongAmount = decide(s, update('captured', 501, ledger));
    expect(wrongAmount.ok).to.equal(false);
    const wrongId = decide(s, { ...update('captured', 500, ledger), pspId: 'pay_2' } as PaymentCommand);
    expect(!wrongId.ok && wrongId.rejection.code).to.equal('payments/psp_mismatch');
  });

  it('ignores a failure after a capture, and anything after a final state', () => {
    const ledger = new MiniLedger(PLAYER, 0);
    let s: PaymentState | null = newDeposit(ledger, 500);
    s = step(s, update('captured', 500, ledger), ledger);
    s = step(s, update('failed', 500, ledger), ledger);
    s = step(s, update('authorised', 500, ledger), ledger);
    expect(s!.status).to.equal('captured');
    expect(ledger.balances.get(PLAYER)).to.equal(500);
  });

  it('takes a chargeback from the balance and records what it cannot cover as debt', () => {
    const ledger = new MiniLedger(PLAYER, 0);
    let s: PaymentState | null = newDeposit(ledger, 1000);
    s = step(s, update('captured', 1000, ledger), ledger);
    ledger.balances.set(PLAYER, 300); // the player spent 700 (to the house) meanwhile
    ledger.balances.set('sys:house', (ledger.balances.get('sys:house') ?? 0) + 700);
    s = step(s, update('charged_back', 1000, ledger), ledger);
    expect(s!.status).to.equal('charged_back');
    expect(s!.debtMinor).to.equal(700);
    expect(ledger.balances.get(PLAYER)).to.equal(0);
    expect(ledger.sum()).to.equal(0);
  });

  it('decides the player\'s lock with a chargeback, once: a duplicate after the lock does not ask again', () => {
    const ledger = new MiniLedger(PLAYER, 0);
    let s: PaymentState | null = newDeposit(ledger, 1000);
    s = step(s, update('captured', 1000, ledger), ledger);
    s = step(s, update('charged_back', 1000, ledger), ledger);
    expect(s!.lockPending).to.equal(true);
    s = step(s, { type: 'player-locked', at }, ledger);
    expect(s!.lockPending).to.equal(false);
    s = step(s, update('charged_back', 1000, ledger), ledger);
    expect(s!.lockPending).to.equal(false);
    expect(ledger.sum()).to.equal(0);
  });

  it('rejects a withdrawal whose reserve the ledger refuses, holding nothing', () => {
    const ledger = new MiniLedger(PLAYER, 100);
    const s = step(null, { type: 'create-withdrawal', paymentId: 'wd_1', userId: 'u1', accountId: PLAYER, amountMinor: 500, currency: 'EUR', instrument: { token: 'pm_1', brand: 'visa', last4: '4242' }, at }, ledger);
    expect(s!.status).to.equal('rejected');
    expect(s!.unapplied).to.deep.equal([]);
    expect(ledger.balances.get(PLAYER)).to.equal(100);
  });

  it('cannot cancel a withdrawal already sent to the provider', () => {
    const ledger = new MiniLedger(PLAYER, 1000);
    let s = step(null, { type: 'create-withdrawal', paymentId: 'wd_1', userId: 'u1', accountId: PLAYER, amountMinor: 500, currency: 'EUR', instrument: { token: 'pm_1', brand: 'visa', last4: '4242' }, at }, ledger);
    s = step(s, { type: 'route', autoApproveMaxMinor: 1000, at }, ledger);
    expect(s!.status).to.equal('approved');
    s = step(s, { type: 'submitted', pspId: 'po_1', checkoutUrl: null, at }, ledger);
    const d = decide(s, { type: 'cancel', by: 'u1', at });
    expect(!d.ok && d.rejection.code).to.equal('payments/not_cancellable');
  });

  // The PSP's truth for one deposit is a path through its statuses; webhooks may come in any
  // order, any number of times, or not at all (then the poller delivers the last status).
  const deliveries = <T>(events: T[]) =>
    fc.tuple(fc.array(fc.nat({ max: events.length - 1 }), { maxLength: 12 }), fc.nat({ max: 1000 })).map(([picks, _]) => [...picks.map((i) => events[i]!), events[events.length - 1]!]);

  it('any order or repetition of a deposit\'s webhooks moves the same money as the PSP\'s final status says', () => {
    const paths: PspStatus[][] = [['pending', 'authorised', 'captured'], ['pending', 'failed'], ['pending', 'authorised', 'failed'], ['authorised', 'captured', 'charged_back'], ['authorised', 'captured', 'refunded']];
    fc.assert(
      fc.property(fc.constantFrom(...paths).chain((p) => fc.tuple(fc.constant(p), deliveries(p))), fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: 0, max: 2_000_000 }), ([path, order], amount, start) => {
        const ledger = new MiniLedger(PLAYER, start);
        ledger.balances.set('sys:house', 10_000_000);
        ledger.balances.set('sys:world', -10_000_000 - start);
        let s: PaymentState | null = newDeposit(ledger, amount);
        for (const status of order) s = step(s, update(status, amount, ledger), ledger);
        const final = path[path.length - 1]!;
        expect(s!.status).to.equal(final);
        expect(s!.unapplied).to.deep.equal([]);
        const player = ledger.balances.get(PLAYER)!;
        if (final === 'captured') expect(player).to.equal(start + amount);
        else if (final === 'failed') expect(player).to.equal(start);
        else {
          // Credited then taken back in full: the balance is back where it started.
          expect(player).to.equal(start);
          expect(s!.debtMinor).to.equal(0);
        }
        expect(ledger.balances.get('sys:psp-clearing') ?? 0).to.equal(0);
        expect(ledger.sum()).to.equal(0);
      }),
      { numRuns: 500, seed: 18 },
    );
  });

  it('any order or repetition of a payout\'s webhooks captures or releases its hold exactly once', () => {
    fc.assert(
      fc.property(fc.constantFrom<PspStatus[]>(['pending', 'captured'], ['pending', 'failed']).chain((p) => fc.tuple(fc.constant(p), deliveries(p))), fc.integer({ min: 1, max: 100_000 }), fc.boolean(), ([path, order], amount, webhookBeforeSubmitted) => {
        const ledger = new MiniLedger(PLAYER, 200_000);
        ledger.balances.set('sys:world', -200_000);
        let s = step(null, { type: 'create-withdrawal', paymentId: 'wd_1', userId: 'u1', accountId: PLAYER, amountMinor: amount, currency: 'EUR', instrument: { token: 'pm_1', brand: 'visa', last4: '4242' }, at }, ledger);
        s = step(s, { type: 'route', autoApproveMaxMinor: 1_000_000, at }, ledger);
        if (!webhookBeforeSubmitted) s = step(s, { type: 'submitted', pspId: 'po_1', checkoutUrl: null, at }, ledger);
        for (const status of order) s = step(s, { type: 'psp-update', pspId: 'po_1', status, amountMinor: amount, instrument: null, at }, ledger);
        if (webhookBeforeSubmitted) s = step(s, { type: 'submitted', pspId: 'po_1', checkoutUrl: null, at }, ledger);
        const final = path[path.length - 1]!;
        expect(s!.status).to.equal(final === 'captured' ? 'paid' : 'failed');
        expect(ledger.balances.get(PLAYER)).to.equal(final === 'captured' ? 200_000 - amount : 200_000);
        expect(ledger.balances.get('sys:escrow')).to.equal(0);
        expect(ledger.sum()).to.equal(0);
      }),
      { numRuns: 500, seed: 18 },
    );
  });
});
