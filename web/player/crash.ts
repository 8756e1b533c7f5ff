/**
 * A crash room: the rising curve on a canvas (drawn locally from the round's start time and the
 * published curve, corrected for clock skew; the server sends no ticks), stake and auto cash-out
 * inputs, the cash-out button, the players with the largest stakes and their cash-outs, recent
 * crash points, and the last round's proof with an in-browser "verify" and its public record.
 */
import type { Room } from '@colyseus/sdk';
import { describeError } from '../shared/api.ts';
import { h, money, mount, parseMajor, randomId, toast } from '../shared/dom.ts';
import { verifyCrashRound } from '../shared/fairness.ts';
import type { CrashCashOutsMessage, CrashMe, CrashMessages } from '../../protocol/crash.ts';
import { requests } from '../shared/rooms.ts';
import { formatMultiplier, multiplierCentsAt } from '../../actors/crash/curve.ts';
import type { View } from './context.ts';
import { reasonText } from './reasons.ts';
import { drawCurve } from './crash-canvas.ts';

const PHASES: Record<string, string> = { idle: 'Waiting for players', betting: 'Place your bets', running: 'Flying', crashed: 'Crashed', voided: 'Round voided — stakes returned' };
const REASONS: Record<string, string> = { manual: 'cashed out', auto: 'auto', max_payout: 'max payout', liability_cap: 'table cap' };

/** Server clock minus this browser's clock, from the `time` request with the shortest round trip (NTP-style midpoint). */
async function clockOffset(request: ReturnType<typeof requests<CrashMessages>>): Promise<number> {
  let best = { rtt: Infinity, offset: 0 };
  for (let i = 0; i < 5; i++) {
    const t0 = Date.now();
    const reply = await request('time', {});
    const t1 = Date.now();
    if (reply.ok && t1 - t0 < best.rtt) best = { rtt: t1 - t0, offset: reply.serverNow - (t0 + t1) / 2 };
  }
  return best.offset;
}

