/**
 * The crash and blackjack rooms under hostile messages (issue 13's contract on the games built
 * after it): payloads generated from the rooms' own message schemas (protocol/crash.ts,
 * protocol/blackjack.ts) — right field names with valid, edge and junk values — plus unknown
 * types and junk payloads, sent by several players while rounds run. Every message gets exactly
 * one answer (`<type>:result` or `error`), every refusal is typed and none is `server/internal`;
 * the connections stay open, the books reconcile and a calm player still plays afterwards.
 */
import type { Room } from '@colyseus/sdk';
import { expect } from 'chai';
import fc from 'fast-check';
import { pack } from 'msgpackr';
import type { z } from 'zod';
import { actSchema, clientSeedSchema, insuranceSchema, leaveSeatSchema, placeBetSchema, removeBetSchema, takeSeatSchema } from '../../protocol/blackjack.ts';
import { cashOutSchema, crashBetSchema, timeSchema } from '../../protocol/crash.ts';
import { bootTestServer, registerPlayer, type TestServer } from '../support/server.ts';
import { builtInPrototypeKeys, text, value } from './arbitraries.ts';
import { fromSchema, jsonSchemaOf } from './schema-arbitraries.ts';

const SEED = Number(process.env.FUZZ_SEED ?? 20261204);
const SCALE = Number(process.env.FUZZ_SCALE ?? 1);
const COUNT = 1500 * SCALE;
const TYPED = /^[a-z_]+\/[a-z_0-9]+$/;

type Game = 'crash' | 'blackjack';
interface Msg {
  game: Game;
  type: string;
  payload: unknown;
}

const MESSAGES: Record<Game, Record<string, z.ZodType>> = {
  crash: { bet: crashBetSchema, cashOut: cashOutSchema, time: timeSchema },
  blackjack: { takeSeat: takeSeatSchema, leaveSeat: leaveSeatSchema, bet: placeBetSchema, removeBet: removeBetSchema, act: actSchema, insurance: insuranceSchema, clientSeed: clientSeedSchema },
};

function messageOf(game: Game): fc.Arbitrary<Msg> {
  const known = Object.entries(MESSAGES[game]).map(([type, schema]) => fc.record({ game: fc.constant(game), type: fc.constant(type), payload: fromSchema(jsonSchemaOf(schema)) }));
  const unknown = fc.record({ game: fc.constant(game), type: text().filter((t) => t.length > 0 && t.length <= 64 && !/[\uD800-\uDFFF]/.test(t)), payload: value() });
  return fc
    .oneof({ weight: 8, arbitrary: fc.oneof(...known) }, { weight: 1, arbitrary: unknown })
    // A frame over WS_MESSAGE_LIMIT_BYTES (8 KiB) closes the connection (1009): hostile.test.ts sends those.
    .filter((m) => pack(m.payload).length < 7 * 1024);
}

