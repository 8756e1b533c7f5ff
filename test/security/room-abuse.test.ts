/**
 * Issue 13, defects 10 and 11: flooding clients and connection hoarding in rooms, and the lobby's
 * message limit, with real SDK clients against a real server.
 */
import { expect } from 'chai';
import type { Room } from '@colyseus/sdk';
import { bootTestServer, http, registerPlayer, type TestServer } from '../support/server.ts';
import { waitFor } from '../support/cluster.ts';
import { waitForMessage } from '../support/wait.ts';

const ADMIN = { username: 'abuse_admin', password: 'abuse-admin-pass-1' };

function closed(room: Room): Promise<number> {
  return new Promise((resolve) => room.onLeave((code) => resolve(code)));
}

describe('room abuse (issue 13: defects 10, 11)', function () {
  this.timeout(60_000);
  let srv: TestServer;
  afterEach(async () => srv?.stop());

  describe('defect 10: a flood disconnect is final; connections per player are capped', () => {
    it('closes a flooding client at once, refuses its reconnection token, and bars the player for FLOOD_BAN_SECONDS', async () => {
      srv = await bootTestServer({ ROULETTE_TABLES: '1', RECONNECT_GRACE_SECONDS: '30', CLIENT_DISCONNECT_MESSAGES_PER_SECOND: '300', FLOOD_BAN_SECONDS: '60' });
      const p = await registerPlayer(srv, 'flooder');
      const room = await p.client.joinById('roulette-1');
      room.onMessage('*', () => undefined);
      const reconnectionToken = room.reconnectionToken;
      room.reconnection.enabled = false; // the test reconnects by hand, as an attacker would
      const gone = closed(room);
      const started = Date.now();
      for (let i = 0; i < 1000; i++) room.send('bet', { betId: `f${i}`, spot: { kind: 'red' }, stakeMinor: 100 });
      const code = await gone;
      expect(Date.now() - started, 'closed at once, not after the 30 s grace').to.be.below(5_000);
      expect(code).to.equal(4002);

      const again = await http(srv.url, 'POST', '/matchmake/reconnect/roulette-1', { reconnectionToken }, p.token);
      expect(again.status, JSON.stringify(again.body)).to.equal(410);
      expect(again.body.error.code).to.equal('matchmake/reconnect_failed');
      let err: any = null;
      await p.client.joinById('roulette-1').catch((e) => (err = e));
      expect(err?.code).to.equal(429);
      expect(String(err?.message)).to.match(/^room\/flood_banned: /);

      // Another player at the table is unaffected.
      const q = await registerPlayer(srv, 'calm');
      const other = await q.client.joinById('roulette-1');
      await other.leave();
    });

    it('refuses a player\'s connection past ROOM_CONNECTIONS_PER_PLAYER to one room, with a typed error', async () => {
      srv = await bootTestServer({ ROULETTE_TABLES: '0', ROOM_CONNECTIONS_PER_PLAYER: '3', ADMIN_USERNAME: ADMIN.username, ADMIN_PASSWORD: ADMIN.password });
      const admin = (await http(srv.url, 'POST', '/auth/login', ADMIN)).body.token;
      expect((await http(srv.url, 'POST', '/admin/events', { eventId: 'hoard-1', league: 'E0', home: 'Arsenal', away: 'Everton', startsAt: Date.now() + 3_600_000 }, admin)).status).to.equal(201);
      expect((await http(srv.url, 'POST', '/admin/events', { eventId: 'hoard-2', league: 'E0', home: 'Chelsea', away: 'Fulham', startsAt: Date.now() + 3_600_000 }, admin)).status).to.equal(201);
      const p = await registerPlayer(srv, 'hoarder');
      const held: Room[] = [];
      for (let i = 0; i < 3; i++) held.push(await p.client.joinById('hoard-1'));
      let err: any = null;
      await p.client.joinById('hoard-1').catch((e) => (err = e));
      expect(err?.code).to.equal(429);
      expect(String(err?.message)).to.match(/^room\/too_many_connections: /);
      // Another room, or another player, is not affected; a closed connection frees its place.
      const elsewhere = await p.client.joinById('hoard-2');
      const q = await registerPlayer(srv, 'neighbour');
      const theirs = await q.client.joinById('hoard-1');
      await held.pop()!.leave();
      const fourth = await waitFor('a freed place', () => p.client.joinById('hoard-1').catch(() => null), 5_000, 100);
      await Promise.all([...held, elsewhere, theirs, fourth].map((r) => r.leave()));
    });
  });

  describe('defect 11: the lobby limits its messages', () => {
    it('answers at most a few listings to a burst of 100 filter messages, the rest with msg/rate_limited', async () => {
      srv = await bootTestServer({ ROULETTE_TABLES: '2' });
      const p = await registerPlayer(srv, 'lobbyspam');
      const lobby = await p.client.joinOrCreate('lobby');
      await waitForMessage(lobby, 'rooms');
      let listings = 0;
      let limited = 0;
      lobby.onMessage('rooms', () => listings++);
      lobby.onMessage('error', (m: any) => (m?.error?.code === 'msg/rate_limited' ? limited++ : undefined));
      for (let i = 0; i < 100; i++) lobby.send('filter', { name: 'roulette' });
      await waitFor('every filter answered', async () => listings + limited >= 100, 10_000, 20);
      expect(listings).to.be.within(1, 6);
      expect(limited).to.be.at.least(94);
      const invalid = waitForMessage(lobby, 'error', (m: any) => m?.error?.code === 'msg/invalid');
      await new Promise((r) => setTimeout(r, 1100)); // a new second's allowance
      lobby.send('filter', { name: { $ne: null } });
      expect((await invalid).error.message).to.include('name');
      await lobby.leave();
    });

    it('disconnects a lobby client that floods it, like any room', async () => {
      srv = await bootTestServer({ ROULETTE_TABLES: '1', CLIENT_DISCONNECT_MESSAGES_PER_SECOND: '300' });
      const p = await registerPlayer(srv, 'lobbyflood');
      const lobby = await p.client.joinOrCreate('lobby');
      lobby.onMessage('*', () => undefined);
      lobby.reconnection.enabled = false;
      const gone = closed(lobby);
      for (let i = 0; i < 1000; i++) lobby.send('filter', {});
      expect(await gone).to.equal(4002);
    });
  });
});
