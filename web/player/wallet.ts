/** Balance, ledger history (paged) and recent casino rounds. */
import { api, describeError } from '../shared/api.ts';
import { dateTime, h, money, mount } from '../shared/dom.ts';
import type { View, WalletView } from './context.ts';
import { gameName, roundResultText } from '../shared/rounds.ts';

interface LedgerEntry { transferId: string; kind: string; amountMinor: number; counterparty: string; holdId: string | null; memo: string | null; createdAt: string }
interface RecentRound { roundId: string; game: string; result: number | null; stakeMinor: number; winningsMinor: number; netMinor: number; settledAt: string }

export const walletView: View = async (root, ctx) => {
  const token = ctx.session.token;
  const summary = h('div', { class: 'card', testid: 'wallet-summary' });
  const rows = h('tbody', { testid: 'ledger-rows' });
  const more = h('button', { testid: 'ledger-more', disabled: true }, 'Older entries');
  const rounds = h('div', { class: 'list', testid: 'recent-rounds' });
  mount(root,
    h('h2', null, 'Wallet'), summary,
    h('section', null, h('h3', null, 'Ledger'),
      h('div', { class: 'scroll' }, h('table', { class: 'ledger' }, h('thead', null, h('tr', null, h('th', null, 'When'), h('th', null, 'What'), h('th', { class: 'num' }, 'Amount'))), rows)), more),
    h('section', null, h('h3', null, 'Recent rounds'), rounds),
  );
  let cursor: string | null = null;
  const page = async () => {
    const res = await api<{ items: LedgerEntry[]; nextCursor: string | null }>('GET', `/wallet/ledger?limit=20${cursor ? `&cursor=${cursor}` : ''}`, { token });
    for (const t of res.items) {
      rows.appendChild(h('tr', { class: t.amountMinor >= 0 ? 'in' : 'out' },
        h('td', null, dateTime(t.createdAt)),
        h('td', null, h('span', { class: 'kind' }, t.kind), ' ', h('span', { class: 'muted' }, t.memo ?? t.counterparty)),
        h('td', { class: 'num' }, money(t.amountMinor, ctx.currency()))));
    }
    cursor = res.nextCursor;
    more.disabled = cursor === null;
  };
  more.addEventListener('click', () => void page().catch((e) => (more.textContent = describeError(e))));
  try {
    const w = await api<WalletView>('GET', '/wallet', { token });
    ctx.showWallet(w);
    mount(summary,
      h('div', { class: 'kpi' }, h('span', null, 'Balance'), h('strong', { testid: 'wallet-balance', dataset: { minor: w.balanceMinor } }, money(w.balanceMinor, w.currency))),
      h('div', { class: 'kpi' }, h('span', null, 'Available'), h('strong', null, money(w.availableMinor, w.currency))),
      h('div', { class: 'kpi' }, h('span', null, 'In open bets'), h('strong', null, money(w.heldMinor, w.currency))));
    await page();
    const recent = await api<{ items: RecentRound[] }>('GET', '/games/recent', { token });
    mount(rounds, recent.items.length === 0 ? h('p', { class: 'muted' }, 'No rounds played yet.') : recent.items.map((r) =>
      h('div', { class: 'item', testid: 'recent-round', dataset: { game: r.game, round: r.roundId } },
        h('strong', null, `${gameName(r.game)} ${r.roundId} → `, h('span', { testid: 'recent-result' }, roundResultText(r))),
        h('span', { class: r.netMinor >= 0 ? 'win' : 'loss' }, `staked ${money(r.stakeMinor, ctx.currency())}, returned ${money(r.winningsMinor, ctx.currency())}`))));
  } catch (e) {
    mount(summary, h('p', { class: 'error' }, describeError(e)));
  }
  return () => undefined;
};
