/**
 * The player web client: sign up / log in, lobby, roulette tables, live events, wallet. A hash
 * router (`#/`, `#/table/<id>`, `#/event/<id>`, `#/wallet`) swaps views; the header shows the
 * balance and the odds format switch. Rooms are joined with the official @colyseus/sdk.
 */
import { Client } from '@colyseus/sdk';
import { api } from '../shared/api.ts';
import { h, money, mount } from '../shared/dom.ts';
import { ODDS_FORMATS, oddsFormat, setOddsFormat, type OddsFormat } from '../shared/odds.ts';
import { authView } from './auth-view.ts';
import type { AppContext, View, WalletView } from './context.ts';
import { eventView } from './event.ts';
import { lobbyView } from './lobby.ts';
import { rouletteView } from './roulette.ts';
import { crashView } from './crash.ts';
import { blackjackView } from './blackjack.ts';
import { loadSession, saveSession, tokenExpired, type Session } from './session.ts';
import { walletView } from './wallet.ts';
import { cashierView } from './cashier.ts';
import { promotionsView } from './promotions.ts';
import { saferView, type ProtectionView } from './safer.ts';

const routes: Array<[RegExp, View]> = [
  [/^#\/table\/([A-Za-z0-9_.:-]+)$/, rouletteView],
  [/^#\/crash\/([A-Za-z0-9_.:-]+)$/, crashView],
  [/^#\/blackjack\/([A-Za-z0-9_.:-]+)$/, blackjackView],
  [/^#\/event\/([A-Za-z0-9_.:-]+)$/, eventView],
  [/^#\/wallet$/, walletView],
  [/^#\/cashier(?:\?.*)?$/, cashierView],
  [/^#\/promotions$/, promotionsView],
  [/^#\/safer$/, saferView],
  [/^(?:#\/?)?$/, lobbyView],
];

const root = document.getElementById('app')!;
let cleanup: (() => void) | null = null;
let ctx: AppContext | null = null;
let currency = 'EUR';
const oddsListeners = new Set<() => void>();

function header(session: Session): { el: HTMLElement; showWallet: (w: WalletView) => void } {
  const balance = h('span', { class: 'balance', testid: 'balance', title: 'balance (available)' }, '…');
  const clock = sessionClock(session);
  const select = h('select', { testid: 'odds-format', 'aria-label': 'odds format', onchange: () => {
    setOddsFormat(select.value as OddsFormat);
    oddsListeners.forEach((fn) => fn());
  } }, ODDS_FORMATS.map((f) => h('option', { value: f, selected: f === oddsFormat(), text: f[0]!.toUpperCase() + f.slice(1) })));
  const el = h('header', { class: 'topbar' },
    h('a', { class: 'brand', href: '#/' }, 'Casino Live'),
    h('nav', null,
      h('a', { href: '#/', testid: 'nav-lobby' }, 'Lobby'),
      h('a', { href: '#/wallet', testid: 'nav-wallet' }, 'Wallet'),
      h('a', { href: '#/cashier', testid: 'nav-cashier' }, 'Cashier'),
      h('a', { href: '#/promotions', testid: 'nav-promotions' }, 'Promotions'),
      h('a', { href: '#/safer', testid: 'nav-safer' }, 'Safer gambling'),
    ),
    h('div', { class: 'who' }, h('span', { class: 'username', testid: 'username' }, session.username), clock, balance, select,
      h('button', { class: 'link', testid: 'logout', onclick: () => ctx?.logout() }, 'Log out')),
  );
  const showWallet = (w: WalletView) => {
    currency = w.currency;
    balance.dataset.minor = String(w.balanceMinor);
    balance.dataset.available = String(w.availableMinor);
    balance.textContent = w.heldMinor > 0 ? `${money(w.balanceMinor, w.currency)} (${money(w.availableMinor, w.currency)} free)` : money(w.balanceMinor, w.currency);
  };
  return { el, showWallet };
}

/** Time since this session began, always visible (UKGC RTS 13: players keep track of time). */
function sessionClock(session: Session): HTMLElement {
  const el = h('span', { class: 'muted', testid: 'session-clock', title: 'time in this session' }, '0:00');
  let since = Date.now();
  void api<ProtectionView>('GET', '/protection', { token: session.token }).then((p) => {
    if (p.sessionStartedAt) since = p.sessionStartedAt;
  }).catch(() => undefined);
  const tick = () => {
    if (!el.isConnected && el.dataset.started) return void clearInterval(timer);
    el.dataset.started = '1';
    const s = Math.max(0, Math.floor((Date.now() - since) / 1000));
    el.textContent = `${Math.floor(s / 3600)}:${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
  };
  const timer = setInterval(tick, 1000);
  tick();
  return el;
}

function start(session: Session): void {
  const client = new Client();
  client.auth.token = session.token;
  const head = header(session);
  const view = h('main', { id: 'view' });
  mount(root, head.el, view);
  ctx = {
    session,
    client,
    showWallet: head.showWallet,
    currency: () => currency,
    refreshWallet: async () => head.showWallet(await api<WalletView>('GET', '/wallet', { token: session.token })),
    onOddsFormat: (fn) => (oddsListeners.add(fn), () => void oddsListeners.delete(fn)),
    logout: () => {
      cleanup?.();
      cleanup = null;
      saveSession(null);
      ctx = null;
      showLogin();
    },
  };
  ctx.refreshWallet().catch((e) => {
    if (e?.status === 401 || e?.status === 403) ctx?.logout();
  });
  void route();
}

function showLogin(): void {
  cleanup?.();
  cleanup = authView(root, (session) => {
    saveSession(session);
    cleanup?.();
    cleanup = null;
    start(session);
  });
}

async function route(): Promise<void> {
  if (!ctx) return;
  cleanup?.();
  cleanup = null;
  const view = document.getElementById('view')!;
  view.replaceChildren();
  const hash = location.hash;
  for (const [pattern, render] of routes) {
    const m = pattern.exec(hash);
    if (!m) continue;
    const mine = ctx;
    const done = await render(view, mine, m[1] ? decodeURIComponent(m[1]) : '');
    if (ctx !== mine || location.hash !== hash) done(); // navigated away (or logged out) while loading
    else cleanup = done;
    return;
  }
  location.hash = '#/';
}

window.addEventListener('hashchange', () => void route());
const existing = loadSession();
if (existing && !tokenExpired(existing.token)) start(existing);
else showLogin();
