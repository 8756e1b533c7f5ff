/** The lobby: roulette tables from the realtime `lobby` room, live and upcoming events from GET /events. */
import type { Room } from '@colyseus/sdk';
import { api, describeError } from '../shared/api.ts';
import { h, money, mount, time } from '../shared/dom.ts';
import type { View } from './context.ts';

interface Listing {
  roomId: string;
  name: string;
  clients: number;
  maxClients: number;
  locked?: boolean;
  metadata?: { tableId?: string; minBetMinor?: number; maxBetMinor?: number };
}

interface EventItem {
  eventId: string;
  league: string;
  home: string;
  away: string;
  status: string;
  startsAt: number;
  minute: number;
  score: { home: number; away: number };
}

export const lobbyView: View = async (root, ctx) => {
  const tablesEl = h('div', { class: 'list', testid: 'tables' }, h('p', { class: 'muted' }, 'Loading tables…'));
  const crashEl = h('div', { class: 'list', testid: 'crash-rooms' });
  const blackjackEl = h('div', { class: 'list', testid: 'blackjack-tables' });
  const eventsEl = h('div', { class: 'list', testid: 'events' }, h('p', { class: 'muted' }, 'Loading events…'));
  mount(root,
    h('section', null, h('h2', null, 'Roulette tables'), tablesEl),
    h('section', null, h('h2', null, 'Blackjack tables'), blackjackEl),
    h('section', null, h('h2', null, 'Crash'), crashEl),
    h('section', null, h('h2', null, 'Live & upcoming events'), eventsEl),
  );

  const tables = new Map<string, Listing>();
  const renderTables = () => {
    const items = [...tables.values()].filter((t) => t.name === 'roulette').sort((a, b) => a.roomId.localeCompare(b.roomId, 'en', { numeric: true }));
    mount(tablesEl, items.length === 0 ? h('p', { class: 'muted' }, 'No tables open.') : items.map((t) =>
      h('a', { class: `item${t.locked ? ' locked' : ''}`, href: `#/table/${encodeURIComponent(t.roomId)}`, testid: `table-${t.roomId}` },
        h('strong', null, `European roulette · ${t.roomId}`),
        h('span', { class: 'muted' }, `${t.clients} playing · bets ${money(t.metadata?.minBetMinor ?? 0, ctx.currency())}–${money(t.metadata?.maxBetMinor ?? 0, ctx.currency())}${t.locked ? ' · closed to new players' : ''}`),
      )));
    const bj = [...tables.values()].filter((t) => t.name === 'blackjack').sort((a, b) => a.roomId.localeCompare(b.roomId, 'en', { numeric: true }));
    mount(blackjackEl, bj.length === 0 ? h('p', { class: 'muted' }, 'No blackjack tables open.') : bj.map((t) =>
      h('a', { class: 'item', href: `#/blackjack/${encodeURIComponent(t.roomId)}`, testid: `table-${t.roomId}` },
        h('strong', null, `Blackjack · ${t.roomId}`),
        h('span', { class: 'muted' }, `${t.clients} at the table · bets ${money(t.metadata?.minBetMinor ?? 0, ctx.currency())}–${money(t.metadata?.maxBetMinor ?? 0, ctx.currency())} per seat`),
      )));
    renderCrash();
  };

  const renderCrash = () => {
    const items = [...tables.values()].filter((t) => t.name === 'crash').sort((a, b) => a.roomId.localeCompare(b.roomId, 'en', { numeric: true }));
    mount(crashEl, items.length === 0 ? h('p', { class: 'muted' }, 'No crash rooms open.') : items.map((t) =>
      h('a', { class: `item${t.locked ? ' locked' : ''}`, href: `#/crash/${encodeURIComponent(t.roomId)}`, testid: `crash-${t.roomId}` },
        h('strong', null, `Crash · ${t.roomId}`),
        h('span', { class: 'muted' }, `${t.clients} playing · bets ${money(t.metadata?.minBetMinor ?? 0, ctx.currency())}–${money(t.metadata?.maxBetMinor ?? 0, ctx.currency())}`),
      )));
  };

  let lobby: Room | null = null;
  try {
    lobby = await ctx.client.joinOrCreate('lobby');
    lobby.onMessage('rooms', (rooms: Listing[]) => {
      tables.clear();
      for (const r of rooms) tables.set(r.roomId, r);
      renderTables();
    });
    lobby.onMessage('+', ([roomId, room]: [string, Listing]) => {
      tables.set(roomId, room);
      renderTables();
    });
    lobby.onMessage('-', (roomId: string) => {
      tables.delete(roomId);
      renderTables();
    });
  } catch (e) {
    mount(tablesEl, h('p', { class: 'error' }, `Could not load tables: ${describeError(e)}`));
  }

  const loadEvents = async () => {
    try {
      const { items } = await api<{ items: EventItem[] }>('GET', '/events');
      mount(eventsEl, items.length === 0 ? h('p', { class: 'muted' }, 'No events right now.') : items.map((e) =>
        h('a', { class: `item ${e.status}`, href: `#/event/${encodeURIComponent(e.eventId)}`, testid: `event-${e.eventId}` },
          h('strong', null, `${e.home} v ${e.away}`),
          h('span', { class: 'muted' }, e.status === 'in_play' ? `LIVE ${Math.floor(e.minute)}' · ${e.score.home}–${e.score.away} · ${e.league}` : `${e.league} · ${e.status === 'scheduled' ? `starts ${time(e.startsAt)}` : e.status}`),
        )));
    } catch (e) {
      mount(eventsEl, h('p', { class: 'error' }, `Could not load events: ${describeError(e)}`));
    }
  };
  await loadEvents();
  const timer = setInterval(() => void loadEvents(), 5000);
  return () => {
    clearInterval(timer);
    void lobby?.leave().catch(() => undefined);
  };
};
