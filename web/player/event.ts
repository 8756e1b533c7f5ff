/**
 * A live event: score and clock, every market with prices ticking (a changed price flashes up
 * or down), suspended or closed markets greyed out, a bet slip with the acceptance policy, the
 * in-play bet delay as a countdown, the accepted/rejected outcome with its reason, open bets with
 * cash-out offers (`quote` → `cashOut`), and settled bets.
 */
import type { Room } from '@colyseus/sdk';
import { describeError } from '../shared/api.ts';
import { h, money, mount, parseMajor, randomId, toast } from '../shared/dom.ts';
import { formatOdds } from '../shared/odds.ts';
import type { BetView, MarketMe, MarketMessages } from '../../protocol/market.ts';
import { requests } from '../shared/rooms.ts';
import type { View } from './context.ts';
import { reasonText } from './reasons.ts';
import { showRealityCheck, type RealityCheck } from './safer.ts';
import { addToMultiple, multiplesPanel } from './multiples.ts';
import { slipPromotions } from './slip-promotions.ts';


const PHASES: Record<string, string> = { scheduled: 'Pre-match', first_half: '1st half', half_time: 'Half time', second_half: '2nd half', finished: 'Full time', abandoned: 'Abandoned' };
const SUSPENSIONS: Record<string, string> = { goal: 'goal', red_card: 'red card', penalty: 'penalty', penalty_missed: 'penalty missed', feed_gap: 'waiting for the feed', recovery: 'restarting', operator: 'suspended by the trader' };
const POLICIES: Array<[string, string]> = [['exact', 'Only at this price'], ['better', 'Accept better prices'], ['any', 'Accept any price change']];