describe('fuzz: hostile messages to the crash and blackjack rooms (issue 13 on issues 16 and 17)', function () {
  this.timeout(240_000);
  let srv: TestServer;
  const before0 = builtInPrototypeKeys();

  before(async () => {
    srv = await bootTestServer({
      ROULETTE_TABLES: '0', CRASH_ROOMS: '1', BLACKJACK_TABLES: '1',
      CRASH_BETTING_WINDOW_MS: '1000', CRASH_PAUSE_MS: '300', BLACKJACK_BETTING_WINDOW_MS: '1000', BLACKJACK_DECISION_MS: '1500', BLACKJACK_PAUSE_MS: '300',
      CLIENT_MESSAGES_PER_SECOND: '10000', CLIENT_DISCONNECT_MESSAGES_PER_SECOND: '100000', FLOOD_BAN_SECONDS: '0', ROOM_CONNECTIONS_PER_PLAYER: '50',
    });
  });
  after(async () => srv?.stop());

  it(`answers ${COUNT} generated messages in each room, each with exactly one typed answer`, async () => {
    const players = await Promise.all([0, 1, 2].map((i) => registerPlayer(srv, `gfuzz${i}`)));
    const rooms: Record<Game, Room[]> = { crash: [], blackjack: [] };
    const replies = new Map<Room, unknown[]>();
    const watch = (r: Room): Room => {
      replies.set(r, []);
      r.onMessage('*', (type: string | number, msg: unknown) => {
        if (typeof type === 'string' && (type.endsWith(':result') || type === 'error')) replies.get(r)!.push(msg);
      });
      return r;
    };
    for (const p of players) {
      rooms.crash.push(watch(await p.client.joinById('crash-1')));
      rooms.blackjack.push(watch(await p.client.joinById('blackjack-1')));
    }
    const cases = [...fc.sample(messageOf('crash'), { numRuns: COUNT, seed: SEED }), ...fc.sample(messageOf('blackjack'), { numRuns: COUNT, seed: SEED + 1 })];
    const codes = new Map<string, number>();
    let accepted = 0;
    for (let from = 0; from < cases.length; from += 60) {
      const batch = cases.slice(from, from + 60);
      const expected = new Map<Room, number>();
      batch.forEach((c, i) => {
        const room = rooms[c.game][i % 3]!;
        expected.set(room, (expected.get(room) ?? 0) + 1);
        room.send(c.type, c.payload);
      });
      const deadline = Date.now() + 15_000;
      while ([...expected].some(([r, n]) => replies.get(r)!.length < n) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
      for (const [r, n] of expected) {
        const got = replies.get(r)!.splice(0);
        expect(got.length, `answers in ${r.roomId} to ${JSON.stringify(batch.filter((c, i) => rooms[c.game][i % 3] === r)).slice(0, 800)}: ${JSON.stringify(got).slice(0, 800)}`).to.equal(n);
        for (const reply of got) {
          const rep = reply as { ok?: unknown; error?: { code?: unknown; message?: unknown } };
          if (rep.ok === true) {
            accepted++;
            continue;
          }
          expect(rep.ok, JSON.stringify(reply)).to.equal(false);
          expect(rep.error?.code, JSON.stringify(reply)).to.be.a('string').and.match(TYPED);
          expect(rep.error?.message, JSON.stringify(reply)).to.be.a('string');
          expect(rep.error?.code, JSON.stringify(reply)).to.not.equal('server/internal');
          codes.set(rep.error!.code as string, (codes.get(rep.error!.code as string) ?? 0) + 1);
        }
      }
    }
    console.log(`      game rooms: ${cases.length} messages, ${accepted} accepted; top codes: ${[...codes].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([c, n]) => `${c} ${n}`).join(', ')}`);
    expect(accepted, 'some generated messages are valid and accepted').to.be.greaterThan(0);
    for (const r of [...rooms.crash, ...rooms.blackjack]) expect(r.connection.isOpen, `${r.roomId} still connected`).to.equal(true);
    await Promise.all([...rooms.crash, ...rooms.blackjack].map((r) => r.leave()));
  });

  it('kept its books and still serves a calm player in both rooms', async () => {
    const calm = await registerPlayer(srv, 'gfuzzcalm');
    const crash = await calm.client.joinById('crash-1');
    const time = (await crash.request('time', {})) as { ok: boolean };
    expect(time.ok).to.equal(true);
    const table = await calm.client.joinById('blackjack-1');
    const seat = (await table.request('takeSeat', { seat: 6 })) as { ok: boolean; error?: { code: string } };
    expect(seat.ok || seat.error?.code === 'seat/taken', JSON.stringify(seat)).to.equal(true);
    await Promise.all([crash.leave(), table.leave()]);
    // Every stake of a finished round is settled; open holds may belong only to rounds still running.
    const rec = await srv.app.services.store.wallet.reconcile();
    expect(rec.ok, JSON.stringify({ ...rec, openHolds: rec.openHolds.length })).to.equal(true);
    expect(rec.negativeAccounts).to.deep.equal([]);
    expect(builtInPrototypeKeys(), 'no built-in prototype polluted').to.deep.equal(before0);
  });
});
