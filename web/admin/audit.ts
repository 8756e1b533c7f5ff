/** The audit log: every operator action (who, when, what, why), newest first, and the chain check. */
import { describeError } from '../shared/api.ts';
import { dateTime, h, mount } from '../shared/dom.ts';
import type { Section } from './context.ts';

export const auditSection: Section = (root, ctx) => {
  const rows = h('tbody', { testid: 'audit-rows' });
  const chain = h('p', { testid: 'audit-chain' });
  const more = h('button', { testid: 'audit-more', disabled: true }, 'Older entries');
  let cursor: string | null = null;
  const page = async (reset = false) => {
    if (reset) {
      cursor = null;
      rows.replaceChildren();
    }
    const res = await ctx.call('GET', `/admin/audit?limit=50${cursor ? `&cursor=${cursor}` : ''}`);
    for (const e of res.items) {
      rows.appendChild(h('tr', { testid: `audit-${e.seq}`, dataset: { action: e.action } },
        h('td', null, String(e.seq)), h('td', null, dateTime(e.at)), h('td', null, e.actorName), h('td', null, h('code', null, e.action)),
        h('td', { class: 'small' }, e.target), h('td', null, e.reason ?? ''), h('td', { class: 'small' }, e.details ? JSON.stringify(e.details) : '')));
    }
    cursor = res.nextCursor;
    more.disabled = cursor === null;
  };
  const verify = async () => {
    const v = await ctx.call('GET', '/admin/audit/verify');
    chain.className = v.ok ? 'ok-text' : 'bad-text';
    chain.dataset.ok = String(v.ok);
    chain.textContent = v.ok ? `✔ Hash chain intact: ${v.entries} entries, head ${v.headHash.slice(0, 16)}…` : `✘ Chain broken at entry ${v.firstBadSeq}: ${v.problem}`;
  };
  more.addEventListener('click', () => void page().catch((e) => (chain.textContent = describeError(e))));
  mount(root, h('h2', null, 'Audit log'), chain,
    h('div', { class: 'row' }, h('button', { testid: 'audit-refresh', onclick: () => void Promise.all([page(true), verify()]).catch((e) => (chain.textContent = describeError(e))) }, 'Refresh')),
    h('div', { class: 'scroll' }, h('table', null, h('thead', null, h('tr', null, h('th', null, '#'), h('th', null, 'When'), h('th', null, 'Who'), h('th', null, 'Action'), h('th', null, 'Target'), h('th', null, 'Reason'), h('th', null, 'Details'))), rows)), more);
  void Promise.all([page(true), verify()]).catch((e) => (chain.textContent = describeError(e)));
  return () => undefined;
};
