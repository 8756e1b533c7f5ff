/**
 * Compliance: a player's protection history, limits and block (read only: no one lifts a block),
 * their KYC status and identity, their recent rounds (game recall); the KYC review queue, the AML
 * cases and their workflow, self-exclusion returns of funds (compliance-review.ts); and the daily
 * regulator report (JSON shown, CSV downloadable; each export's hash goes into the audit log).
 */
import { describeError } from '../shared/api.ts';
import { dateTime, h, money, mount, toast } from '../shared/dom.ts';
import { amlCaseRows, fundsReturns, kycReviewQueue } from './compliance-review.ts';
import type { Section } from './context.ts';
import { gameName, roundResultText } from '../shared/rounds.ts';

export const complianceSection: Section = (root, ctx) => {
  const playerId = h('input', { testid: 'compliance-player', placeholder: 'player id', 'aria-label': 'player id' });
  const player = h('div', { testid: 'compliance-player-view' });
  const cases = h('tbody', { testid: 'aml-rows' });
  const date = h('input', { testid: 'report-date', type: 'date', value: new Date().toISOString().slice(0, 10), 'aria-label': 'report day' });
  const report = h('div', { testid: 'report-view' });
  const cur = ctx.currency;

  const showPlayer = async () => {
    const id = playerId.value.trim();
    if (!id) return;
    try {
      const [p, kyc, recall] = await Promise.all([
        ctx.call('GET', `/admin/players/${encodeURIComponent(id)}/protection`),
        ctx.call('GET', `/admin/players/${encodeURIComponent(id)}/kyc`),
        ctx.call('GET', `/admin/players/${encodeURIComponent(id)}/recall?limit=10`),
      ]);
      mount(player,
        h('p', { testid: 'compliance-block', dataset: { kind: p.block?.kind ?? 'none' } }, p.block ? `${p.block.kind} ${p.block.permanent ? 'permanently' : `until ${dateTime(p.block.until)}`} (cannot be lifted)` : 'No block'),
        h('p', { testid: 'compliance-kyc', dataset: { status: kyc.status } }, `KYC: ${kyc.status}${kyc.reason ? ` (${kyc.reason})` : ''}${kyc.identity ? ` — ${kyc.identity.fullName}, ${kyc.identity.dateOfBirth}, ${kyc.identity.country}` : ''}`),
        h('p', null, `Limits: ${JSON.stringify(p.limits)}; pending: ${p.pending.length}; reality check: ${p.realityCheckMinutes ?? 'off'}`),
        h('h4', null, 'Protection history'),
        h('ul', { testid: 'compliance-history', class: 'small' }, p.history.map((e: { at: number; type: string; details: unknown }) => h('li', { dataset: { type: e.type }, style: 'overflow-wrap:anywhere' }, `${dateTime(e.at)} ${e.type} ${JSON.stringify(e.details)}`))),
        h('h4', null, 'Recent rounds'),
        h('ul', { testid: 'compliance-recall' }, recall.items.map((r: any) => h('li', null, `${dateTime(r.settledAt)} ${gameName(r.game)} ${r.tableId} ${roundResultText(r)}: staked ${money(r.stakeMinor, cur)}, paid ${money(r.payoutMinor, cur)}, balance ${money(r.balanceBeforeMinor, cur)} → ${money(r.balanceAfterMinor, cur)}; seed hash ${String(r.fairness?.serverSeedHash ?? '').slice(0, 12)}…`))));
    } catch (e) {
      mount(player, h('p', { class: 'error' }, describeError(e)));
    }
  };
  const loadCases = amlCaseRows(ctx, cases);
  const kycQueue = kycReviewQueue(ctx);
  const returns = fundsReturns(ctx);
  const loadReport = async () => {
    try {
      const r = await ctx.call('GET', `/admin/reports/daily?date=${date.value}`);
      mount(report,
        h('p', { testid: 'report-sha', class: 'small' }, `SHA-256 ${r.sha256} (in the audit log)`),
        h('table', null, h('thead', null, h('tr', null, h('th', null, 'Game'), h('th', { class: 'num' }, 'Bets'), h('th', { class: 'num' }, 'Stakes'), h('th', { class: 'num' }, 'Payouts'), h('th', { class: 'num' }, 'GGR'))),
          h('tbody', { testid: 'report-rows' }, r.games.map((g: any) => h('tr', { dataset: { game: g.game } }, h('td', null, g.game), h('td', { class: 'num' }, String(g.betsSettled)), h('td', { class: 'num' }, money(g.stakesMinor, cur)), h('td', { class: 'num' }, money(g.payoutsMinor, cur)), h('td', { class: 'num' }, money(g.ggrMinor, cur)))))),
        h('p', null, `GGR ${money(r.totals.ggrMinor, cur)}, bonus cost ${money(r.totals.bonusCostMinor, cur)}, NGR ${money(r.totals.ngrMinor, cur)}; protection events ${JSON.stringify(r.protectionEvents)}; large transactions ${r.largeTransactions.length}${r.truncated ? ' (TRUNCATED)' : ''}`));
    } catch (e) {
      mount(report, h('p', { class: 'error' }, describeError(e)));
    }
  };
  const downloadCsv = async () => {
    const res = await fetch(`/admin/reports/daily?date=${date.value}&format=csv`, { headers: { authorization: `Bearer ${ctx.session.token}` } });
    const url = URL.createObjectURL(await res.blob());
    h('a', { href: url, download: `report-${date.value}.csv` }).click();
    URL.revokeObjectURL(url);
  };

  mount(root, h('h2', null, 'Compliance'),
    h('section', { class: 'card' }, h('h3', null, 'Player'), playerId, h('button', { testid: 'compliance-lookup', onclick: () => void showPlayer() }, 'Show'), player),
    kycQueue.el,
    h('section', { class: 'card' }, h('h3', null, 'AML cases'), h('div', { class: 'scroll' }, h('table', null, h('thead', null, h('tr', null, h('th', null, 'When'), h('th', null, 'Player'), h('th', null, 'Rule'), h('th', null, 'Details'), h('th', null, 'Review'))), cases))),
    returns.el,
    h('section', { class: 'card' }, h('h3', null, 'Daily report'), date, h('button', { testid: 'report-load', onclick: () => void loadReport() }, 'Show'), h('button', { testid: 'report-csv', onclick: () => void downloadCsv() }, 'Download CSV'), report));
  void loadCases().catch((e) => mount(cases, h('tr', null, h('td', null, describeError(e)))));
  void kycQueue.load().catch((e) => toast(describeError(e), 'error'));
  // Without a cashier there are no returns to show (503 payments/disabled): the card stays empty.
  void returns.load().catch(() => undefined);
  return () => undefined;
};
