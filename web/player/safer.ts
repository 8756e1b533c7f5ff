/**
 * Safer gambling: the player's own limits (deposit, loss and wager per day, week and month; the
 * session time limit), pending raises with their cooling-off time and a confirm button, the
 * reality-check interval, a time-out and self-exclusion (docs/API.md, "Player protection").
 * Lowering a limit applies at once; raising or removing one waits out the cooling-off period.
 */
import { api, describeError } from '../shared/api.ts';
import { dateTime, h, money, mount, parseMajor, toast } from '../shared/dom.ts';
import type { AppContext, View } from './context.ts';

type Metric = 'deposit' | 'loss' | 'wager';
type Period = 'day' | 'week' | 'month';
interface Pending { metric: Metric | 'session'; period: Period | null; value: number | null; confirmableAt: number }
export interface ProtectionView {
  limits: Partial<Record<Metric, Partial<Record<Period, number>>>>;
  sessionLimitMinutes: number | null;
  sessionStartedAt: number | null;
  pending: Pending[];
  usage: { counters: Record<Metric, Record<Period, number>> };
  block: { kind: 'time_out' | 'self_exclusion'; until: number; permanent: boolean } | null;
  realityCheckMinutes: number | null;
  history: Array<{ at: number; type: string }>;
}

const METRICS: Metric[] = ['deposit', 'loss', 'wager'];
const PERIODS: Period[] = ['day', 'week', 'month'];
const option = (value: string, text: string) => h('option', { value, text });