export const crashView: View = async (root, ctx, tableId) => {
  let room: Room;
  try {
    room = await ctx.client.joinById(tableId);
  } catch (e) {
    mount(root, h('p', { class: 'error', testid: 'join-error' }, `Could not join ${tableId}: ${describeError(e)}`), h('a', { href: '#/' }, 'Back to the lobby'));
    return () => undefined;
  }
  const request = requests<CrashMessages>(room);
  let offset = 0;
  let me: CrashMe | null = null;
  let leaving = false;
  let lastProof: { roundId: string; roundHash: string; salt: string; chainIndex: number; terminalHash: string; crashCents: number } | null = null;

  const phaseEl = h('span', { class: 'badge', testid: 'crash-phase' });
  const roundEl = h('span', { class: 'muted', testid: 'round' });
  const countsEl = h('span', { class: 'muted' });
  const multEl = h('div', { class: 'crash-multiplier', testid: 'multiplier', 'aria-live': 'off' }, '1.00×');
  const canvas = h('canvas', { class: 'crash-canvas', testid: 'crash-canvas', width: 340, height: 200, 'aria-label': 'multiplier curve' });
  const capEl = h('p', { class: 'small muted', testid: 'cap' });
  const stakeIn = h('input', { testid: 'crash-stake', name: 'stake', value: '1.00', 'aria-label': 'stake', inputmode: 'decimal', autocomplete: 'off' });
  const autoIn = h('input', { testid: 'crash-auto', name: 'auto', placeholder: 'e.g. 2.00', 'aria-label': 'auto cash-out multiplier', inputmode: 'decimal', autocomplete: 'off' });
  const betBtn = h('button', { class: 'primary', testid: 'crash-bet', onclick: () => void placeBet() }, 'Bet');
  const cashBtn = h('button', { class: 'primary cashout', testid: 'crash-cashout', disabled: true, onclick: () => void cashOut() }, 'Cash out');
  const errorEl = h('p', { class: 'error', testid: 'bet-error', role: 'alert' });
  const myBetEl = h('div', { class: 'card', testid: 'my-bet' });
  const playersEl = h('div', { class: 'list compact', testid: 'crash-players' });
  const historyEl = h('div', { class: 'history', testid: 'history' });
  const proofEl = h('div', { class: 'card small', testid: 'proof' });
  const verifyBtn = h('button', { testid: 'verify', disabled: true, onclick: () => void verify() }, 'Verify last round');
  const verifyOut = h('div', { class: 'verify-out', testid: 'verify-result' });
  const conn = h('div', { class: 'banner hidden', testid: 'conn-banner', role: 'status' });

  mount(root,
    conn,
    h('section', { class: 'table-head' }, h('h2', null, `Crash · ${tableId}`), h('div', { class: 'row wrap' }, phaseEl, roundEl, countsEl)),
    h('section', { class: 'crash-stage' }, multEl, canvas, capEl),
    h('section', null,
      h('div', { class: 'row wrap crash-form' },
        h('label', null, 'Stake ', stakeIn), h('label', null, 'Auto cash-out × ', autoIn)),
      h('div', { class: 'row wrap' }, betBtn, cashBtn), errorEl, myBetEl),
    h('section', null, h('h3', null, 'Players'), playersEl),
    h('section', null, h('h3', null, 'Last crash points'), historyEl),
    h('section', null, h('h3', null, 'Provably fair'), proofEl, verifyBtn, verifyOut),
  );

  async function placeBet(): Promise<void> {
    errorEl.textContent = '';
    const stakeMinor = parseMajor(stakeIn.value);
    if (stakeMinor === null) return void (errorEl.textContent = 'Enter a stake like 1.00');
    const autoText = autoIn.value.trim();
    const autoCashOut = autoText === '' ? null : Number(autoText);
    if (autoCashOut !== null && !(autoCashOut >= 1.01)) return void (errorEl.textContent = 'Auto cash-out must be 1.01 or more (two decimals)');
    const reply = await request('bet', { betId: randomId('c'), stakeMinor, autoCashOut });
    if (!reply.ok) errorEl.textContent = `Bet refused: ${reasonText(reply.error.code, reply.error.message)} (${reply.error.code})`;
  }

  async function cashOut(): Promise<void> {
    cashBtn.disabled = true;
    const reply = await request('cashOut', {});
    if (reply.ok) toast(`Cashed out at ${formatMultiplier(reply.multiplierCents)}× — ${money(reply.payoutMinor, ctx.currency())}`, 'ok');
    else errorEl.textContent = `Cash-out refused: ${reasonText(reply.error.code, reply.error.message)} (${reply.error.code})`;
  }

  async function verify(): Promise<void> {
    if (!lastProof) return;
    verifyOut.textContent = 'Verifying in your browser…';
    try {
      const v = await verifyCrashRound(lastProof);
      verifyOut.className = `verify-out ${v.valid ? 'ok' : 'bad'}`;
      verifyOut.dataset.valid = String(v.valid);
      mount(verifyOut,
        h('strong', null, v.valid ? `✔ Round ${lastProof.roundId} verified` : `✘ Round ${lastProof.roundId} does NOT verify`),
        h('div', null, `SHA-256 applied ${lastProof.chainIndex}× to the round hash ${v.chainMatches ? 'gives' : 'does NOT give'} the published terminal hash.`),
        h('div', null, `HMAC-SHA256(salt, round hash) gives ${formatMultiplier(v.computedCrashCents)}×; the round crashed at ${formatMultiplier(lastProof.crashCents)}×.`));
    } catch (e) {
      verifyOut.className = 'verify-out bad';
      verifyOut.textContent = describeError(e);
    }
  }

  function renderMe(): void {
    const bet = me?.bet;
    cashBtn.disabled = !(bet && bet.cashedOutCents === null && room.state?.phase === 'running');
    betBtn.disabled = Boolean(bet) || room.state?.phase !== 'betting';
    if (!bet) return mount(myBetEl, h('span', { class: 'muted' }, room.state?.phase === 'betting' ? 'No bet yet this round.' : 'Bets open before the next round starts.'));
    const status = bet.cashedOutCents !== null
      ? h('strong', { class: 'win', testid: 'my-cashout', dataset: { cents: bet.cashedOutCents } }, `${REASONS[bet.reason ?? ''] ?? 'out'} at ${formatMultiplier(bet.cashedOutCents)}× — ${money(bet.payoutMinor, ctx.currency())}`)
      : me?.phase === 'crashed' ? h('strong', { class: 'loss' }, `Lost ${money(bet.stakeMinor, ctx.currency())}`) : h('span', null, 'In the round');
    mount(myBetEl, h('div', null, `Your bet: ${money(bet.stakeMinor, ctx.currency())}${bet.autoCashOutCents ? ` · auto ${formatMultiplier(bet.autoCashOutCents)}×` : ''}`), status);
  }

  function render(s: any): void {
    if (!s?.players || !s.history) return; // not fully decoded yet
    phaseEl.textContent = PHASES[s.phase] ?? s.phase;
    phaseEl.dataset.phase = s.phase;
    roundEl.textContent = s.roundNumber ? `Round ${s.roundNumber}` : '';
    countsEl.textContent = `${s.watchers} watching · ${s.betCount} bets · ${s.inCount} still in`;
    capEl.textContent = s.capCents ? `Table cap: everyone still in is cashed out at ${formatMultiplier(s.capCents)}× with the stakes in now.` : '';
    mount(playersEl, s.players.length === 0 ? h('span', { class: 'muted' }, 'No bets this round.') : [...s.players].map((p: any) =>
      h('div', { class: `item${p.cashedOutCents ? ' out' : ''}` },
        h('span', null, p.name),
        h('span', null, money(p.stakeMinor, s.currency)),
        h('strong', null, p.cashedOutCents ? `${formatMultiplier(p.cashedOutCents)}× ${money(p.payoutMinor, s.currency)}` : p.autoCashOutCents ? `auto ${formatMultiplier(p.autoCashOutCents)}×` : '—'))));
    mount(historyEl, s.history.length === 0 ? h('span', { class: 'muted' }, 'none yet') : [...s.history].map((c: number) =>
      h('span', { class: `crash-point ${c >= 200 ? 'high' : 'low'}` }, `${formatMultiplier(c)}×`)));
    if (s.phase === 'crashed' && s.roundHash && lastProof?.roundId !== s.roundId) {
      lastProof = { roundId: s.roundId, roundHash: s.roundHash, salt: s.salt, chainIndex: s.chainIndex, terminalHash: s.terminalHash, crashCents: s.crashCents };
      verifyBtn.disabled = false;
      verifyOut.textContent = '';
      mount(proofEl,
        h('div', null, `Round ${s.roundId} crashed at `, h('strong', { testid: 'crash-point' }, `${formatMultiplier(s.crashCents)}×`)),
        h('div', null, 'Round hash: ', h('code', { class: 'hash' }, s.roundHash)),
        h('div', null, `Chain position ${s.chainIndex} · terminal hash `, h('code', { class: 'hash' }, s.terminalHash)),
        h('a', { href: `/fairness/rounds/${encodeURIComponent(s.roundId)}`, target: '_blank', rel: 'noopener', testid: 'fairness-link' }, 'Public record of this round'));
    } else if (!lastProof) {
      mount(proofEl, h('div', null, 'Terminal hash of this table\u2019s chain (published before its first round): ', h('code', { class: 'hash' }, s.terminalHash || '—')));
    }
    renderMe();
  }

  let frame = 0;
  const animate = () => {
    const s: any = room.state;
    if (s?.phase) {
      const now = Date.now() + offset;
      const elapsed = s.phase === 'running' ? now - s.startsAt : s.phase === 'crashed' ? s.crashElapsedMs : 0;
      const cents = s.phase === 'crashed' ? s.crashCents : multiplierCentsAt(elapsed);
      multEl.textContent = s.phase === 'betting' ? `Starts in ${Math.max(0, (s.startsAt - now) / 1000).toFixed(1)} s` : `${formatMultiplier(cents)}×`;
      multEl.dataset.phase = s.phase;
      multEl.dataset.cents = String(cents);
      drawCurve(canvas, elapsed, s.phase === 'crashed');
    }
    frame = requestAnimationFrame(animate);
  };

  room.onStateChange((s: any) => render(s));
  room.onMessage('me', (m: CrashMe) => {
    me = m;
    ctx.showWallet(m.wallet);
    renderMe();
  });
  room.onMessage('cashouts', (m: CrashCashOutsMessage) => {
    const first = m.items[0];
    if (first) toast(`${m.total} cash-out${m.total > 1 ? 's' : ''}: ${first.name} at ${formatMultiplier(first.multiplierCents)}×`, 'info');
  });
  room.onMessage('error', (m: any) => toast(m?.error?.message ?? 'error', 'error'));
  room.onDrop(() => {
    conn.textContent = 'Connection lost — reconnecting… your bet stands (auto cash-out still fires on the server).';
    conn.classList.remove('hidden');
  });
  room.onReconnect(() => {
    conn.classList.add('hidden');
    void clockOffset(request).then((o) => (offset = o));
  });
  room.onLeave((code: number) => {
    if (leaving) return;
    conn.textContent = `You left the room (code ${code}). `;
    conn.appendChild(h('a', { href: `#/crash/${encodeURIComponent(tableId)}`, onclick: () => location.reload() }, 'Rejoin'));
    conn.classList.remove('hidden');
  });
  if (room.state) render(room.state);
  offset = await clockOffset(request);
  frame = requestAnimationFrame(animate);
  // Clocks drift: re-estimate the offset now and then.
  const resync = setInterval(() => void clockOffset(request).then((o) => (offset = o)), 60_000);

  return () => {
    leaving = true;
    cancelAnimationFrame(frame);
    clearInterval(resync);
    void room.leave().catch(() => undefined);
  };
};
