/**
 * A blackjack table (mobile first, 375 px): the dealer's cards (the up card, the hole card once
 * turned), seven seats with their hands, whose turn and its countdown, the player's action buttons
 * (hit, stand, double, split, surrender; insurance when offered), chips to bet on a seat, the shoe's
 * commitment and penetration, and "verify my last hand" against the revealed shoe. Cards only ever
 * arrive here once dealt face up: the synced state never holds the hole card or the shoe's order.
 */
import type { Room } from '@colyseus/sdk';
import { api, describeError } from '../shared/api.ts';
import { h, money, mount, randomId, toast } from '../shared/dom.ts';
import { verifyShoe, type ShoeProof } from '../shared/fairness.ts';
import type { BlackjackMe, BlackjackMessages } from '../../protocol/blackjack.ts';
import { requests } from '../shared/rooms.ts';
import type { View } from './context.ts';
import { reasonText } from './reasons.ts';

const CHIPS = [100, 500, 1000, 5000];
const SUITS: Record<string, string> = { C: '♣', D: '♦', H: '♥', S: '♠' };
const PHASES: Record<string, string> = { idle: 'Waiting for players', betting: 'Place your bets', insurance: 'Insurance?', playing: 'Playing', settled: 'Round over', voided: 'Round voided — stakes returned' };
const ACTIONS = ['hit', 'stand', 'double', 'split', 'surrender'] as const;

function cardEl(code: string) {
  const rank = code[0] === 'T' ? '10' : code[0]!;
  return h('span', { class: `pcard ${code[1] === 'D' || code[1] === 'H' ? 'red' : 'black'}`, dataset: { card: code } }, `${rank}${SUITS[code[1]!] ?? ''}`);
}