export const saferView: View = async (root, ctx) => {
  const token = ctx.session.token;
  const cur = () => ctx.currency();
  const status = h('div', { class: 'card', testid: 'protection-status' });
  const limitRows = h('tbody', { testid: 'limit-rows' });
  const metric = h('select', { testid: 'limit-metric', 'aria-label': 'limit type' }, option('deposit', 'Deposit limit'), option('loss', 'Loss limit'), option('wager', 'Wager limit'));
  const period = h('select', { testid: 'limit-period', 'aria-label': 'limit period' }, option('day', 'per day'), option('week', 'per week'), option('month', 'per month'));
  const amount = h('input', { testid: 'limit-amount', inputmode: 'decimal', placeholder: '50.00', 'aria-label': 'limit amount' });
  const setLimit = h('button', { testid: 'limit-submit', class: 'primary' }, 'Set limit');
  const session = h('input', { testid: 'session-minutes', inputmode: 'numeric', placeholder: '60', 'aria-label': 'session limit in minutes' });
  const reality = h('input', { testid: 'reality-minutes', inputmode: 'numeric', placeholder: '30', 'aria-label': 'reality check every N minutes' });
  const timeOut = h('select', { testid: 'timeout-hours', 'aria-label': 'time-out length' }, option('24', '24 hours'), option('168', '1 week'), option('720', '30 days'), option('1008', '6 weeks'));
  const exclusion = h('select', { testid: 'exclusion-months', 'aria-label': 'self-exclusion length' }, option('6', '6 months'), option('12', '1 year'), option('24', '2 years'), option('60', '5 years'), option('permanent', 'permanently'));
  const understood = h('input', { type: 'checkbox', testid: 'exclusion-confirm', 'aria-label': 'I understand' });

  mount(root,
    h('h2', null, 'Safer gambling'), status,
    h('section', { class: 'card' }, h('h3', null, 'Limits'),
      h('p', { class: 'muted' }, 'A lower limit applies at once. A higher one, or removing one, applies only after a cooling-off period and your confirmation.'),
      metric, period, amount, setLimit,
      h('div', { class: 'scroll' }, h('table', { class: 'ledger' }, h('thead', null, h('tr', null, h('th', null, 'Limit'), h('th', { class: 'num' }, 'Set'), h('th', { class: 'num' }, 'Used'), h('th', null, 'Pending'))), limitRows))),
    h('section', { class: 'card' }, h('h3', null, 'Session and reality checks'),
      h('label', null, 'Session limit (minutes) ', session), h('button', { testid: 'session-submit', onclick: () => void act(() => api('PUT', '/protection/session-limit', { token, body: { minutes: minutes(session.value) } }), 'Session limit saved') }, 'Save'),
      h('label', null, ' Reality check every (minutes) ', reality), h('button', { testid: 'reality-submit', onclick: () => void act(() => api('PUT', '/protection/reality-check', { token, body: { minutes: minutes(reality.value) } }), 'Reality check saved') }, 'Save')),
    h('section', { class: 'card' }, h('h3', null, 'Take a break'),
      timeOut, h('button', { testid: 'timeout-submit', onclick: () => void block('/protection/time-out', { hours: Number(timeOut.value) }) }, 'Start time-out'),
      h('h3', null, 'Self-exclusion'),
      h('p', { class: 'muted' }, 'You will not be able to play, deposit or shorten it until it ends. Open bets still settle.'),
      exclusion, h('label', null, understood, ' I understand'),
      h('button', { testid: 'exclusion-submit', class: 'danger', onclick: () => {
        if (!understood.checked) return toast('Tick "I understand" to self-exclude', 'error');
        void block('/protection/self-exclusion', { months: exclusion.value === 'permanent' ? 'permanent' : Number(exclusion.value) });
      } }, 'Self-exclude')),
  );

  const minutes = (v: string): number | null => (v.trim() === '' ? null : Number(v));
  const render = (p: ProtectionView) => {
    mount(status, p.block
      ? h('p', { class: 'error', testid: 'block', dataset: { kind: p.block.kind } }, `${p.block.kind === 'self_exclusion' ? 'Self-excluded' : 'On a time-out'} ${p.block.permanent ? 'permanently' : `until ${dateTime(new Date(p.block.until).toISOString())}`}.`)
      : h('p', { testid: 'block', dataset: { kind: 'none' } }, 'No time-out or self-exclusion.'));
    mount(limitRows, METRICS.flatMap((m) => PERIODS.map((per) => {
      const value = p.limits[m]?.[per];
      const pending = p.pending.find((x) => x.metric === m && x.period === per);
      return h('tr', { testid: `limit-${m}-${per}`, dataset: { minor: value ?? '' } },
        h('td', null, `${m} per ${per}`),
        h('td', { class: 'num' }, value === undefined ? '—' : money(value, cur())),
        h('td', { class: 'num' }, money(Math.max(0, p.usage.counters[m][per]), cur())),
        h('td', null, pending ? [
          `${pending.value === null ? 'removal' : money(pending.value, cur())} from ${dateTime(new Date(pending.confirmableAt).toISOString())} `,
          h('button', { class: 'link', testid: `confirm-${m}-${per}`, onclick: () => void act(() => api('POST', '/protection/limits/confirm', { token, body: { metric: m, period: per } }), 'Limit changed') }, 'confirm'),
          h('button', { class: 'link', onclick: () => void act(() => api('POST', '/protection/limits/cancel', { token, body: { metric: m, period: per } }), 'Change withdrawn') }, 'cancel'),
        ] : ''));
    })));
    session.placeholder = p.sessionLimitMinutes === null ? 'none' : String(p.sessionLimitMinutes);
    reality.placeholder = p.realityCheckMinutes === null ? 'off' : String(p.realityCheckMinutes);
  };
  const refresh = async () => render(await api<ProtectionView>('GET', '/protection', { token }));
  const act = async (fn: () => Promise<unknown>, ok: string) => {
    try {
      await fn();
      toast(ok, 'ok');
    } catch (e) {
      toast(describeError(e), 'error');
    }
    await refresh().catch(() => undefined);
  };
  // A block ends this session on every device at once; the page shows it, then the app logs out.
  const block = async (path: string, body: unknown) => {
    try {
      render(await api<ProtectionView>('POST', path, { token, body }));
      toast('Done. You have been logged out of every table.', 'ok');
    } catch (e) {
      toast(describeError(e), 'error');
    }
  };
  setLimit.addEventListener('click', () => {
    const valueMinor = parseMajor(amount.value);
    if (valueMinor === null) return toast('Enter an amount such as 50.00', 'error');
    void act(() => api('PUT', '/protection/limits', { token, body: { metric: metric.value, period: period.value, valueMinor } }), 'Limit saved');
  });

  try {
    await refresh();
  } catch (e) {
    mount(status, h('p', { class: 'error', testid: 'protection-error' }, describeError(e)));
  }
  return () => undefined;
};

export interface RealityCheck { sessionMs: number; netResultMinor: number; paused: boolean }

/**
 * A reality check from a room (every room of the player gets one): how long the session has lasted
 * and its net result; where play is paused, "Continue" acknowledges it (one dialog at a time).
 */
export function showRealityCheck(ctx: AppContext, m: RealityCheck): void {
  document.querySelector('[data-testid=reality-check]')?.remove();
  const minutes = Math.floor(m.sessionMs / 60_000);
  const dialog = h('div', { class: 'card reality', role: 'alertdialog', testid: 'reality-check' },
    h('h3', null, 'Reality check'),
    h('p', null, `You have been playing for ${Math.floor(minutes / 60)} h ${minutes % 60} min. Net result of this session: ${money(m.netResultMinor, ctx.currency())}.`),
    m.paused ? h('p', { class: 'muted' }, 'Play is paused until you continue.') : null,
    h('button', { class: 'primary', testid: 'reality-ack', onclick: () => {
      void api('POST', '/protection/reality-check/ack', { token: ctx.session.token }).then(() => dialog.remove(), (e) => toast(describeError(e), 'error'));
    } }, 'Continue'),
    h('a', { href: '#/safer', onclick: () => dialog.remove() }, ' Safer gambling'));
  document.getElementById('view')?.prepend(dialog);
}