export const eventView: View = async (root, ctx, eventId) => {
  let room: Room;
  try {
    room = await ctx.client.joinById(eventId);
  } catch (e) {
    mount(root, h('p', { class: 'error', testid: 'join-error' }, `Could not open event ${eventId}: ${describeError(e)}`), h('a', { href: '#/' }, 'Back to the lobby'));
    return () => undefined;
  }
  const request = requests<MarketMessages>(room);
  const bets = new Map<string, BetView>();
  const prices = new Map<string, number>();
  const quotes = new Map<string, number>();
  /** Price moves still flashing: direction and until when (a re-render in between keeps them). */
  const flashes = new Map<string, { dir: 'up' | 'down'; until: number }>();
  let flashTimer: ReturnType<typeof setTimeout> | null = null;
  let selected: { marketId: string; selectionId: string } | null = null;
  let leaving = false;

  const title = h('h2', { testid: 'event-title' });
  const score = h('div', { class: 'score', testid: 'score' });
  const clock = h('span', { class: 'badge', testid: 'clock' });
  const suspended = h('div', { class: 'banner warn hidden', testid: 'event-suspended', role: 'status' });
  const conn = h('div', { class: 'banner hidden', testid: 'conn-banner' });
  const marketsEl = h('div', { class: 'markets', testid: 'markets' });
  const slip = h('div', { class: 'card slip', testid: 'bet-slip' });
  const slipStatus = h('div', { class: 'slip-status', testid: 'slip-status', role: 'status' });
  const openEl = h('div', { class: 'list', testid: 'open-bets' });
  const settledEl = h('div', { class: 'list', testid: 'settled-bets' });
  const stake = h('input', { testid: 'stake', inputmode: 'decimal', value: '5.00', 'aria-label': 'stake' });
  const policy = h('select', { testid: 'acceptance', 'aria-label': 'if the price changes' }, POLICIES.map(([v, label]) => h('option', { value: v, text: label })));
  const place = h('button', { class: 'primary', testid: 'place-bet', onclick: () => void placeBet() }, 'Place bet');
  // Multiples: the selection goes to the player's accumulator / bet builder slip (web/player/multiples.ts).
  const addMulti = h('button', { testid: 'add-multiple', onclick: () => {
    const sel = selected && marketOf(selected.marketId)?.selections?.get(selected.selectionId);
    if (!selected || !sel) return;
    const n = names(selected);
    void addToMultiple(ctx, eventId, `${state().home} v ${state().away}`, { ...selected, name: `${n.selection} (${n.market})`, priceMilli: sel.priceMilli });
  } }, 'Add to multiple');
  const multiples = h('div', { class: 'card slip', testid: 'multiples-slip' });
  const closeMultiples = multiplesPanel(multiples, ctx);
  const promos = await slipPromotions(ctx.session.token, eventId, () => renderSlip());

  mount(root,
    conn,
    h('section', { class: 'event-head' }, title, h('div', { class: 'row wrap' }, score, clock), suspended),
    h('div', { class: 'event-layout' },
      h('section', null, h('h3', null, 'Markets'), marketsEl),
      h('aside', null,
        h('h3', null, 'Bet slip'), slip, slipStatus,
        h('h3', null, 'Multiples'), multiples,
        h('h3', null, 'Open bets'), openEl,
        h('h3', null, 'Settled bets'), settledEl)),
  );

  const state = (): any => room.state;
  const marketOf = (marketId: string) => state()?.markets?.get(marketId);
  const names = (b: { marketId: string; selectionId: string }) => {
    const m = marketOf(b.marketId);
    return { market: m?.name ?? b.marketId, selection: m?.selections?.get(b.selectionId)?.name ?? b.selectionId };
  };
  const tradable = (m: any) => m && m.status === 'open' && !state().suspended && state().status !== 'finished';

  function renderSlip(): void {
    if (!selected) return mount(slip, h('p', { class: 'muted' }, 'Tap a price to add it to your slip.'));
    const m = marketOf(selected.marketId);
    const sel = m?.selections?.get(selected.selectionId);
    const n = names(selected);
    const ok = tradable(m) && sel?.priceMilli > 1000;
    place.disabled = !ok;
    mount(slip,
      h('div', null, h('strong', null, n.selection), ' ', h('span', { class: 'muted' }, n.market)),
      h('div', { class: 'price big', testid: 'slip-price' }, sel ? formatOdds(sel.priceMilli) : '–'),
      promos.controls(selected.marketId, selected.selectionId, sel?.priceMilli ?? 0, ctx.currency()),
      promos.chosen().freeBetId ? null : h('label', null, `Stake (${ctx.currency()})`, stake),
      h('label', null, 'If the price changes', policy),
      state()?.status === 'in_play' ? h('p', { class: 'hint' }, `In-play bets wait ${(state().betDelayMs / 1000).toFixed(1)} s before they are accepted.`) : null,
      ok ? null : h('p', { class: 'warn' }, 'This market is not taking bets right now.'),
      h('div', { class: 'row' }, place, addMulti));
    addMulti.disabled = !ok;
  }

  async function placeBet(): Promise<void> {
    if (!selected) return;
    const promo = promos.chosen();
    const stakeMinor = promo.stakeMinor ?? parseMajor(stake.value);
    if (stakeMinor === null) return void (slipStatus.textContent = 'Enter a stake such as 5 or 2.50');
    const sel = marketOf(selected.marketId)?.selections?.get(selected.selectionId);
    if (!sel) return;
    const { stakeMinor: _s, priceMilli: boostedPrice, ...promoFields } = promo;
    place.disabled = true;
    slipStatus.className = 'slip-status';
    slipStatus.textContent = 'Placing…';
    try {
      // A token takes the price it asks or better ('any' could go below the token's minimum).
      const token = promoFields.freeBetId ?? promoFields.profitBoostId;
      const acceptance = (token && policy.value === 'any' ? 'better' : policy.value) as BetView['acceptance'];
      const reply = await request('bet', {
        betId: randomId('e'), marketId: selected.marketId, selectionId: selected.selectionId, stakeMinor, priceMilli: boostedPrice ?? sel.priceMilli, acceptance, ...promoFields,
      });
      if (token) await promos.refresh();
      if (!reply.ok) {
        slipStatus.className = 'slip-status rejected';
        slipStatus.dataset.outcome = 'rejected';
        slipStatus.textContent = `Rejected: ${reasonText(reply.error.code, reply.error.message)} (${reply.error.code})`;
      } else {
        upsert(reply);
        showSlipOutcome(reply);
      }
    } catch (e) {
      slipStatus.textContent = describeError(e);
    } finally {
      place.disabled = false;
      renderSlip();
    }
  }

  let slipBet: string | null = null;
  function showSlipOutcome(b: BetView): void {
    slipBet = b.betId;
    slipStatus.dataset.betId = b.betId;
    slipStatus.dataset.outcome = b.status;
    const n = names(b);
    if (b.status === 'pending') {
      slipStatus.className = 'slip-status pending';
      mount(slipStatus, 'Bet delay: ', h('strong', { class: 'delay', testid: 'delay-countdown', dataset: { acceptAt: b.acceptAt } }, ''), ` — ${n.selection} @ ${formatOdds(b.priceMilli)}`);
    } else if (b.status === 'rejected') {
      slipStatus.className = 'slip-status rejected';
      slipStatus.textContent = `Rejected: ${reasonText(b.rejectionCode)} (${b.rejectionCode}). Your stake was returned.`;
    } else {
      slipStatus.className = 'slip-status accepted';
      slipStatus.textContent = `Accepted: ${money(b.stakeMinor, ctx.currency())} on ${n.selection} @ ${formatOdds(b.priceMilli)}${b.priceMilli !== b.requestedPriceMilli ? ` (you asked ${formatOdds(b.requestedPriceMilli)})` : ''}`;
    }
  }

  function upsert(b: BetView): void {
    bets.set(b.betId, { ...bets.get(b.betId), ...b });
    if (b.betId === slipBet) showSlipOutcome(bets.get(b.betId)!);
    renderBets();
  }

  async function quote(betId: string): Promise<void> {
    const reply = await request('quote', { betId });
    if (reply.ok) quotes.set(betId, reply.offerMinor);
    else toast(`No cash-out: ${reasonText(reply.error.code, reply.error.message)}`, 'error');
    renderBets();
  }

  async function cashOut(betId: string): Promise<void> {
    const offerMinor = quotes.get(betId);
    if (!offerMinor) return;
    quotes.delete(betId);
    const reply = await request('cashOut', { betId, offerMinor });
    if (!reply.ok) toast(`Cash-out refused: ${reasonText(reply.error.code, reply.error.message)}`, 'error');
    else {
      upsert(reply);
      toast(reply.outcome === 'cashed_out' ? `Cashed out for ${money(reply.payoutMinor ?? 0, ctx.currency())}` : 'Cash-out requested: it completes after the bet delay', 'ok');
    }
  }

  function renderBets(): void {
    const all = [...bets.values()];
    const open = all.filter((b) => (b.status === 'pending' || b.status === 'accepted') && b.outcome === null);
    const done = all.filter((b) => !open.includes(b)).reverse();
    mount(openEl, open.length === 0 ? h('p', { class: 'muted' }, 'No open bets.') : open.map((b) => {
      const n = names(b);
      const offer = quotes.get(b.betId);
      return h('div', { class: `item bet ${b.status}`, testid: `bet-${b.betId}`, dataset: { status: b.status } },
        h('div', null, h('strong', null, n.selection), ' ', h('span', { class: 'muted' }, n.market)),
        h('div', null, `${money(b.stakeMinor, ctx.currency())} @ ${formatOdds(b.priceMilli)} · `, b.status === 'pending' ? h('span', { class: 'delay', dataset: { acceptAt: b.acceptAt } }, '') : 'accepted'),
        b.profitBoost ? h('div', { class: 'hint', testid: `boost-${b.betId}` }, `Profit boost +${b.profitBoost.boostPct}% (up to ${money(b.profitBoost.maxExtraMinor, ctx.currency())}; lost on cash-out)`) : null,
        b.status === 'accepted' && !b.cashOutPending
          ? offer
            ? h('div', { class: 'row' }, h('button', { class: 'primary', testid: `cashout-${b.betId}`, onclick: () => void cashOut(b.betId) }, `Cash out ${money(offer, ctx.currency())}`), h('button', { onclick: () => (quotes.delete(b.betId), renderBets()) }, 'Cancel'))
            : h('button', { testid: `quote-${b.betId}`, onclick: () => void quote(b.betId) }, 'Cash-out offer')
          : b.cashOutPending ? h('span', { class: 'muted' }, 'cash-out in progress…') : null);
    }));
    mount(settledEl, done.length === 0 ? h('p', { class: 'muted' }, 'None yet.') : done.map((b) => {
      const n = names(b);
      const text = b.status === 'rejected'
        ? `Rejected: ${reasonText(b.rejectionCode)}`
        : b.outcome === 'won' ? `Won ${money(b.payoutMinor ?? 0, ctx.currency())}`
        : b.outcome === 'lost' ? 'Lost'
        : b.outcome === 'void' ? `Void — ${money(b.payoutMinor ?? 0, ctx.currency())} returned`
        : b.outcome === 'cashed_out' ? `Cashed out ${money(b.payoutMinor ?? 0, ctx.currency())}` : b.status;
      return h('div', { class: `item bet ${b.outcome ?? b.status}`, testid: `bet-${b.betId}`, dataset: { status: b.status, outcome: b.outcome ?? '' } },
        h('div', null, h('strong', null, n.selection), ' ', h('span', { class: 'muted' }, n.market)),
        h('div', null, `${money(b.stakeMinor, ctx.currency())} @ ${formatOdds(b.priceMilli)} · `, h('strong', { class: 'result' }, text)));
    }));
  }

  const marketEls = new Map<string, HTMLElement>();
  function renderMarkets(s: any): void {
    const seen = new Set<string>();
    s.markets.forEach((m: any, marketId: string) => {
      seen.add(marketId);
      const off = m.status !== 'open' || s.suspended || s.status === 'finished';
      const card = h('div', { class: `market ${m.status}${off ? ' off' : ''}`, testid: `market-${marketId}`, dataset: { status: s.suspended && m.status === 'open' ? 'suspended' : m.status } },
        h('div', { class: 'market-head' }, h('strong', null, m.name), m.status !== 'open' ? h('span', { class: 'badge' }, m.status) : null),
        h('div', { class: 'selections' }, [...m.selections.entries()].map(([selectionId, sel]: [string, any]) => {
          const key = `${marketId}:${selectionId}`;
          const prev = prices.get(key);
          prices.set(key, sel.priceMilli);
          if (prev !== undefined && prev !== sel.priceMilli && sel.priceMilli > 1000 && prev > 1000) {
            flashes.set(key, { dir: sel.priceMilli > prev ? 'up' : 'down', until: Date.now() + 1500 });
            if (flashTimer) clearTimeout(flashTimer);
            flashTimer = setTimeout(() => state() && renderMarkets(state()), 1600);
          }
          const flash = flashes.get(key);
          const moved = flash && flash.until > Date.now() ? flash.dir : '';
          const isSel = selected?.marketId === marketId && selected.selectionId === selectionId;
          return h('button', {
            class: `selection${moved ? ` flash-${moved}` : ''}${isSel ? ' chosen' : ''}`,
            testid: `sel-${marketId}-${selectionId}`,
            disabled: off || sel.priceMilli <= 1000,
            dataset: { price: sel.priceMilli, ...(moved ? { moved } : {}) },
            onclick: () => {
              selected = { marketId, selectionId };
              slipStatus.textContent = '';
              renderMarkets(state());
              renderSlip();
            },
          }, h('span', { class: 'name' }, sel.name), h('span', { class: 'price' }, formatOdds(sel.priceMilli)));
        })));
      const old = marketEls.get(marketId);
      if (old) old.replaceWith(card);
      else marketsEl.appendChild(card);
      marketEls.set(marketId, card);
    });
    for (const [id, el] of marketEls) if (!seen.has(id)) (el.remove(), marketEls.delete(id));
  }

  function render(s: any): void {
    if (!s?.markets) return; // not fully decoded yet
    title.textContent = `${s.home} v ${s.away}`;
    mount(score, h('span', { testid: 'score-home' }, String(s.homeGoals)), ' – ', h('span', { testid: 'score-away' }, String(s.awayGoals)), s.homeReds || s.awayReds ? h('span', { class: 'muted' }, ` (red cards ${s.homeReds}–${s.awayReds})`) : null);
    clock.textContent = s.status === 'in_play' && s.phase !== 'half_time' ? `${PHASES[s.phase] ?? s.phase} · ${Math.floor(s.minute)}'` : PHASES[s.phase] ?? s.phase;
    suspended.classList.toggle('hidden', !s.suspended);
    suspended.textContent = s.suspended ? `Betting suspended: ${SUSPENSIONS[s.suspendReason] ?? s.suspendReason}` : '';
    renderMarkets(s);
    renderSlip();
  }

  room.onStateChange((s: any) => render(s));
  room.onMessage('me', (m: MarketMe) => {
    ctx.showWallet(m.wallet);
    for (const b of m.bets) upsert(b);
  });
  room.onMessage('betUpdate', (b: BetView) => {
    upsert(b);
    if (b.status === 'rejected') toast(`Bet rejected: ${reasonText(b.rejectionCode)}`, 'error');
    else if (b.outcome === 'won') toast(`Bet won: ${money(b.payoutMinor ?? 0, ctx.currency())}`, 'ok');
  });
  room.onMessage('error', (m: any) => toast(m?.error?.message ?? 'error', 'error'));
  room.onDrop(() => {
    conn.textContent = 'Connection lost — reconnecting…';
    conn.classList.remove('hidden');
  });
  room.onReconnect(() => conn.classList.add('hidden'));
  room.onMessage('protection', (m: { code: string; message: string }) => toast(`${m.message} (${m.code})`, 'error'));
  room.onMessage('realityCheck', (m: RealityCheck) => showRealityCheck(ctx, m));
  room.onLeave(() => {
    if (leaving) return;
    conn.textContent = 'Disconnected from the event. Reload to rejoin.';
    conn.classList.remove('hidden');
  });
  const unsubscribe = ctx.onOddsFormat(() => {
    if (state()) render(state());
    renderBets();
  });
  if (room.state) render(room.state);
  renderBets();

  // Delay countdowns (server epoch ms; clocks assumed roughly in sync).
  const timer = setInterval(() => {
    root.querySelectorAll<HTMLElement>('.delay[data-accept-at]').forEach((el) => {
      const left = Math.max(0, Number(el.dataset.acceptAt) - Date.now());
      el.textContent = left > 0 ? `${(left / 1000).toFixed(1)} s` : 'deciding…';
    });
  }, 100);

  return () => {
    leaving = true;
    closeMultiples();
    clearInterval(timer);
    if (flashTimer) clearTimeout(flashTimer);
    unsubscribe();
    void room.leave().catch(() => undefined);
  };
};
