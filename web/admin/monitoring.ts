/** Live monitoring: current figures, per-process rooms and clients, charts over the sampled window. */
import { describeError } from '../shared/api.ts';
import { h, money, mount } from '../shared/dom.ts';
import { lineChart } from './chart.ts';
import { poll, type Section } from './context.ts';

export const monitoringSection: Section = (root, ctx) => {
  const kpis = h('div', { class: 'kpis', testid: 'kpis' });
  const procs = h('div', { class: 'scroll' });
  const charts = h('div', { class: 'charts' });
  const error = h('p', { class: 'error' });
  const books = h('div', { class: 'kpis', testid: 'books' });
  mount(root, h('h2', null, 'Live monitoring'), error, kpis, h('h3', null, 'Books'), books, h('h3', null, 'Processes'), procs, h('h3', null, 'Over time'), charts);
  const card = (label: string, value: string, id: string) => h('div', { class: 'card', testid: `kpi-${id}` }, h('span', { class: 'muted' }, label), h('strong', null, value));
  // The reconciliation reads the whole ledger: less often than the live figures.
  const stopBooks = poll(async () => {
    try {
      const r = await ctx.call('GET', '/admin/reconciliation');
      books.dataset.ok = String(r.ok);
      mount(books,
        card('Books', r.ok ? 'balanced' : 'DO NOT BALANCE', 'books-ok'),
        card('Sum of balances', money(r.sumOfBalancesMinor, ctx.currency), 'books-sum'),
        card('Escrow / open holds', `${money(r.escrowBalanceMinor, ctx.currency)} / ${money(r.openHoldsMinor, ctx.currency)} (${r.openHoldCount})`, 'books-escrow'),
        card('Negative balances', String(r.negativeAccounts.length), 'books-negative'),
        card('Owed by players', `${money(r.receivablesMinor, ctx.currency)} (${r.receivableCount})`, 'books-receivables'),
        // Bonus money players hold (the outstanding liability) and what bonuses turned into cash (their cost): docs/PROMOTIONS.md.
        card('Bonus liability', money(r.bonusLiabilityMinor ?? 0, ctx.currency), 'books-bonus-liability'),
        card('Bonus converted / forfeited', `${money(r.bonusConvertedMinor ?? 0, ctx.currency)} / ${money(r.bonusForfeitedMinor ?? 0, ctx.currency)}`, 'books-bonus-cost'));
    } catch (e) {
      mount(books, h('p', { class: 'error' }, `Books: ${describeError(e)}`));
    }
  }, 30_000);
  const stopLive = poll(async () => {
    try {
      const m = await ctx.call('GET', '/admin/monitoring?points=180');
      error.textContent = '';
      const c = m.current;
      mount(kpis,
        card('Connected clients', String(c.clients), 'clients'), card('Rooms (this process)', String(c.rooms), 'rooms'),
        card('Bets/s', String(c.betsPerSecond), 'bets'), card('Stakes (total)', money(c.stakeMinorTotal, ctx.currency), 'stakes'),
        card('GGR (stakes − payouts)', money(c.ggrMinor, ctx.currency), 'ggr'), card('Rejections/s', String(c.rejectionsPerSecond), 'rejections'),
        card('Errors/s', String(c.errorsPerSecond), 'errors'), card('Event-loop delay p99', `${c.eventLoopDelayP99Ms} ms`, 'lag'),
        card('Memory (RSS)', `${Math.round(c.rssBytes / 1048576)} MiB`, 'rss'));
      mount(procs, h('table', { testid: 'processes' },
        h('thead', null, h('tr', null, h('th', null, 'Process'), h('th', { class: 'num' }, 'Rooms'), h('th', { class: 'num' }, 'Clients'))),
        h('tbody', null, m.processes.map((p: any) => h('tr', null, h('td', null, p.processId, p.processId === m.processId ? ' (this one)' : ''), h('td', { class: 'num' }, String(p.roomCount)), h('td', { class: 'num' }, String(p.ccu)))))));
      const series: any[] = [...m.series, c];
      mount(charts,
        lineChart('Bets per second', series.map((s) => s.betsPerSecond)),
        lineChart('Stakes per interval', series.map((s) => s.stakeMinorPerInterval), (n) => money(n, ctx.currency)),
        lineChart('GGR (cumulative)', series.map((s) => s.ggrMinor), (n) => money(n, ctx.currency)),
        lineChart('Connected clients', series.map((s) => s.clients)),
        lineChart('Event-loop delay p99 ms', series.map((s) => s.eventLoopDelayP99Ms)),
        lineChart('Errors per second', series.map((s) => s.errorsPerSecond + s.rejectionsPerSecond)));
    } catch (e) {
      error.textContent = describeError(e);
    }
  }, 5000);
  return () => {
    stopBooks();
    stopLive();
  };
};
