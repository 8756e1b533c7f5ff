/**
 * The player's multiples slip (docs/API.md "Slips"): selections collected across event views into
 * legs — one per event; a second selection of the same event (another market) turns that leg into a
 * bet builder priced by the server from the joint score distribution — then placed as an
 * accumulator or a system bet (doubles, trebles, Trixie, Yankee, Lucky 15) with a stake per line.
 * Kept in memory for the session (it survives moving between events, not a reload).
 */
import { api, describeError } from '../shared/api.ts';
import { h, money, mount, parseMajor, randomId } from '../shared/dom.ts';
import { formatOdds } from '../shared/odds.ts';
import { combinedPriceMilli, systemLines, LEG_COUNTS, MAX_BUILDER_SELECTIONS, potentialPayoutMinor, type SlipType } from '../../actors/multiples/index.ts';
import type { BuilderQuoteReply, PlaceSlipRequest, SlipView } from '../../protocol/slips.ts';
import type { AppContext } from './context.ts';
import { reasonText } from './reasons.ts';

export interface SlipSelection { marketId: string; selectionId: string; name: string; priceMilli: number }
interface Leg { eventId: string; title: string; selections: SlipSelection[]; priceMilli: number | null; note: string | null }

const TYPES: Array<[SlipType, string]> = [['accumulator', 'Accumulator'], ['doubles', 'Doubles'], ['trebles', 'Trebles'], ['trixie', 'Trixie'], ['yankee', 'Yankee'], ['lucky15', 'Lucky 15']];

const legs = new Map<string, Leg>();
const listeners = new Set<() => void>();
const changed = () => listeners.forEach((fn) => fn());

/** Adds a selection to the slip: a new leg, a replacement in the same market, or a bet builder selection. */
export async function addToMultiple(ctx: AppContext, eventId: string, title: string, sel: SlipSelection): Promise<void> {
  const leg = legs.get(eventId);
  if (!leg) legs.set(eventId, { eventId, title, selections: [sel], priceMilli: sel.priceMilli, note: null });
  else {
    const others = leg.selections.filter((s) => s.marketId !== sel.marketId);
    if (others.length >= MAX_BUILDER_SELECTIONS) return void (leg.note = `A bet builder takes at most ${MAX_BUILDER_SELECTIONS} selections`, changed());
    leg.selections = [...others, sel];
    leg.priceMilli = leg.selections.length === 1 ? sel.priceMilli : null;
  }
  changed();
  await priceBuilder(ctx, legs.get(eventId)!);
}

/** A leg of several selections is priced by the server (joint probability with the builder margin). */
async function priceBuilder(ctx: AppContext, leg: Leg): Promise<void> {
  if (leg.selections.length < 2) return;
  leg.note = 'pricing…';
  changed();
  try {
    const q = await api<BuilderQuoteReply>('POST', '/slips/builder-quote', { token: ctx.session.token, body: { eventId: leg.eventId, selections: leg.selections.map(({ marketId, selectionId }) => ({ marketId, selectionId })) } });
    leg.priceMilli = q.priceMilli;
    leg.note = null;
  } catch (e) {
    leg.priceMilli = null;
    leg.note = describeError(e);
  }
  changed();
}

function removeLeg(eventId: string): void {
  legs.delete(eventId);
  changed();
}