export const blackjackView: View = async (root, ctx, tableId) => {
  let room: Room;
  try {
    room = await ctx.client.joinById(tableId);
  } catch (e) {
    mount(root, h('p', { class: 'error', testid: 'join-error' }, `Could not join ${tableId}: ${describeError(e)}`), h('a', { href: '#/' }, 'Back to the lobby'));
    return () => undefined;
  }
  const request = requests<BlackjackMessages>(room);
  let chip = CHIPS[1]!;
  let me: Omit<BlackjackMe, 'wallet'> | null = null;
  let leaving = false;
  let lastRound: { roundId: string; shoeId: string; cards: Array<{ position: number; card: string }> } | null = null;

  const phaseEl = h('span', { class: 'badge', testid: 'bj-phase' });
  const countdown = h('span', { class: 'countdown', testid: 'bj-countdown' });
  const roundEl = h('span', { class: 'muted', testid: 'bj-round' });
  const shoeEl = h('span', { class: 'muted small', testid: 'bj-shoe' });
  const commitment = h('code', { class: 'hash', testid: 'bj-commitment' });
  const conn = h('div', { class: 'banner hidden', role: 'status' });
  const dealerEl = h('div', { class: 'bj-dealer', testid: 'bj-dealer' });
  const seatsEl = h('div', { class: 'bj-seats', testid: 'bj-seats' });
  const errorEl = h('p', { class: 'error', testid: 'bj-error', role: 'alert' });
  const verifyOut = h('div', { class: 'verify-out', testid: 'bj-verify-result' });
  const buttons = new Map<string, HTMLButtonElement>(ACTIONS.map((a) => [a, h('button', { class: `bj-action ${a}`, testid: `bj-${a}`, disabled: true, onclick: () => void act(a) }, a[0]!.toUpperCase() + a.slice(1))]));
  const insuranceBar = h('div', { class: 'row wrap hidden', testid: 'bj-insurance' },
    h('span', null, 'Dealer shows an ace — insurance (half your bet, pays 2:1)?'),
    h('button', { testid: 'bj-insure-yes', onclick: () => void insure(true) }, 'Insure'),
    h('button', { testid: 'bj-insure-no', onclick: () => void insure(false) }, 'No'));
  const chips = h('div', { class: 'chips', role: 'radiogroup', 'aria-label': 'chip value' }, CHIPS.map((v) =>
    h('button', { class: `chip${v === chip ? ' selected' : ''}`, testid: `bj-chip-${v}`, role: 'radio', 'aria-checked': String(v === chip), onclick: (e: Event) => {
      chip = v;
      chips.querySelectorAll('.chip').forEach((b) => {
        b.classList.toggle('selected', b === e.currentTarget);
        b.setAttribute('aria-checked', String(b === e.currentTarget));
      });
    } }, money(v, ctx.currency()).replace(/\.00$/, ''))));
  const seedInput = h('input', { testid: 'bj-seed', placeholder: 'your client seed (first round of a shoe)', maxlength: 64 });
  const verifyBtn = h('button', { testid: 'bj-verify', disabled: true, onclick: () => void verify() }, 'Verify my last hand');

  mount(root,
    conn,
    h('section', { class: 'table-head' },
      h('h2', null, `Blackjack · ${tableId}`),
      h('div', { class: 'row wrap' }, phaseEl, countdown, roundEl),
      h('p', { class: 'small' }, 'Shoe commitment (SHA-256 of its server seed): ', commitment, ' ', shoeEl),
      h('p', { class: 'small muted' }, '6 decks · dealer stands on soft 17 · blackjack pays 3:2 · double any two, after splits too · split to 4 hands · late surrender · insurance')),
    h('section', { class: 'bj-table' }, dealerEl, seatsEl),
    h('section', { class: 'bj-controls' }, h('div', { class: 'row wrap bj-actions', testid: 'bj-actions' }, [...buttons.values()]), insuranceBar, errorEl,
      h('p', { class: 'small muted' }, 'Tap a free seat to sit and bet the chosen chip; tap your seat again to take the bet back while betting is open.'), chips),
    h('section', null, h('div', { class: 'row wrap' }, seedInput, h('button', { testid: 'bj-seed-send', onclick: () => void sendSeed() }, 'Use seed')),
      verifyBtn, verifyOut),
  );

  const show = (reply: { ok: boolean; error?: { code: string; message: string } }) => {
    errorEl.textContent = reply.ok ? '' : reasonText(reply.error!.code, reply.error!.message);
    return reply.ok;
  };

  async function seatTap(seat: number): Promise<void> {
    const s: any = room.state;
    const mine = me?.seats.find((x) => x.seat === seat);
    if (s.phase !== 'betting') return void (errorEl.textContent = 'Bets are taken while betting is open.');
    if (mine && mine.betMinor > 0) {
      show(await request('removeBet', { seat }));
      return;
    }
    show(await request('bet', { betId: randomId('bj'), seat, stakeMinor: chip }));
  }

  async function act(action: (typeof ACTIONS)[number]): Promise<void> {
    const turn = me?.myTurn;
    if (!turn) return;
    setButtons(false);
    show(await request('act', { seat: turn.seat, hand: turn.hand, action }));
  }

  async function insure(take: boolean): Promise<void> {
    for (const seat of me?.insurancePending ?? []) show(await request('insurance', { seat, take }));
  }

  async function sendSeed(): Promise<void> {
    if (show(await request('clientSeed', { seed: seedInput.value }))) toast('Client seed taken for this shoe', 'ok');
  }

  function setButtons(enabled: boolean): void {
    const s: any = room.state;
    const turn = me?.myTurn;
    const hand = turn ? s.seats[turn.seat]?.hands[turn.hand] : null;
    const cards: string[] = hand?.cards?.toArray() ?? [];
    const two = cards.length === 2;
    const allowed: Record<string, boolean> = {
      hit: true, stand: true, double: two, split: two && cards[0]![0] === cards[1]![0], surrender: two && s.seats[turn?.seat ?? 0]?.hands?.length === 1,
    };
    for (const [a, b] of buttons) b.disabled = !(enabled && turn && allowed[a]);
  }

  function render(s: any): void {
    phaseEl.textContent = PHASES[s.phase] ?? s.phase;
    phaseEl.dataset.phase = s.phase;
    roundEl.textContent = s.roundId ? `round ${s.roundNumber}` : '';
    commitment.textContent = s.serverSeedHash || '—';
    shoeEl.textContent = s.cardsTotal ? `· ${s.shoeId} · ${s.cardsDealt}/${s.cardsTotal} dealt (cut card at ${s.cutCardPosition})` : '';
    shoeEl.dataset.dealt = String(s.cardsDealt);
    const dealerCards: string[] = s.dealer?.cards?.toArray() ?? [];
    mount(dealerEl, h('div', { class: 'label' }, 'Dealer', dealerCards.length ? h('span', { class: 'total', testid: 'bj-dealer-total' }, ` ${s.dealer?.total ?? ''}`) : ''),
      h('div', { class: 'cards', testid: 'bj-dealer-cards' }, dealerCards.map(cardEl), s.dealer?.holeHidden ? h('span', { class: 'pcard back', testid: 'bj-hole', 'aria-label': 'face-down card' }, '🂠') : ''));
    mount(seatsEl, (s.seats?.toArray() ?? []).map((seat: any) => {
      const mine = seat.playerId === ctx.session.userId;
      const turn = s.turnSeat === seat.seat;
      return h('button', { class: `bj-seat${mine ? ' mine' : ''}${turn ? ' turn' : ''}${seat.playerId ? '' : ' free'}`, testid: `bj-seat-${seat.seat}`, onclick: () => void seatTap(seat.seat) },
        h('div', { class: 'label' }, `Seat ${seat.seat + 1}${mine ? ' · you' : seat.playerId ? '' : ' · free'}`),
        seat.betMinor ? h('div', { class: 'small' }, `bet ${money(seat.betMinor, ctx.currency())}${seat.insurance === 'taken' ? ' · insured' : ''}`) : '',
        (seat.hands?.toArray() ?? []).map((hand: any, i: number) => h('div', { class: `bj-hand ${hand.status}${turn && s.turnHand === i ? ' active' : ''}`, testid: `bj-hand-${seat.seat}-${i}` },
          h('div', { class: 'cards' }, (hand.cards?.toArray() ?? []).map(cardEl)),
          h('div', { class: 'small' }, `${hand.soft && hand.total <= 21 ? 'soft ' : ''}${hand.total}${hand.doubled ? ' · doubled' : ''}${hand.status !== 'playing' && hand.status !== 'stood' ? ` · ${hand.status}` : ''}${hand.outcome ? ` → ${hand.outcome}${hand.payoutMinor ? ` ${money(hand.payoutMinor, ctx.currency())}` : ''}` : ''}`))));
    }));
    setButtons(true);
  }

  function renderMe(): void {
    insuranceBar.classList.toggle('hidden', !me || me.insurancePending.length === 0);
    setButtons(true);
  }

  async function loadLastRound(): Promise<void> {
    const { items } = await api<{ items: Array<{ roundId: string; tableId: string; game: string; bets: any[] }> }>('GET', '/games/recent', { token: ctx.session.token });
    const item = items.find((i) => i.game === 'blackjack' && i.tableId === tableId && i.bets[0]?.shoeId);
    if (!item) return;
    lastRound = { roundId: item.roundId, shoeId: item.bets[0].shoeId, cards: item.bets[0].deal as Array<{ position: number; card: string }> };
    verifyBtn.disabled = false;
  }

  async function verify(): Promise<void> {
    if (!lastRound) return;
    try {
      const shoe = await api<ShoeProof & { serverSeed: string | null; status: string }>('GET', `/fairness/shoes/${encodeURIComponent(lastRound.shoeId)}`);
      if (!shoe.serverSeed) {
        mount(verifyOut, h('p', { class: 'muted', testid: 'bj-verify-pending' }, `Shoe ${lastRound.shoeId} is still being dealt: its seed is revealed when it finishes.`));
        return;
      }
      const result = await verifyShoe({ ...shoe, serverSeed: shoe.serverSeed }, lastRound.cards);
      mount(verifyOut, h('p', { class: result.valid ? 'ok' : 'error', testid: 'bj-verified', dataset: { valid: String(result.valid) } },
        result.valid ? `Verified: all ${result.dealt.length} cards of ${lastRound.roundId} are the shoe's cards at their positions.` : 'NOT verified: see the details below.'),
        h('ul', { class: 'small' }, result.dealt.map((d) => h('li', null, `#${d.position}: ${d.card} ${d.matches ? '✓' : `✗ (shoe: ${d.shoe})`}`))));
    } catch (e) {
      mount(verifyOut, h('p', { class: 'error' }, describeError(e)));
    }
  }

  let lastPhase = '';
  room.onStateChange((s: any) => {
    render(s);
    if (s.phase === 'settled' && lastPhase !== 'settled') setTimeout(() => void loadLastRound().catch(() => undefined), 300);
    lastPhase = s.phase;
  });
  room.onMessage('me', (m: BlackjackMe) => {
    me = m;
    ctx.showWallet(m.wallet);
    renderMe();
  });
  room.onMessage('*', () => undefined);
  room.onDrop(() => {
    conn.textContent = 'Connection lost — reconnecting… your seat and hands are kept for the grace period.';
    conn.classList.remove('hidden');
  });
  room.onReconnect(() => conn.classList.add('hidden'));
  room.onLeave((code: number) => {
    if (leaving) return;
    conn.textContent = `You left the table (code ${code}). `;
    conn.appendChild(h('a', { href: `#/blackjack/${encodeURIComponent(tableId)}`, onclick: () => location.reload() }, 'Rejoin'));
    conn.classList.remove('hidden');
  });
  if (room.state) render(room.state);
  void loadLastRound().catch(() => undefined);

  const timer = setInterval(() => {
    const s: any = room.state;
    if (!s) return;
    const left = s.deadline ? Math.max(0, s.deadline - Date.now()) : 0;
    countdown.textContent = s.phase === 'betting' ? `${Math.ceil(left / 1000)} s to bet` : s.phase === 'playing' && s.turnSeat >= 0 ? `seat ${s.turnSeat + 1}: ${Math.ceil(left / 1000)} s` : s.phase === 'insurance' ? `${Math.ceil(left / 1000)} s` : s.deadline ? `next round in ${Math.ceil(left / 1000)} s` : '';
    countdown.dataset.msLeft = String(left);
  }, 250);

  return () => {
    leaving = true;
    clearInterval(timer);
    void room.leave().catch(() => undefined);
  };
};
