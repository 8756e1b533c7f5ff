/**
 * A European roulette table: the betting layout with chips, the countdown to the room's
 * `deadline`, the seed commitment, everyone's aggregated stakes per spot, the player's own bets,
 * the result with the revealed seed and an in-browser "verify", and the last results. A dropped
 * connection is re-established by the SDK; bets stand either way (they belong to the player).
 */
import type { Room } from '@colyseus/sdk';
import { describeError } from '../shared/api.ts';
import { h, money, mount, randomId, toast } from '../shared/dom.ts';
import { verifyRound, type RoundProof } from '../shared/fairness.ts';
import type { RouletteMe, RouletteMessages } from '../../protocol/roulette.ts';
import { requests } from '../shared/rooms.ts';
import type { View } from './context.ts';
import { reasonText } from './reasons.ts';
import { isValidInsideShape } from '../../actors/roulette/layout.ts';
import type { InsideBetKind } from '../../actors/roulette/types.ts';

type Spot = RouletteMessages['bet']['request']['spot'];
type Me = RouletteMe;

/** Inside bets made by combining numbers, by how many numbers they cover. */
const COMBINATIONS: Record<number, { kind: Exclude<InsideBetKind, 'straight'>; name: string }> = {
  2: { kind: 'split', name: 'split (17:1)' },
  3: { kind: 'street', name: 'street (11:1)' },
  4: { kind: 'corner', name: 'corner (8:1)' },
  6: { kind: 'line', name: 'six line (5:1)' },
};

const RED = new Set([1, 3, 5, 7, 9, 12, 14, 16, 18, 19, 21, 23, 25, 27, 30, 32, 34, 36]);
const CHIPS = [100, 500, 1000, 2500, 10000];
const PHASES: Record<string, string> = { idle: 'Waiting for players', betting: 'Place your bets', closed: 'No more bets — spinning', settled: 'Result', voided: 'Round voided — stakes returned' };

export function spotKey(s: Spot): string {
  if (s.numbers) return `${s.kind}:${s.numbers.join('-')}`;
  if (s.index) return `${s.kind}:${s.index}`;
  return s.kind;
}

function colorOf(n: number): string {
  return n === 0 ? 'green' : RED.has(n) ? 'red' : 'black';
}

function spotLabel(s: Spot): string {
  if (s.kind === 'straight') return String(s.numbers![0]);
  if (s.numbers) return `${s.kind} ${s.numbers.join('-')}`;
  if (s.kind === 'dozen') return ['1st 12', '2nd 12', '3rd 12'][s.index! - 1]!;
  if (s.kind === 'column') return `column ${s.index}`;
  return ({ low: '1–18', high: '19–36' } as Record<string, string>)[s.kind] ?? s.kind.toUpperCase();
}

