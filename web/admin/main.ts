/**
 * The operator console (`/admin`): log in with an operator or admin account, then monitoring,
 * risk, players, payments, promotions, platform and the audit log, each a hash route. Everything goes through the
 * admin HTTP API (docs/API.md), so what the console does can be scripted too.
 */
import { h, mount } from '../shared/dom.ts';
import { authView } from '../player/auth-view.ts';
import { loadSession, saveSession, tokenExpired, type Session } from '../player/session.ts';
import { auditSection } from './audit.ts';
import { makeContext, type Section } from './context.ts';
import { monitoringSection } from './monitoring.ts';
import { paymentsSection } from './payments.ts';
import { platformSection } from './platform.ts';
import { playersSection } from './players.ts';
import { promotionsSection } from './promotions.ts';
import { riskSection } from './risk.ts';

const KEY = 'casino.console';
const ROLES = ['operator', 'admin'];
const SECTIONS: Array<[string, string, Section]> = [
  ['monitoring', 'Monitoring', monitoringSection],
  ['risk', 'Risk', riskSection],
  ['players', 'Players', playersSection],
  ['payments', 'Payments', paymentsSection],
  ['promotions', 'Promotions', promotionsSection],
  ['platform', 'Platform', platformSection],
  ['audit', 'Audit log', auditSection],
];

const root = document.getElementById('app')!;
let cleanup: (() => void) | null = null;
let session: Session | null = null;

function login(): void {
  cleanup?.();
  cleanup = authView(root, (s) => {
    saveSession(s, KEY);
    session = s;
    shell();
  }, { title: 'Operator console', allowSignup: false, roles: ROLES });
}

function shell(): void {
  const tabs = h('nav', { class: 'tabs' }, SECTIONS.map(([id, label]) => h('a', { href: `#/${id}`, testid: `tab-${id}`, dataset: { section: id } }, label)));
  const view = h('main', { id: 'view' });
  mount(root,
    h('header', { class: 'topbar' }, h('a', { class: 'brand', href: '#/monitoring' }, 'Operator console'), tabs,
      h('div', { class: 'who' }, h('span', { class: 'username', testid: 'username' }, `${session!.username} (${session!.role})`),
        h('button', { class: 'link', testid: 'logout', onclick: () => (saveSession(null, KEY), (session = null), login()) }, 'Log out'))),
    view);
  route();
}

function route(): void {
  if (!session) return;
  const view = document.getElementById('view');
  if (!view) return;
  cleanup?.();
  const [, id = 'monitoring', param = ''] = /^#\/([a-z]+)(?:\/(.+))?$/.exec(location.hash) ?? [];
  const entry = SECTIONS.find(([s]) => s === id) ?? SECTIONS[0]!;
  document.querySelectorAll<HTMLElement>('.tabs a').forEach((a) => a.classList.toggle('active', a.dataset.section === entry[0]));
  view.replaceChildren();
  cleanup = entry[2](view, makeContext(session), decodeURIComponent(param));
}

window.addEventListener('hashchange', route);
const existing = loadSession(KEY);
if (existing && !tokenExpired(existing.token) && ROLES.includes(existing.role)) {
  session = existing;
  shell();
} else login();
