/**
 * The cashier: deposit through the PSP's hosted checkout (the card is typed on the PSP's page,
 * never here), withdraw to a card already used for a deposit, and the history of payments with
 * their statuses (a pending withdrawal can be cancelled while the server allows reversals).
 */
import { api, describeError } from '../shared/api.ts';
import { dateTime, h, money, mount, parseMajor, toast } from '../shared/dom.ts';
import type { View, WalletView } from './context.ts';
import { kycCard } from './kyc.ts';

interface Payment { paymentId: string; kind: 'deposit' | 'withdrawal'; status: string; settled: boolean; amountMinor: number; currency: string; method: string; checkoutUrl: string | null; reason: string | null; createdAt: string }
interface Instrument { id: string; brand: string; last4: string }

const FINAL = new Set(['captured', 'failed', 'refunded', 'charged_back', 'paid', 'rejected', 'cancelled']);

export const cashierView: View = async (root, ctx) => {
  const token = ctx.session.token;
  const summary = h('div', { class: 'card', testid: 'cashier-summary' });
  const depositAmount = h('input', { testid: 'deposit-amount', inputmode: 'decimal', placeholder: '20.00', 'aria-label': 'deposit amount' });
  const depositBtn = h('button', { testid: 'deposit-submit', class: 'primary' }, 'Deposit with card');
  const withdrawAmount = h('input', { testid: 'withdraw-amount', inputmode: 'decimal', placeholder: '10.00', 'aria-label': 'withdrawal amount' });
  const instrument = h('select', { testid: 'withdraw-instrument', 'aria-label': 'card to pay out to' });
  const withdrawBtn = h('button', { testid: 'withdraw-submit' }, 'Withdraw');
  const rows = h('tbody', { testid: 'payment-rows' });
  mount(root,
    h('h2', null, 'Cashier'), summary,
    h('section', { class: 'card' }, h('h3', null, 'Deposit'), depositAmount, depositBtn,
      h('p', { class: 'muted' }, 'You pay on the payment provider\'s secure page; we never see your card number.')),
    h('section', { class: 'card' }, h('h3', null, 'Withdraw'), instrument, withdrawAmount, withdrawBtn),
    kycCard(token),
    h('section', null, h('h3', null, 'History'),
      h('div', { class: 'scroll' }, h('table', { class: 'ledger' }, h('thead', null, h('tr', null, h('th', null, 'When'), h('th', null, 'What'), h('th', null, 'Status'), h('th', { class: 'num' }, 'Amount'))), rows))),
  );

  let timer: ReturnType<typeof setTimeout> | null = null;
  let stopped = false;
  const refresh = async () => {
    const [w, list, inst] = await Promise.all([
      api<WalletView>('GET', '/wallet', { token }),
      api<{ items: Payment[] }>('GET', '/payments', { token }),
      api<{ items: Instrument[] }>('GET', '/payments/instruments', { token }),
    ]);
    ctx.showWallet(w);
    mount(summary,
      h('div', { class: 'kpi' }, h('span', null, 'Balance'), h('strong', { testid: 'cashier-balance', dataset: { minor: w.balanceMinor } }, money(w.balanceMinor, w.currency))),
      h('div', { class: 'kpi' }, h('span', null, 'Withdrawable'), h('strong', null, money(w.availableMinor, w.currency))),
      h('div', { class: 'kpi' }, h('span', null, 'Held for withdrawals and bets'), h('strong', null, money(w.heldMinor, w.currency))));
    const chosen = instrument.value;
    mount(instrument, inst.items.length === 0
      ? h('option', { value: '', text: 'Deposit with a card first' })
      : inst.items.map((i) => h('option', { value: i.id, selected: i.id === chosen, text: `${i.brand} •••• ${i.last4}` })));
    withdrawBtn.disabled = inst.items.length === 0;
    mount(rows, list.items.map((p) => {
      const cancel = (p.status === 'review' || p.status === 'approved') && p.kind === 'withdrawal'
        ? h('button', { class: 'link', testid: `cancel-${p.paymentId}`, onclick: () => void act(() => api('POST', `/payments/withdrawals/${p.paymentId}/cancel`, { token }), 'Withdrawal cancelled') }, 'cancel')
        : null;
      return h('tr', { testid: `payment-${p.paymentId}`, dataset: { status: p.status, kind: p.kind, settled: String(p.settled) } },
        h('td', null, dateTime(p.createdAt)),
        h('td', null, `${p.kind} · ${p.method}`),
        h('td', { testid: 'payment-status' }, p.status, p.reason && FINAL.has(p.status) && p.status !== 'captured' && p.status !== 'paid' ? h('span', { class: 'muted' }, ` (${p.reason})`) : null, ' ', cancel),
        h('td', { class: 'num' }, money(p.kind === 'deposit' ? p.amountMinor : -p.amountMinor, p.currency)));
    }));
    // Follow open payments until they settle (webhooks arrive asynchronously).
    if (!stopped && list.items.some((p) => !FINAL.has(p.status) || !p.settled)) timer = setTimeout(() => void refresh().catch(() => undefined), 1000);
  };
  const act = async (fn: () => Promise<unknown>, ok: string) => {
    try {
      await fn();
      toast(ok, 'ok');
    } catch (e) {
      toast(describeError(e), 'error');
    }
    if (timer) clearTimeout(timer);
    await refresh().catch(() => undefined);
  };

  depositBtn.addEventListener('click', () => {
    const amountMinor = parseMajor(depositAmount.value);
    if (amountMinor === null) return toast('Enter an amount such as 20.00', 'error');
    depositBtn.disabled = true;
    api<Payment>('POST', '/payments/deposits', { token, body: { amountMinor, method: 'card' } })
      .then((p) => {
        if (p.checkoutUrl) location.assign(p.checkoutUrl);
      })
      .catch((e) => toast(describeError(e), 'error'))
      .finally(() => (depositBtn.disabled = false));
  });
  withdrawBtn.addEventListener('click', () => {
    const amountMinor = parseMajor(withdrawAmount.value);
    if (amountMinor === null) return toast('Enter an amount such as 10.00', 'error');
    void act(() => api('POST', '/payments/withdrawals', { token, body: { amountMinor, instrumentId: instrument.value } }), 'Withdrawal requested');
  });

  try {
    await refresh();
  } catch (e) {
    mount(summary, h('p', { class: 'error', testid: 'cashier-error' }, describeError(e)));
  }
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
  };
};