export const rouletteView: View = async (root, ctx, tableId) => {
  let room: Room;
  try {
    room = await ctx.client.joinById(tableId);
  } catch (e) {
    mount(root, h('p', { class: 'error', testid: 'join-error' }, `Could not join ${tableId}: ${describeError(e)}`), h('a', { href: '#/' }, 'Back to the lobby'));
    return () => undefined;
  }
  const request = requests<RouletteMessages>(room);
  let chip = CHIPS[0]!;
  let me: Me | null = null;
  let lastProof: (RoundProof & { roundId: string }) | null = null;
  let balanceAtClose: number | null = null;
  let awaitingOutcome = false;
  let lastPhase = '';
  let leaving = false;

  const phaseEl = h('span', { class: 'badge', testid: 'table-phase' });
  const countdown = h('span', { class: 'countdown', testid: 'countdown' });
  const roundEl = h('span', { class: 'muted', testid: 'round' });
  const playersEl = h('span', { class: 'muted' });
  const commitment = h('code', { class: 'hash', testid: 'commitment' });
  const conn = h('div', { class: 'banner hidden', testid: 'conn-banner', role: 'status' });
  const myBetsEl = h('div', { class: 'list compact', testid: 'my-bets' });
  const outcomeEl = h('div', { class: 'outcome', testid: 'round-outcome', role: 'status' });
  const historyEl = h('div', { class: 'history', testid: 'history' });
  const resultEl = h('div', { class: 'result card', testid: 'result' });
  const verifyOut = h('div', { class: 'verify-out', testid: 'verify-result' });
  const errorEl = h('p', { class: 'error', testid: 'bet-error', role: 'alert' });

  const cells = new Map<string, { cell: HTMLButtonElement; total: HTMLElement; mine: HTMLElement }>();
  const cell = (spot: Spot, label: string, cls: string) => {
    const key = spotKey(spot);
    const total = h('span', { class: 'total' });
    const mine = h('span', { class: 'mine' });
    const number = spot.kind === 'straight' ? spot.numbers![0]! : null;
    const onclick = () => (combining && number !== null ? pick(number) : void placeBet(spot));
    const el = h('button', { class: `spot ${cls}`, testid: `spot-${key}`, title: `bet on ${spotLabel(spot)}`, onclick }, h('span', { class: 'label' }, label), total, mine);
    cells.set(key, { cell: el, total, mine });
    return el;
  };
  // Combining: tap 2, 3, 4 or 6 adjacent numbers (0 included), then place the split, street, corner or six line.
  let combining = false;
  let picked: number[] = [];
  const pickedEl = h('span', { class: 'muted', testid: 'combine-picked', 'aria-live': 'polite' });
  const placeCombo = h('button', { testid: 'combine-place', disabled: true, onclick: () => void placeCombination() }, 'Place');
  const comboBar = h('div', { class: 'row wrap combine hidden', testid: 'combine-bar' }, pickedEl, placeCombo,
    h('button', { testid: 'combine-cancel', onclick: () => setPicked([]) }, 'Clear selection'));
  const combineToggle = h('button', { testid: 'combine-toggle', 'aria-pressed': 'false', onclick: () => {
    combining = !combining;
    combineToggle.setAttribute('aria-pressed', String(combining));
    combineToggle.textContent = combining ? 'Back to single numbers' : 'Combine numbers (split, street, corner, line)';
    comboBar.classList.toggle('hidden', !combining);
    setPicked([]);
  } }, 'Combine numbers (split, street, corner, line)');
  const otherSpots = h('div', { class: 'list compact', testid: 'combination-totals' });

  const numbers = [];
  for (let row = 1; row <= 12; row++) for (let col = 1; col <= 3; col++) {
    const n = (row - 1) * 3 + col;
    numbers.push(cell({ kind: 'straight', numbers: [n] }, String(n), colorOf(n)));
  }
  const board = h('div', { class: 'board' },
    h('div', { class: 'zero-row' }, cell({ kind: 'straight', numbers: [0] }, '0', 'green')),
    h('div', { class: 'numbers' }, numbers),
    h('div', { class: 'columns' }, ([1, 2, 3] as const).map((i) => cell({ kind: 'column', index: i }, '2:1', 'outside'))),
    h('div', { class: 'dozens' }, ([1, 2, 3] as const).map((i) => cell({ kind: 'dozen', index: i }, ['1st 12', '2nd 12', '3rd 12'][i - 1]!, 'outside'))),
    h('div', { class: 'evens' },
      cell({ kind: 'low' }, '1–18', 'outside'), cell({ kind: 'even' }, 'EVEN', 'outside'), cell({ kind: 'red' }, 'RED', 'outside red'),
      cell({ kind: 'black' }, 'BLACK', 'outside black'), cell({ kind: 'odd' }, 'ODD', 'outside'), cell({ kind: 'high' }, '19–36', 'outside')),
  );
  const chips = h('div', { class: 'chips', role: 'radiogroup', 'aria-label': 'chip value' }, CHIPS.map((v) =>
    h('button', { class: `chip${v === chip ? ' selected' : ''}`, testid: `chip-${v}`, role: 'radio', 'aria-checked': String(v === chip), onclick: (e: Event) => {
      chip = v;
      chips.querySelectorAll('.chip').forEach((b) => {
        b.classList.toggle('selected', b === e.currentTarget);
        b.setAttribute('aria-checked', String(b === e.currentTarget));
      });
    } }, money(v, ctx.currency()).replace(/\.00$/, ''))));
  const verifyBtn = h('button', { testid: 'verify', disabled: true, onclick: () => void verify() }, 'Verify this round');

  mount(root,
    conn,
    h('section', { class: 'table-head' },
      h('h2', null, `Roulette · ${tableId}`),
      h('div', { class: 'row wrap' }, phaseEl, countdown, roundEl, playersEl),
      h('p', { class: 'small' }, 'Commitment (SHA-256 of this round’s server seed): ', commitment)),
    h('section', null, chips, h('div', { class: 'row wrap' }, combineToggle), comboBar, board, errorEl,
      h('div', { class: 'row' }, h('button', { testid: 'clear-bets', onclick: () => void clearBets() }, 'Clear my bets')),
      h('h4', null, 'Table bets on combinations'), otherSpots),
    h('section', null, h('h3', null, 'My bets this round'), myBetsEl, outcomeEl),
    h('section', null, h('h3', null, 'Last result'), resultEl, verifyBtn, verifyOut),
    h('section', null, h('h3', null, 'Last results'), historyEl),
  );

  function setPicked(next: number[]): void {
    picked = next;
    for (let n = 0; n <= 36; n++) cells.get(`straight:${n}`)?.cell.classList.toggle('picked', picked.includes(n));
    const combo = COMBINATIONS[picked.length];
    pickedEl.textContent = picked.length === 0 ? 'Tap adjacent numbers to combine them.' : `${[...picked].sort((a, b) => a - b).join(', ')}${combo ? ` → ${combo.name}` : ''}`;
    placeCombo.disabled = !combo;
    placeCombo.textContent = combo ? `Place ${combo.kind === 'line' ? 'six line' : combo.kind}` : 'Place';
  }

  function pick(n: number): void {
    if (picked.includes(n)) setPicked(picked.filter((x) => x !== n));
    else if (picked.length < 6) setPicked([...picked, n]);
  }

  async function placeCombination(): Promise<void> {
    const combo = COMBINATIONS[picked.length];
    const sorted = [...picked].sort((a, b) => a - b);
    if (!combo || !isValidInsideShape(combo.kind, sorted)) {
      errorEl.textContent = `${sorted.join(', ')} ${combo ? `is not a ${combo.name.split(' (')[0]} on the layout` : 'is not a bet: pick 2, 3, 4 or 6 adjacent numbers'}.`;
      return;
    }
    await placeBet({ kind: combo.kind, numbers: sorted });
    setPicked([]);
  }

  async function placeBet(spot: Spot): Promise<void> {
    errorEl.textContent = '';
    try {
      const reply = await request('bet', { betId: randomId('b'), spot, stakeMinor: chip });
      if (!reply.ok) errorEl.textContent = `Bet refused: ${reasonText(reply.error.code, reply.error.message)} (${reply.error.code})`;
    } catch (e) {
      errorEl.textContent = describeError(e);
    }
  }

  async function clearBets(): Promise<void> {
    const reply = await request('clearBets', {});
    if (!reply.ok) errorEl.textContent = `Could not clear: ${reasonText(reply.error.code, reply.error.message)}`;
  }

  async function verify(): Promise<void> {
    if (!lastProof) return;
    verifyOut.textContent = 'Verifying in your browser…';
    try {
      // The players' seeds come from the public fairness record: the client seed step needs them.
      const res = await fetch(`/fairness/rounds/${encodeURIComponent(lastProof.roundId)}`);
      const record: any = res.ok ? await res.json() : null;
      const clientSeeds = Array.isArray(record?.clientSeeds) ? (record.clientSeeds as string[]) : null;
      const v = await verifyRound({ ...lastProof, clientSeeds });
      verifyOut.className = `verify-out ${v.valid ? 'ok' : 'bad'}`;
      verifyOut.dataset.valid = String(v.valid);
      mount(verifyOut,
        h('strong', null, v.valid ? `✔ Round ${lastProof.roundId} verified` : `✘ Round ${lastProof.roundId} does NOT verify`),
        h('div', null, `SHA-256(server seed) ${v.hashMatches ? 'matches' : 'does not match'} the commitment.`),
        h('div', null, v.clientSeedMatches === null
          ? 'The client seed cannot be checked: the round record does not list the players\' seeds.'
          : `The client seed ${v.clientSeedMatches ? 'is' : 'is NOT'} made from the ${clientSeeds!.length} player seed(s) by the published rule.`),
        h('div', null, `HMAC derivation gives pocket ${v.computedPocket}; the table showed ${lastProof.result}.`));
    } catch (e) {
      verifyOut.className = 'verify-out bad';
      verifyOut.textContent = describeError(e);
    }
  }

  function renderMe(): void {
    const bets = me?.bets ?? [];
    const byKey = new Map<string, number>();
    for (const b of bets) byKey.set(spotKey(b.spot), (byKey.get(spotKey(b.spot)) ?? 0) + b.stakeMinor);
    for (const [key, c] of cells) {
      const mine = byKey.get(key);
      c.mine.textContent = mine ? money(mine, ctx.currency()).replace(/\.00$/, '') : '';
      c.cell.classList.toggle('has-mine', Boolean(mine));
    }
    const total = bets.reduce((s, b) => s + b.stakeMinor, 0);
    mount(myBetsEl, bets.length === 0 ? h('p', { class: 'muted' }, 'No bets yet: pick a chip, then tap a number or an outside bet.') : [
      ...bets.map((b) => h('div', { class: 'item', dataset: { betId: b.betId } }, h('span', null, spotLabel(b.spot)), h('strong', null, money(b.stakeMinor, ctx.currency())))),
      h('div', { class: 'item total', testid: 'my-total', dataset: { minor: total } }, h('span', null, 'Total'), h('strong', null, money(total, ctx.currency()))),
    ]);
  }

  function render(s: any): void {
    if (!s?.totals || !s.history) return; // not fully decoded yet
    phaseEl.textContent = PHASES[s.phase] ?? s.phase;
    phaseEl.dataset.phase = s.phase;
    roundEl.textContent = s.roundNumber ? `Round ${s.roundNumber}` : '';
    playersEl.textContent = `${s.players} at the table · ${s.betCount} bets`;
    commitment.textContent = s.serverSeedHash || '—';
    for (const [key, c] of cells) {
      const t = s.totals.get(key);
      c.total.textContent = t ? money(t, s.currency).replace(/\.00$/, '') : '';
    }
    const combos = [...s.totals.entries()].filter(([key]: [string, number]) => !cells.has(key));
    mount(otherSpots, combos.length === 0 ? h('span', { class: 'muted' }, 'none this round') : combos.map(([key, t]: [string, number]) =>
      h('div', { class: 'item' }, h('span', null, key.replace(':', ' ')), h('strong', null, money(t, s.currency)))));
    board.classList.toggle('closed', s.phase !== 'betting');
    const hist: number[] = [...s.history];
    mount(historyEl, hist.length === 0 ? h('span', { class: 'muted' }, 'none yet') : hist.slice(0, 20).map((n) => h('span', { class: `pocket ${colorOf(n)}` }, String(n))));
    if (s.phase !== lastPhase) onPhase(s);
    lastPhase = s.phase;
  }

  function onPhase(s: any): void {
    if (s.phase === 'closed') {
      balanceAtClose = me?.wallet.balanceMinor ?? null;
      awaitingOutcome = (me?.bets.length ?? 0) > 0;
      mount(outcomeEl);
    }
    if (s.phase === 'betting') verifyOut.textContent = '';
    if ((s.phase === 'settled' || s.phase === 'voided') && s.serverSeed) {
      lastProof = { roundId: s.roundId, serverSeed: s.serverSeed, serverSeedHash: s.serverSeedHash, clientSeed: s.clientSeed, clientSeeds: null, nonce: s.roundNumber, result: s.pocket };
      verifyBtn.disabled = s.phase !== 'settled';
      mount(resultEl,
        s.phase === 'settled'
          ? h('div', { class: `pocket big ${colorOf(s.pocket)}`, testid: 'result-pocket', dataset: { pocket: s.pocket } }, String(s.pocket))
          : h('strong', null, 'Voided'),
        h('dl', null,
          h('dt', null, 'Round'), h('dd', null, `${s.roundId} (nonce ${s.roundNumber})`),
          h('dt', null, 'Server seed (revealed)'), h('dd', null, h('code', { class: 'hash', testid: 'revealed-seed' }, s.serverSeed)),
          h('dt', null, 'Commitment'), h('dd', null, h('code', { class: 'hash' }, s.serverSeedHash)),
          h('dt', null, 'Client seed'), h('dd', null, h('code', { class: 'hash' }, s.clientSeed))));
    }
  }

  room.onStateChange((s: any) => render(s));
  room.onMessage('me', (m: Me) => {
    me = m;
    ctx.showWallet(m.wallet);
    renderMe();
    if (awaitingOutcome && balanceAtClose !== null && (m.phase === 'settled' || m.phase === 'voided')) {
      awaitingOutcome = false;
      const net = m.wallet.balanceMinor - balanceAtClose;
      outcomeEl.dataset.net = String(net);
      mount(outcomeEl, h('strong', { class: net > 0 ? 'win' : net < 0 ? 'loss' : '' }, net > 0 ? `You won ${money(net, m.wallet.currency)}` : net < 0 ? `You lost ${money(-net, m.wallet.currency)}` : 'Stakes returned'));
    }
  });
  room.onMessage('error', (m: any) => toast(m?.error?.message ?? 'error', 'error'));
  room.onDrop(() => {
    conn.textContent = 'Connection lost — reconnecting… your bets stand.';
    conn.classList.remove('hidden');
  });
  room.onReconnect(() => {
    conn.classList.add('hidden');
    toast('Reconnected: your bets are still on the table', 'ok');
  });
  room.onLeave((code: number) => {
    if (leaving) return;
    conn.textContent = `You left the table (code ${code}). `;
    conn.appendChild(h('a', { href: `#/table/${encodeURIComponent(tableId)}`, onclick: () => location.reload() }, 'Rejoin'));
    conn.classList.remove('hidden');
  });
  if (room.state) render(room.state);
  renderMe();

  const timer = setInterval(() => {
    const s: any = room.state;
    if (!s) return;
    const left = s.deadline ? Math.max(0, s.deadline - Date.now()) : 0;
    countdown.textContent = s.phase === 'betting' ? `${(left / 1000).toFixed(1)} s to bet` : s.phase === 'closed' ? 'spinning…' : s.deadline ? `next round in ${Math.ceil(left / 1000)} s` : '';
    countdown.dataset.msLeft = String(left);
  }, 200);

  return () => {
    leaving = true;
    clearInterval(timer);
    void room.leave().catch(() => undefined);
  };
};