/** The slip panel; returns its cleanup. */
export function multiplesPanel(root: HTMLElement, ctx: AppContext): () => void {
  const type = h('select', { testid: 'multi-type', 'aria-label': 'bet type', onchange: () => render() }, TYPES.map(([v, label]) => h('option', { value: v, text: label })));
  const stake = h('input', { testid: 'multi-stake', inputmode: 'decimal', value: '1.00', 'aria-label': 'stake per line', oninput: () => render() });
  const status = h('div', { class: 'slip-status', testid: 'multi-status', role: 'status' });
  const body = h('div', null);
  const mine = h('div', { class: 'list', testid: 'my-multiples' });
  const offers = new Map<string, number>();
  let slips: SlipView[] = [];
  const place = h('button', { class: 'primary', testid: 'place-multiple', onclick: () => void placeSlip() }, 'Place multiple');
  mount(root, body, h('label', null, 'Bet type', type), h('label', null, `Stake per line (${ctx.currency()})`, stake), place, status, h('h4', null, 'My multiples'), mine);

  async function loadMine(): Promise<void> {
    try {
      slips = (await api<{ items: SlipView[] }>('GET', '/slips', { token: ctx.session.token })).items.filter((x) => x.status !== 'rejected').slice(0, 10);
    } catch {
      return;
    }
    renderMine();
  }

  function renderMine(): void {
    mount(mine, slips.length === 0 ? h('p', { class: 'muted' }, 'None yet.') : slips.map((x) => {
      const offer = offers.get(x.slipId);
      const result = x.status === 'settled' ? (x.paidMinor > 0 ? `Paid ${money(x.paidMinor, ctx.currency())}` : 'Lost') : x.status === 'cashed_out' ? `Cashed out ${money(x.paidMinor, ctx.currency())}` : `open · returns up to ${money(x.potentialPayoutMinor, ctx.currency())}`;
      return h('div', { class: `item bet ${x.status}`, testid: `my-slip-${x.slipId}`, dataset: { status: x.status } },
        h('div', null, h('strong', null, `${TYPES.find(([t]) => t === x.type)?.[1] ?? x.type} · ${x.legs.length} legs`), ' ', h('span', { class: 'muted' }, `${money(x.totalStakeMinor, ctx.currency())}`)),
        h('div', { class: 'muted' }, x.legs.map((l) => (l.result ? `${l.result.outcome}` : 'open')).join(' · ')),
        h('div', null, result),
        x.status === 'accepted'
          ? offer
            ? h('button', { class: 'primary', testid: `slip-cashout-${x.slipId}`, onclick: () => void cashOut(x.slipId, offer) }, `Cash out ${money(offer, ctx.currency())}`)
            : h('button', { testid: `slip-quote-${x.slipId}`, onclick: () => void quote(x.slipId) }, 'Cash-out offer')
          : null);
    }));
  }

  async function quote(slipId: string): Promise<void> {
    try {
      offers.set(slipId, (await api<{ offerMinor: number }>('GET', `/slips/${encodeURIComponent(slipId)}/cash-out`, { token: ctx.session.token })).offerMinor);
    } catch (e) {
      status.textContent = `No cash-out: ${describeError(e)}`;
    }
    renderMine();
  }

  async function cashOut(slipId: string, offerMinor: number): Promise<void> {
    offers.delete(slipId);
    status.className = 'slip-status pending';
    status.textContent = 'Cashing out… (in-play legs wait out their delay)';
    try {
      const r = await api<{ offerMinor: number }>('POST', `/slips/${encodeURIComponent(slipId)}/cash-out`, { token: ctx.session.token, body: { offerMinor } });
      status.className = 'slip-status accepted';
      status.textContent = `Cashed out for ${money(r.offerMinor, ctx.currency())}`;
      void ctx.refreshWallet();
    } catch (e) {
      status.className = 'slip-status rejected';
      status.textContent = `Cash-out refused: ${describeError(e)}`;
    }
    await loadMine();
  }

  function render(): void {
    const list = [...legs.values()];
    const lines = systemLines(type.value as SlipType, list.length);
    const stakeMinor = parseMajor(stake.value);
    const prices = list.map((l) => l.priceMilli);
    const priced = prices.every((p): p is number => p !== null);
    const [min, max] = LEG_COUNTS[type.value as SlipType];
    place.disabled = !lines || !priced || stakeMinor === null;
    mount(body,
      list.length === 0 ? h('p', { class: 'muted' }, 'Add selections from different events (“Add to multiple”). Two markets of one event make a bet builder.') : null,
      list.map((l) => h('div', { class: 'item', testid: `multi-leg-${l.eventId}` },
        h('div', null, h('strong', null, l.title), l.selections.length > 1 ? h('span', { class: 'badge' }, 'bet builder') : null, ' ', h('button', { testid: `multi-remove-${l.eventId}`, onclick: () => removeLeg(l.eventId) }, '✕')),
        h('div', { class: 'muted' }, l.selections.map((s) => s.name).join(' + ')),
        h('div', null, l.priceMilli ? formatOdds(l.priceMilli) : l.note ?? '–', l.note && l.priceMilli ? h('span', { class: 'muted' }, ` ${l.note}`) : null))),
      !lines && list.length > 0 ? h('p', { class: 'warn' }, `${type.selectedOptions[0]?.text} takes ${min}–${max} selections`) : null,
      lines && priced && stakeMinor !== null
        ? h('p', { testid: 'multi-summary' },
          `${lines.length} line${lines.length > 1 ? 's' : ''} · total stake ${money(lines.length * stakeMinor, ctx.currency())}`,
          type.value === 'accumulator' ? ` · odds ${formatOdds(combinedPriceMilli(prices as number[]))}` : '',
          ` · returns up to ${money(potentialPayoutMinor(stakeMinor, lines, prices as number[]), ctx.currency())}`)
        : null);
  }

  async function placeSlip(): Promise<void> {
    const stakeMinor = parseMajor(stake.value);
    const list = [...legs.values()];
    if (stakeMinor === null || list.some((l) => l.priceMilli === null)) return;
    const body: PlaceSlipRequest = {
      slipId: randomId('m'), type: type.value as SlipType, stakePerLineMinor: stakeMinor, acceptance: 'better',
      legs: list.map((l) => ({ eventId: l.eventId, selections: l.selections.map(({ marketId, selectionId }) => ({ marketId, selectionId })), priceMilli: l.priceMilli! })),
    };
    place.disabled = true;
    status.className = 'slip-status pending';
    status.textContent = 'Placing… (in-play legs wait out their delay)';
    try {
      const { slip } = await api<{ slip: SlipView }>('POST', '/slips', { token: ctx.session.token, body });
      status.className = 'slip-status accepted';
      status.dataset.outcome = 'accepted';
      status.textContent = `Accepted: ${slip.lines} line${slip.lines > 1 ? 's' : ''}, ${money(slip.totalStakeMinor, ctx.currency())}, returns up to ${money(slip.potentialPayoutMinor, ctx.currency())} (slip ${slip.slipId})`;
      legs.clear();
      changed();
      void ctx.refreshWallet();
      void loadMine();
    } catch (e) {
      const err = e as { code?: string; details?: { code?: string; message?: string } };
      status.className = 'slip-status rejected';
      status.dataset.outcome = 'rejected';
      status.textContent = `Rejected: ${err.details?.code ? reasonText(err.details.code, err.details.message) : describeError(e)}. Your stake was returned.`;
    } finally {
      render();
    }
  }

  listeners.add(render);
  render();
  void loadMine();
  // Open slips settle as their events end: look again now and then while the panel is shown.
  const timer = setInterval(() => void loadMine(), 10_000);
  return () => {
    clearInterval(timer);
    listeners.delete(render);
  };
}
