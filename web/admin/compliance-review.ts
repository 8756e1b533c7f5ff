/**
 * The Compliance tab's review work: the KYC review queue (approve / reject with a reason), the AML
 * cases with their workflow (assign to me, note, close as no action or reported with the SAR
 * reference), and self-exclusion returns of funds that wait or were flagged for an operator.
 * Every action goes through the audited admin API.
 */
import { describeError } from '../shared/api.ts';
import { dateTime, h, money, mount, toast } from '../shared/dom.ts';
import type { ConsoleContext } from './context.ts';

const reasonInput = (testid: string, placeholder = 'reason') => h('input', { testid, placeholder, 'aria-label': placeholder });

async function act(ctx: ConsoleContext, method: string, path: string, body: unknown, done: string, reload: () => Promise<void>): Promise<void> {
  try {
    await ctx.call(method, path, body);
    toast(done, 'ok');
  } catch (e) {
    toast(describeError(e), 'error');
  }
  await reload().catch((e) => toast(describeError(e), 'error'));
}

export function kycReviewQueue(ctx: ConsoleContext): { el: HTMLElement; load: () => Promise<void> } {
  const rows = h('tbody', { testid: 'kyc-review-rows' });
  const load = async (): Promise<void> => {
    const res = await ctx.call('GET', '/admin/kyc/reviews?limit=100');
    mount(rows, res.items.length === 0 ? h('tr', null, h('td', { colspan: 4, class: 'muted' }, 'Nothing waits for review.')) : res.items.map((i: any) => {
      const reason = reasonInput(`kyc-reason-${i.userId}`);
      const decide = (approve: boolean) => act(ctx, 'POST', `/admin/players/${encodeURIComponent(i.userId)}/kyc/review`, { approve, reason: reason.value }, approve ? 'Identity verified' : 'Verification rejected', load);
      return h('tr', { testid: `kyc-review-${i.userId}` },
        h('td', null, dateTime(i.referredAt)), h('td', { class: 'small' }, i.userId),
        h('td', null, i.identity ? `${i.identity.fullName}, ${i.identity.dateOfBirth}, ${i.identity.country} (${i.reason})` : i.reason),
        h('td', null, reason,
          h('button', { testid: `kyc-approve-${i.userId}`, onclick: () => void decide(true) }, 'Approve'),
          h('button', { testid: `kyc-reject-${i.userId}`, onclick: () => void decide(false) }, 'Reject')));
    }));
  };
  const el = h('section', { class: 'card' }, h('h3', null, 'KYC review'),
    h('div', { class: 'scroll' }, h('table', null, h('thead', null, h('tr', null, h('th', null, 'Referred'), h('th', null, 'Player'), h('th', null, 'Identity'), h('th', null, 'Decision'))), rows)));
  return { el, load };
}

export function amlCaseRows(ctx: ConsoleContext, rows: HTMLElement): () => Promise<void> {
  const load = async (): Promise<void> => {
    const res = await ctx.call('GET', '/admin/aml/cases?limit=100');
    mount(rows, res.items.map((c: any) => {
      const base = `/admin/aml/cases/${c.caseId}`;
      const state = c.status === 'closed'
        ? `closed: ${c.outcome}${c.sarReference ? ` (SAR ${c.sarReference})` : ''} by ${c.closedBy}: ${c.closeReason}`
        : `open${c.assigneeId ? `, assigned to ${c.assigneeId}` : ''}`;
      const notes = h('ul', { class: 'small' }, c.notes.map((n: any) => h('li', null, `${dateTime(n.at)} ${n.by}: ${n.note}`)));
      let actions: HTMLElement | null = null;
      if (c.status === 'open') {
        const note = reasonInput(`aml-note-${c.caseId}`, 'note');
        const reason = reasonInput(`aml-reason-${c.caseId}`);
        const sar = reasonInput(`aml-sar-${c.caseId}`, 'SAR reference (reported)');
        const outcome = h('select', { testid: `aml-outcome-${c.caseId}`, 'aria-label': 'outcome' }, h('option', { value: 'no_action' }, 'No action'), h('option', { value: 'reported' }, 'Reported (SAR)'));
        actions = h('div', null,
          h('button', { testid: `aml-assign-${c.caseId}`, onclick: () => void act(ctx, 'POST', `${base}/assign`, { assigneeId: ctx.session.userId, reason: reason.value || 'taken for review' }, 'Case assigned to you', load) }, 'Assign to me'),
          note, h('button', { testid: `aml-add-note-${c.caseId}`, onclick: () => void act(ctx, 'POST', `${base}/notes`, { note: note.value }, 'Note added', load) }, 'Add note'),
          outcome, sar, reason,
          h('button', { testid: `aml-close-${c.caseId}`, onclick: () => void act(ctx, 'POST', `${base}/close`, { outcome: outcome.value, sarReference: sar.value.trim() || null, reason: reason.value }, 'Case closed', load) }, 'Close'));
      }
      return h('tr', { testid: `aml-case-${c.caseId}`, dataset: { rule: c.rule, status: c.status } },
        h('td', null, dateTime(c.at)), h('td', { class: 'small' }, c.userId), h('td', null, c.rule), h('td', { class: 'small' }, JSON.stringify(c.details)),
        h('td', null, h('span', { testid: `aml-state-${c.caseId}` }, state), notes, actions));
    }));
  };
  return load;
}

export function fundsReturns(ctx: ConsoleContext): { el: HTMLElement; load: () => Promise<void> } {
  const rows = h('tbody', { testid: 'funds-return-rows' });
  const load = async (): Promise<void> => {
    const res = await ctx.call('GET', '/admin/protection/funds-returns?limit=100');
    mount(rows, res.items.filter((r: any) => r.status !== 'completed').map((r: any) =>
      h('tr', { dataset: { status: r.status } }, h('td', null, dateTime(r.requestedAt)), h('td', { class: 'small' }, r.userId), h('td', null, r.status, r.reason ? ` (${r.reason})` : ''),
        h('td', { class: 'num' }, r.flaggedMinor ? money(r.flaggedMinor, ctx.currency) : ''))));
  };
  const el = h('section', { class: 'card' }, h('h3', null, 'Self-exclusion: funds to return'),
    h('p', { class: 'small muted' }, 'Waiting: stakes still open. Flagged: no deposit card, identity not verified for winnings, below the minimum payout, or payouts failing; pay these by hand.'),
    h('div', { class: 'scroll' }, h('table', null, h('thead', null, h('tr', null, h('th', null, 'Since'), h('th', null, 'Player'), h('th', null, 'Status'), h('th', { class: 'num' }, 'Amount'))), rows)));
  return { el, load };
}
