/**
 * Payments: the withdrawal review queue (approve / reject with a reason), payment search by
 * player or PSP id, and the settlement reconciliation (run a day, see what did not match).
 */
import { describeError } from '../shared/api.ts';
import { dateTime, h, money, mount, toast } from '../shared/dom.ts';
import type { Section } from './context.ts';

interface Payment { paymentId: string; kind: string; status: string; amountMinor: number; currency: string; method: string; pspId: string | null; debtMinor: number; reason: string | null; createdAt: string }

export const paymentsSection: Section = (root, ctx) => {
  const queue = h('tbody', { testid: 'review-rows' });
  const found = h('tbody', { testid: 'search-rows' });
  const q = h('input', { testid: 'payment-search', placeholder: 'player id or PSP id (pay_…, po_…)', 'aria-label': 'search payments' });
  const date = h('input', { testid: 'recon-date', type: 'date', value: new Date().toISOString().slice(0, 10), 'aria-label': 'settlement date' });
  const recon = h('div', { testid: 'recon-result' });
  const status = h('p', { class: 'error' });

  const row = (p: Payment, actions: HTMLElement | null = null) =>
    h('tr', { testid: `pay-${p.paymentId}`, dataset: { status: p.status } },
      h('td', null, dateTime(p.createdAt)), h('td', { class: 'small' }, p.paymentId), h('td', null, `${p.kind} · ${p.method}`),
      h('td', null, p.status, p.debtMinor ? ` (debt ${money(p.debtMinor, p.currency)})` : ''), h('td', { class: 'small' }, p.pspId ?? ''),
      h('td', { class: 'num' }, money(p.amountMinor, p.currency)), h('td', null, actions));

  const loadQueue = async () => {
    const res = await ctx.call<{ items: Payment[] }>('GET', '/admin/payments?status=review&limit=100');
    mount(queue, res.items.length === 0 ? h('tr', null, h('td', { colspan: 7, class: 'muted' }, 'Nothing waits for review.')) : res.items.map((p) => {
      const reason = h('input', { testid: `reason-${p.paymentId}`, placeholder: 'reason', 'aria-label': 'reason' });
      const decide = (approve: boolean) => async () => {
        try {
          await ctx.call('POST', `/admin/payments/${p.paymentId}/review`, { approve, reason: reason.value });
          toast(approve ? 'Approved and sent for payout' : 'Rejected; funds returned', 'ok');
        } catch (e) {
          toast(describeError(e), 'error');
        }
        await loadQueue().catch((e) => (status.textContent = describeError(e)));
      };
      return row(p, h('span', null, reason,
        h('button', { testid: `approve-${p.paymentId}`, onclick: () => void decide(true)() }, 'Approve'),
        h('button', { testid: `reject-${p.paymentId}`, onclick: () => void decide(false)() }, 'Reject')));
    }));
  };
  const search = async () => {
    const v = q.value.trim();
    if (!v) return;
    const key = /^(pay|po)_/.test(v) ? 'pspId' : 'userId';
    const res = await ctx.call<{ items: Payment[] }>('GET', `/admin/payments?${key}=${encodeURIComponent(v)}&limit=100`);
    mount(found, res.items.length === 0 ? h('tr', null, h('td', { colspan: 7, class: 'muted' }, 'No payments found.')) : res.items.map((p) => row(p)));
  };
  const reconcile = async () => {
    const r = await ctx.call('POST', '/admin/payments/reconcile', { date: date.value });
    const list = (title: string, items: unknown[]) => items.length ? h('div', null, h('h4', null, `${title} (${items.length})`), h('pre', { class: 'small' }, JSON.stringify(items.slice(0, 50), null, 1))) : null;
    mount(recon,
      h('p', { testid: 'recon-summary', dataset: { ok: String(r.ok) }, class: r.ok ? 'ok-text' : 'bad-text' },
        r.ok ? `✔ ${r.date}: ${r.matched} lines matched to the cent (net ${money(r.reportNetMinor, ctx.currency)})`
          : `✘ ${r.date}: ${r.missingInLedger.length} missing in the ledger, ${r.missingAtPsp.length} missing at the PSP, ${r.mismatched.length} different amounts`),
      list('Missing in the ledger', r.missingInLedger), list('Missing at the PSP', r.missingAtPsp), list('Different amounts', r.mismatched));
  };

  mount(root, h('h2', null, 'Payments'), status,
    h('section', null, h('h3', null, 'Withdrawals awaiting review'),
      h('div', { class: 'scroll' }, h('table', null, h('thead', null, h('tr', null, ...['When', 'Payment', 'What', 'Status', 'PSP id', 'Amount', ''].map((t) => h('th', null, t)))), queue))),
    h('section', null, h('h3', null, 'Search'), h('div', { class: 'row' }, q, h('button', { testid: 'payment-search-go', onclick: () => void search().catch((e) => (status.textContent = describeError(e))) }, 'Search')),
      h('div', { class: 'scroll' }, h('table', null, found))),
    h('section', null, h('h3', null, 'Settlement reconciliation'), h('div', { class: 'row' }, date, h('button', { testid: 'recon-run', onclick: () => void reconcile().catch((e) => (status.textContent = describeError(e))) }, 'Reconcile')), recon),
  );
  void loadQueue().catch((e) => (status.textContent = describeError(e)));
  return () => undefined;
};
