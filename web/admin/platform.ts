/** Platform: processes, rooms (lock/unlock new joins), drain a process, table configuration. */
import { describeError } from '../shared/api.ts';
import { h, money, mount, toast } from '../shared/dom.ts';
import { poll, type Section } from './context.ts';

export const platformSection: Section = (root, ctx) => {
  const reason = h('input', { testid: 'platform-reason', placeholder: 'reason (required)', maxLength: 200 });
  const error = h('p', { class: 'error', role: 'alert' });
  const procs = h('tbody', { testid: 'platform-processes' });
  const rooms = h('tbody', { testid: 'platform-rooms' });
  const tables = h('div', { testid: 'table-config' });
  const act = async (label: string, path: string) => {
    const why = reason.value.trim();
    if (!why) return void (error.textContent = 'A reason is required.');
    error.textContent = '';
    try {
      await ctx.call('POST', path, { reason: why });
      toast(`${label}: done`, 'ok');
      await refresh();
    } catch (e) {
      error.textContent = `${label}: ${describeError(e)}`;
    }
  };
  mount(root, h('h2', null, 'Platform'),
    h('div', { class: 'card' }, h('label', null, 'Reason for the next action', reason), error),
    h('h3', null, 'Processes'), h('div', { class: 'scroll' }, h('table', null, h('thead', null, h('tr', null, h('th', null, 'Process'), h('th', { class: 'num' }, 'Rooms'), h('th', { class: 'num' }, 'Clients'), h('th', null, ''))), procs)),
    h('h3', null, 'Rooms'), h('div', { class: 'scroll' }, h('table', null, h('thead', null, h('tr', null, h('th', null, 'Room'), h('th', null, 'Kind'), h('th', { class: 'num' }, 'Clients'), h('th', null, 'Joins'), h('th', null, ''))), rooms)),
    h('h3', null, 'Table configuration'), tables);

  async function refresh(): Promise<void> {
    try {
      const p = await ctx.call('GET', '/admin/platform');
      mount(procs, p.processes.map((x: any) => h('tr', null, h('td', null, x.processId, x.processId === p.processId ? ' (this one)' : ''), h('td', { class: 'num' }, String(x.roomCount)), h('td', { class: 'num' }, String(x.ccu)),
        h('td', null, h('div', { class: 'actions' },
          h('button', { testid: `drain-${x.processId}`, onclick: () => void act('Drain', `/admin/platform/processes/${encodeURIComponent(x.processId)}/drain`) }, 'Drain'),
          h('button', { testid: `undrain-${x.processId}`, onclick: () => void act('Undrain', `/admin/platform/processes/${encodeURIComponent(x.processId)}/undrain`) }, 'Reopen'))))));
      mount(rooms, p.rooms.filter((r: any) => r.name !== 'lobby').map((r: any) => h('tr', { testid: `room-${r.roomId}` },
        h('td', null, r.roomId), h('td', null, r.name), h('td', { class: 'num' }, `${r.clients}/${r.maxClients}`),
        h('td', { class: r.locked ? 'bad-text' : 'ok-text' }, r.locked ? 'locked' : 'open'),
        h('td', null, r.locked
          ? h('button', { testid: `unlock-${r.roomId}`, onclick: () => void act(`Unlock ${r.roomId}`, `/admin/platform/rooms/${encodeURIComponent(r.roomId)}/unlock`) }, 'Unlock')
          : h('button', { testid: `lock-${r.roomId}`, onclick: () => void act(`Lock ${r.roomId}`, `/admin/platform/rooms/${encodeURIComponent(r.roomId)}/lock`) }, 'Lock new joins')))));
      const t = p.tables;
      mount(tables, h('dl', null,
        h('dt', null, 'Roulette tables'), h('dd', null, String(t.roulette.count)),
        h('dt', null, 'Betting window'), h('dd', null, `${t.roulette.bettingWindowMs} ms`),
        h('dt', null, 'Spin / pause'), h('dd', null, `${t.roulette.spinMs} ms / ${t.roulette.pauseMs} ms`),
        h('dt', null, 'Limits per bet'), h('dd', null, t.roulette.tables.map((x: any) => `${x.tableId}: ${x.minBetMinor === null ? '?' : money(x.minBetMinor, ctx.currency)}–${x.maxBetMinor === null ? '?' : money(x.maxBetMinor, ctx.currency)}`).join(', ') || '—'),
        h('dt', null, 'In-play bet delay'), h('dd', null, `${t.sportsbook.betDelayMs} ms`),
        h('dt', null, 'Re-open after incidents'), h('dd', null, `${t.sportsbook.resumeAfterMs} ms`)));
    } catch (e) {
      error.textContent = describeError(e);
    }
  }
  return poll(refresh, 5000);
};
