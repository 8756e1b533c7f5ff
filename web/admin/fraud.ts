/**
 * Fraud: the risk service's review queue, a player's risk profile (features, links, score history,
 * reasons, actions) and the linking graph (connected groups of accounts with what links them).
 * Resolving a review needs a note and is audited (docs/FRAUD.md).
 */
import { describeError } from '../shared/api.ts';
import { h, mount, toast } from '../shared/dom.ts';
import { poll, type ConsoleContext, type Section } from './context.ts';

export const fraudSection: Section = (root, ctx, param) => (param === 'graph' ? graph(root, ctx) : param ? profile(root, ctx, param) : queue(root, ctx));

const playerLink = (id: string, label?: string | null) => h('a', { href: `#/fraud/${encodeURIComponent(id)}`, testid: `fraud-player-${id}` }, label || id);
const score = (s: number | null | undefined) => (s === null || s === undefined ? '—' : s.toFixed(3));
const when = (at: number) => new Date(at).toISOString().replace('T', ' ').slice(0, 19);

function queue(root: HTMLElement, ctx: ConsoleContext): () => void {
  const body = h('tbody', { testid: 'fraud-queue' });
  const error = h('p', { class: 'error' });
  const count = h('span', { class: 'muted' });
  mount(root, h('h2', null, 'Review queue ', count), h('p', null, h('a', { href: '#/fraud/graph', testid: 'fraud-graph-link' }, 'Linking graph')), error,
    h('div', { class: 'scroll' }, h('table', null,
      h('thead', null, h('tr', null, h('th', null, 'When'), h('th', null, 'Player'), h('th', null, 'Policy'), h('th', { class: 'num' }, 'Score'), h('th', null, 'Reasons'))), body)));
  return poll(async () => {
    try {
      const q = await ctx.call('GET', '/admin/fraud/queue?status=open&limit=200');
      error.textContent = '';
      count.textContent = `(${q.open} open)`;
      mount(body, q.items.length === 0 ? h('tr', null, h('td', { colspan: 5, class: 'muted' }, 'Nothing to review.')) : q.items.map((i: any) =>
        h('tr', null, h('td', null, when(i.at)), h('td', null, playerLink(i.playerId)), h('td', null, i.policy), h('td', { class: 'num' }, score(i.score)), h('td', null, i.reasons.join('; ')))));
    } catch (e) {
      error.textContent = describeError(e);
    }
  }, 5000);
}

function profile(root: HTMLElement, ctx: ConsoleContext, playerId: string): () => void {
  const view = h('div', { testid: 'fraud-profile' });
  const note = h('input', { testid: 'fraud-note', placeholder: 'note (required to resolve)', maxLength: 500 });
  const clear = h('input', { type: 'checkbox', testid: 'fraud-clear' });
  const error = h('p', { class: 'error', role: 'alert' });
  const load = async () => {
    try {
      const p = await ctx.call('GET', `/admin/fraud/players/${encodeURIComponent(playerId)}`);
      error.textContent = '';
      const prof = p.profile ?? { score: null, anomaly: null, reasons: [], history: [], actions: {} };
      mount(view,
        h('h2', null, `Risk profile: ${p.features.username ?? playerId}`),
        h('p', null, `Score ${score(prof.score)} · anomaly ${score(prof.anomaly)} · `, h('a', { href: `#/players/${encodeURIComponent(playerId)}` }, 'player page')),
        h('h3', null, 'Reasons'), h('ul', { testid: 'fraud-reasons' }, prof.reasons.length ? prof.reasons.map((r: any) => h('li', null, h('b', null, r.detector), `: ${r.message}`)) : h('li', { class: 'muted' }, 'none')),
        h('h3', null, 'Actions taken'), h('ul', null, Object.entries(prof.actions).length ? Object.entries(prof.actions).map(([policy, a]: [string, any]) => h('li', null, `${when(a.at)} ${policy}: ${a.action}${a.stakeFactor !== undefined ? ` ${a.stakeFactor}` : ''}`)) : h('li', { class: 'muted' }, 'none')),
        h('h3', null, 'Links'), h('ul', { testid: 'fraud-links' }, p.links.length ? p.links.map((l: any) => h('li', null, playerLink(l.playerId, l.username), ` shares ${l.via.join(', ')}`)) : h('li', { class: 'muted' }, 'none')),
        h('p', null, `Linked group (any link): ${p.group.length} account(s)`),
        h('h3', null, 'Score history'), h('table', null, h('thead', null, h('tr', null, h('th', null, 'When'), h('th', { class: 'num' }, 'Score'), h('th', { class: 'num' }, 'Anomaly'))),
          h('tbody', null, [...prof.history].reverse().slice(0, 20).map((s: any) => h('tr', null, h('td', null, when(s.at)), h('td', { class: 'num' }, score(s.score)), h('td', { class: 'num' }, score(s.anomaly)))))),
        h('h3', null, 'Model features'), h('dl', { class: 'compact' }, Object.entries(p.model).flatMap(([k, v]) => [h('dt', null, k), h('dd', null, (v as number).toFixed(3))])),
      );
    } catch (e) {
      error.textContent = describeError(e);
    }
  };
  const resolve = async () => {
    if (!note.value.trim()) return void (error.textContent = 'Write a note first: every resolution is recorded with it.');
    try {
      const r = await ctx.call('POST', `/admin/fraud/players/${encodeURIComponent(playerId)}/resolve`, { note: note.value.trim(), clearActions: clear.checked });
      toast(`resolved ${r.resolved} item(s)`, 'ok');
      await load();
    } catch (e) {
      error.textContent = describeError(e);
    }
  };
  mount(root, h('p', null, h('a', { href: '#/fraud' }, '← review queue')), error, view,
    h('div', { class: 'card' }, note, h('label', null, clear, ' let the policies act again on new evidence'), h('button', { testid: 'fraud-resolve', onclick: () => void resolve() }, 'Resolve')));
  void load();
  return () => undefined;
}

function graph(root: HTMLElement, ctx: ConsoleContext): () => void {
  const list = h('div', { testid: 'fraud-graph' });
  const error = h('p', { class: 'error' });
  mount(root, h('p', null, h('a', { href: '#/fraud' }, '← review queue')), h('h2', null, 'Linked accounts'),
    h('p', { class: 'muted' }, 'Groups of accounts connected by a shared device (d:), card (c:), near-identical name (n:) or address (i:).'), error, list);
  return poll(async () => {
    try {
      const { groups } = await ctx.call('GET', '/admin/fraud/graph?minSize=2&limit=50');
      error.textContent = '';
      mount(list, groups.length === 0 ? h('p', { class: 'muted' }, 'No linked accounts.') : groups.map((g: any) =>
        h('div', { class: 'card' },
          h('h3', null, `${g.size} accounts`),
          h('p', null, g.members.map((m: any) => h('span', { class: m.flagged ? 'bad-text' : '' }, playerLink(m.playerId, m.username), ` (${score(m.score)}) `))),
          h('ul', { class: 'muted small' }, g.edges.slice(0, 30).map((e: any) => h('li', null, `${e.a} — ${e.b} via ${e.via}`))))));
    } catch (e) {
      error.textContent = describeError(e);
    }
  }, 10_000);
}
