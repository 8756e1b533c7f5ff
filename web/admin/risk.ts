/**
 * Risk: every live event's exposure; one event's liability per selection, biggest exposures,
 * limits and top players, with the trader's controls (suspend/resume/void a market, suspend or
 * resume the event, re-settle a market), each needing a reason. All actions are audited.
 */
import { describeError } from '../shared/api.ts';
import { h, money, mount, toast } from '../shared/dom.ts';
import { formatOdds } from '../shared/odds.ts';
import { poll, type ConsoleContext, type Section } from './context.ts';

export const riskSection: Section = (root, ctx, eventId) => (eventId ? eventRisk(root, ctx, eventId) : overview(root, ctx));

function overview(root: HTMLElement, ctx: ConsoleContext): () => void {
  const body = h('tbody', { testid: 'risk-events' });
  const error = h('p', { class: 'error' });
  mount(root, h('h2', null, 'Risk by event'), error, h('div', { class: 'scroll' }, h('table', null,
    h('thead', null, h('tr', null, h('th', null, 'Event'), h('th', null, 'State'), h('th', { class: 'num' }, 'Open bets'), h('th', { class: 'num' }, 'Open stakes'), h('th', { class: 'num' }, 'Worst case'), h('th', null, 'Biggest exposure'))),
    body)));
  return poll(async () => {
    try {
      const { items } = await ctx.call('GET', '/admin/risk');
      error.textContent = '';
      mount(body, items.length === 0 ? h('tr', null, h('td', { colspan: 6, class: 'muted' }, 'No live events.')) : items.map((e: any) =>
        h('tr', null,
          h('td', null, h('a', { href: `#/risk/${encodeURIComponent(e.eventId)}`, testid: `risk-${e.eventId}` }, `${e.home} v ${e.away}`), h('div', { class: 'muted small' }, e.eventId)),
          h('td', null, e.error ? h('span', { class: 'bad-text' }, e.error) : `${e.status}${e.minute ? ` ${Math.floor(e.minute)}'` : ''}${e.score ? ` ${e.score.home}–${e.score.away}` : ''}${e.suspendedMarkets ? ` · ${e.suspendedMarkets} suspended` : ''}`),
          h('td', { class: 'num' }, String(e.openBets ?? '')),
          h('td', { class: 'num' }, e.openStakeMinor === undefined ? '' : money(e.openStakeMinor, ctx.currency)),
          h('td', { class: 'num' }, e.worstCaseMinor === undefined ? '' : money(e.worstCaseMinor, ctx.currency)),
          h('td', null, e.biggestExposure ? `${e.biggestExposure.name}: ${money(e.biggestExposure.liabilityMinor, ctx.currency)}` : '—'))));
    } catch (e) {
      error.textContent = describeError(e);
    }
  }, 4000);
}

function eventRisk(root: HTMLElement, ctx: ConsoleContext, eventId: string): () => void {
  const head = h('div', { testid: 'risk-head' });
  const reason = h('input', { testid: 'action-reason', placeholder: 'reason (required for every action)', maxLength: 200 });
  const markets = h('tbody', { testid: 'risk-markets' });
  const exposures = h('div', { class: 'list compact', testid: 'exposures' });
  const multiples = h('div', { class: 'list compact', testid: 'risk-multiples' });
  const players = h('div', { class: 'list compact', testid: 'top-players' });
  const limits = h('dl', { testid: 'limits' });
  const error = h('p', { class: 'error', role: 'alert' });
  const resettleMarket = h('select', { testid: 'resettle-market' });
  const resettleWinner = h('select', { testid: 'resettle-winner' });
  const goalsInput = (testid: string, label: string) => h('input', { testid, type: 'number', min: '0', max: '99', step: '1', value: '0', 'aria-label': label, class: 'goals' });
  const finalHome = goalsInput('settle-home', 'home goals');
  const finalAway = goalsInput('settle-away', 'away goals');
  let last: any = null;

  const act = async (path: string, body: Record<string, unknown>, label: string) => {
    const why = reason.value.trim();
    if (!why) return void (error.textContent = 'Give a reason first: every operator action is recorded with its reason.');
    error.textContent = '';
    try {
      const reply: any = await ctx.call('POST', path, { ...body, reason: why });
      toast(`${label}: done`, 'ok');
      // A clawback the player could not cover: the rest is the player's debt (receivable), paid down by later credits; also in the audit log.
      for (const d of reply?.debts ?? []) error.textContent += `Took ${money(d.takenMinor, ctx.currency)} of ${money(d.clawbackMinor, ctx.currency)} from player ${d.playerId}; ${money(d.debtMinor, ctx.currency)} is recorded as their debt. `;
      await refresh();
    } catch (e) {
      error.textContent = `${label}: ${describeError(e)}`;
    }
  };
  const base = `/admin/events/${encodeURIComponent(eventId)}`;

  const fillWinners = () => {
    const m = last?.markets.find((x: any) => x.marketId === resettleMarket.value);
    mount(resettleWinner, h('option', { value: '__void', text: 'void (refund all)' }), (m?.selections ?? []).map((s: any) => h('option', { value: s.selectionId, text: s.name })));
  };
  resettleMarket.addEventListener('change', fillWinners);

  mount(root,
    h('p', null, h('a', { href: '#/risk' }, '← all events')),
    head,
    h('div', { class: 'card' },
      h('label', null, 'Reason for the next action', reason),
      h('div', { class: 'actions' },
        h('button', { testid: 'event-suspend', onclick: () => void act(`${base}/suspend`, {}, 'Suspend event') }, 'Suspend event'),
        h('button', { testid: 'event-resume', onclick: () => void act(`${base}/resume`, {}, 'Resume event') }, 'Resume event')),
      error),
    h('h3', null, 'Markets and liability per selection'),
    h('div', { class: 'scroll' }, h('table', null,
      h('thead', null, h('tr', null, h('th', null, 'Market'), h('th', null, 'Selections (price · liability · open stake)'), h('th', { class: 'num' }, 'Worst case'), h('th', null, 'Actions'))),
      markets)),
    h('h3', null, 'Re-settle a settled or void market'),
    h('div', { class: 'row wrap' }, resettleMarket, resettleWinner,
      h('button', { testid: 'resettle', onclick: () => void act(`${base}/markets/${encodeURIComponent(resettleMarket.value)}/resettle`, { result: resettleWinner.value === '__void' ? { void: true } : { winner: resettleWinner.value } }, 'Re-settle') }, 'Re-settle')),
    h('h3', null, 'Settle the event by hand (feed lost or wrong)'),
    h('p', { class: 'muted' }, 'The final score results every market still open, as full time would; markets already decided stand (re-settle them above).'),
    h('div', { class: 'row wrap' }, finalHome, h('span', null, '–'), finalAway,
      h('button', { testid: 'settle-event', onclick: () => void act(`${base}/settle`, { score: { home: Number(finalHome.value), away: Number(finalAway.value) } }, 'Settle event') }, 'Settle event')),
    h('h3', null, 'Biggest exposures'), exposures,
    h('h3', null, 'Multiples (accumulators and bet builders)'), multiples,
    h('h3', null, 'Players with most at stake'), players,
    h('h3', null, 'Limits'), limits,
  );

  async function refresh(): Promise<void> {
    let r: any;
    try {
      r = await ctx.call('GET', `/admin/risk/events/${encodeURIComponent(eventId)}`);
    } catch (e) {
      error.textContent = describeError(e);
      return;
    }
    const first = last === null;
    last = r;
    mount(head, h('h2', null, `${r.home} v ${r.away}`), h('p', { class: 'muted' }, `${r.eventId} · ${r.league} · ${r.status} (${r.phase}) ${Math.floor(r.minute)}' · ${r.score.home}–${r.score.away} · ${r.openBets} open bets, ${money(r.openStakeMinor, ctx.currency)} open stakes · worst case ${money(r.worstCaseMinor, ctx.currency)}`), pricingLine(r.pricing));
    mount(markets, r.markets.map((m: any) => h('tr', { testid: `risk-market-${m.marketId}`, dataset: { status: m.status } },
      h('td', null, h('strong', null, m.name), h('div', { class: `small status-${m.status}`, testid: `risk-status-${m.marketId}` }, m.status)),
      h('td', null, m.selections.map((s: any) => h('div', { class: 'small' }, `${s.name} · ${formatOdds(s.priceMilli, 'decimal')} · `, h('strong', null, money(s.liabilityMinor, ctx.currency)), ` · ${money(s.stakeMinor, ctx.currency)} (${s.bets})`, s.multiplesExposureMinor ? ` · multiples ${money(s.multiplesExposureMinor, ctx.currency)}` : ''))),
      h('td', { class: 'num' }, money(m.worstCaseMinor, ctx.currency)),
      h('td', null, h('div', { class: 'actions' },
        m.status === 'open' ? h('button', { testid: `suspend-${m.marketId}`, onclick: () => void act(`${base}/markets/${encodeURIComponent(m.marketId)}/suspend`, {}, `Suspend ${m.name}`) }, 'Suspend') : null,
        m.status === 'suspended' ? h('button', { testid: `resume-${m.marketId}`, onclick: () => void act(`${base}/markets/${encodeURIComponent(m.marketId)}/resume`, {}, `Resume ${m.name}`) }, 'Resume') : null,
        m.status === 'open' || m.status === 'suspended' ? h('button', { class: 'danger', testid: `void-${m.marketId}`, onclick: () => void act(`${base}/markets/${encodeURIComponent(m.marketId)}/void`, {}, `Void ${m.name}`) }, 'Void') : null)))));
    mount(exposures, r.biggestExposures.length === 0 ? h('p', { class: 'muted' }, 'No exposure yet.') : r.biggestExposures.map((s: any) => h('div', { class: 'item' }, h('span', null, `${s.marketName}: ${s.name}`), h('strong', null, money(s.liabilityMinor, ctx.currency)))));
    mount(multiples, multiplesRows(r, ctx.currency));
    mount(players, r.topPlayers.length === 0 ? h('p', { class: 'muted' }, 'No bets yet.') : r.topPlayers.map((p: any) => h('div', { class: 'item' },
      h('a', { href: `#/players/${encodeURIComponent(p.playerId)}` }, p.username ?? p.playerId), h('span', null, `${money(p.stakeMinor, ctx.currency)} · ${(p.limitUsedBps / 100).toFixed(1)}% of the per-player limit`))));
    mount(limits, Object.entries(r.limits).flatMap(([k, v]) => [h('dt', null, k), h('dd', null, k.endsWith('Minor') ? money(v as number, ctx.currency) : String(v))]));
    const settled = r.markets.filter((m: any) => m.status === 'settled' || m.status === 'void');
    if (first || resettleMarket.options.length !== settled.length) {
      const keep = resettleMarket.value;
      mount(resettleMarket, settled.length === 0 ? h('option', { value: '', text: 'no settled markets yet' }) : settled.map((m: any) => h('option', { value: m.marketId, text: `${m.name} (${m.status})`, selected: m.marketId === keep })));
      fillWinners();
    }
  }
  return poll(refresh, 3000);
}

/** Which pricing model version priced the event, and whether market prices are in its pool. */
function pricingLine(p: any) {
  if (!p) return null;
  const parts = [
    `priced by model ${p.modelVersion ?? '(rates given by hand)'}`,
    `ρ ${Number(p.rho).toFixed(3)}`,
    `λ ${Number(p.lambda.home).toFixed(2)}–${Number(p.lambda.away).toFixed(2)}`,
    p.market ? `market input: ${p.market.source} #${p.market.seq} (weight ${p.marketWeight})` : 'no market input',
    p.engineOnlyLimits ? 'engine-only limits in force' : null,
  ].filter(Boolean);
  return h('p', { class: 'muted small', testid: 'risk-pricing' }, parts.join(' · '));
}

/** The event's legs of multiples: open legs, builders, weighted exposure and where it sits (docs/SPORTSBOOK.md "Liability across events"). */
function multiplesRows(r: any, currency: string) {
  const m = r.multiples;
  if (!m || m.openLegs === 0) return h('p', { class: 'muted' }, 'No open legs of multiples.');
  const name = (x: any) => {
    const market = r.markets.find((mk: any) => mk.marketId === x.marketId);
    return `${market?.name ?? x.marketId}: ${market?.selections.find((s: any) => s.selectionId === x.selectionId)?.name ?? x.selectionId}`;
  };
  return [
    h('div', { class: 'item', testid: 'multiples-summary' }, h('span', null, `${m.openLegs} open legs (${m.builderLegs} bet builders)`), h('strong', null, `exposure ${money(m.exposureMinor, currency)}`)),
    ...m.biggestExposures.map((x: any) => h('div', { class: 'item' }, h('span', null, name(x)), h('strong', null, money(x.exposureMinor, currency)))),
  ];
}
