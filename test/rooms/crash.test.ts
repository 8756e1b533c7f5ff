import { expect } from 'chai';
import { createHash, createHmac } from 'node:crypto';
import type { Room } from '@colyseus/sdk';
import { bootTestServer, http, registerPlayer, type TestServer } from '../support/server.ts';
import { until, waitForMessage, waitForState } from '../support/wait.ts';

/** The chain seed whose rounds crash at 1.62×, 1.28×, 1.57× (chain of 50, default salt): found by search, checked below. */
const SEED = createHash('sha256').update('crash room test seed 494').digest('hex');
const SALT = 'casino-live-crash-v1';

/** Independent re-implementation of the documented derivation (docs/FAIRNESS.md, crash). */
function crashCentsOf(roundHash: string): number {
  const r = BigInt(`0x${createHmac('sha256', SALT).update(roundHash).digest('hex').slice(0, 13)}`);
  const raw = (99n * 2n ** 52n) / (2n ** 52n - r);
  return raw < 100n ? 100 : Number(raw);
}
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

describe('crash room (integration, real SDK clients)', function () {
  this.timeout(90_000);
  let srv: TestServer;
  let seeds = 0;

  before(async () => {
    srv = await bootTestServer(
      {
        DEMO_BALANCE_MINOR: '100000', ROULETTE_TABLES: '0', CRASH_ROOMS: '1', CRASH_CHAIN_LENGTH: '50',
        CRASH_BETTING_WINDOW_MS: '2500', CRASH_PAUSE_MS: '1000', CRASH_LIABILITY_CAP_MINOR: '12000', CRASH_PATCH_MS: '50',
      },
      { randomSeed: () => (seeds++ === 0 ? SEED : sha256(`other seed ${seeds}`)) },
    );
  });
  after(async () => srv?.stop());

  it('plays rounds with auto and manual cash-outs, the liability cap and a crash; pays by the curve; the books reconcile', async () => {
    const names = ['auto', 'manual', 'capped1', 'capped2', 'loser', 'late'] as const;
    const players = await Promise.all(names.map((n) => registerPlayer(srv, `cr_${n}_`)));
    const rooms: Room[] = [];
    for (const p of players) rooms.push(await p.client.join('crash', { tableId: 'crash-1' }));
    for (const r of rooms) r.onMessage('*', () => undefined);
    const [auto, manual, capped1, capped2, loser, late] = rooms as [Room, Room, Room, Room, Room, Room];
    const cashouts: any[] = [];
    loser.onMessage('cashouts', (m: any) => cashouts.push(m));

    // ---- round 1: crashes at 1.62×; auto 1.10×, a manual cash-out, then the cap at 1.50× for the rest
    const r1 = await waitForState(auto, (s: any) => s.phase === 'betting', 5000, 'round 1 betting');
    expect(r1.roundId).to.equal('crash-1:1');
    expect(r1.terminalHash).to.have.length(64);
    expect(r1.roundHash).to.equal(''); // secret until the crash
    expect(await auto.request('bet', { betId: 'a1', stakeMinor: 1000, autoCashOut: 1.1 })).to.deep.include({ ok: true, replayed: false });
    expect(await auto.request('bet', { betId: 'a1', stakeMinor: 1000, autoCashOut: 1.1 })).to.deep.include({ ok: true, replayed: true });
    expect(await manual.request('bet', { betId: 'm1', stakeMinor: 1000 })).to.include({ ok: true });
    expect(await capped1.request('bet', { betId: 'c1', stakeMinor: 4000 })).to.include({ ok: true });
    expect(await capped2.request('bet', { betId: 'c2', stakeMinor: 4000, autoCashOut: 3 })).to.include({ ok: true });
    // Refusals change nothing: a second bet, a third decimal, the liability cap at 1.01×.
    expect(await auto.request('bet', { betId: 'a2', stakeMinor: 100 })).to.deep.include({ ok: false });
    expect((await auto.request('bet', { betId: 'a2', stakeMinor: 100 })).error.code).to.equal('bet/one_per_round');
    expect((await late.request('bet', { betId: 'l1', stakeMinor: 100, autoCashOut: 1.005 })).error.code).to.equal('bet/invalid_auto_cashout');
    expect((await late.request('bet', { betId: 'l1', stakeMinor: 2000 })).error.code).to.equal('bet/table_limit');
    expect((await manual.request('cashOut', {})).error.code).to.equal('cashout/not_running');
    const listed = await waitForState(loser, (s: any) => s.betCount === 4, 3000, 'bets listed');
    expect(listed.capCents).to.equal(120); // ⌈12,000 × 100 / 10,000⌉
    expect([...listed.players].map((p: any) => p.stakeMinor)).to.deep.equal([4000, 4000, 1000, 1000]);

    await waitForState(auto, (s: any) => s.phase === 'running', 5000, 'round 1 running');
    const autoOut = await waitForMessage(loser, 'cashouts', (m: any) => m.items.some((i: any) => i.reason === 'auto'), 5000);
    expect(autoOut.items.find((i: any) => i.reason === 'auto')).to.include({ multiplierCents: 110, payoutMinor: 1100 });
    const out = await manual.request('cashOut', {});
    expect(out, JSON.stringify(out)).to.include({ ok: true, roundId: 'crash-1:1', reason: 'manual' });
    expect(out.multiplierCents).to.be.within(110, 133);
    expect(out.payoutMinor).to.equal(Math.floor((1000 * out.multiplierCents) / 100));
    expect((await manual.request('cashOut', {})).error.code).to.equal('cashout/already');
    // 8,000 still in: the cap comes at ⌈1,200,000 / 8,000⌉ = 150.
    await waitForState(loser, (s: any) => s.capCents === 150, 3000, 'cap moved up');
    const crashed1 = await waitForState(loser, (s: any) => s.phase === 'crashed' && s.roundId === 'crash-1:1', 20_000, 'round 1 crash');
    const round1 = { hash: crashed1.roundHash as string, terminal: crashed1.terminalHash as string }; // the state object changes under us
    expect(crashed1.crashCents).to.equal(162);
    expect(crashCentsOf(crashed1.roundHash)).to.equal(162);
    expect(sha256(crashed1.roundHash)).to.equal(crashed1.terminalHash); // round 1 hashes to the published terminal hash
    const rows = new Map([...crashed1.players].map((p: any) => [p.betId, p]));
    expect(rows.get('c1')).to.include({ cashedOutCents: 150, payoutMinor: 6000, reason: 'liability_cap' });
    expect(rows.get('c2')).to.include({ cashedOutCents: 150, payoutMinor: 6000, reason: 'liability_cap' });
    expect(rows.get('a1')).to.include({ cashedOutCents: 110, reason: 'auto' });
    expect(cashouts.flatMap((m) => m.items).map((i: any) => i.reason).sort()).to.deep.equal(['auto', 'liability_cap', 'liability_cap', 'manual']);

    // ---- round 2: crashes at 1.28×; an auto target below it pays, one above it and a bet never cashed out lose
    await waitForState(loser, (s: any) => s.phase === 'betting' && s.roundId === 'crash-1:2', 5000, 'round 2 betting');
    expect(await auto.request('bet', { betId: 'a1', stakeMinor: 500, autoCashOut: 1.2 })).to.include({ ok: true, replayed: false }); // a bet id may come back in a later round
    expect(await late.request('bet', { betId: 'l2', stakeMinor: 500, autoCashOut: 1.3 })).to.include({ ok: true });
    expect(await loser.request('bet', { betId: 'x2', stakeMinor: 1000 })).to.include({ ok: true });
    const me = waitForMessage(loser, 'me', (m: any) => m.roundId === 'crash-1:2' && m.phase === 'crashed' && m.wallet.heldMinor === 0, 20_000);
    const crashed2 = await waitForState(loser, (s: any) => s.phase === 'crashed' && s.roundId === 'crash-1:2', 20_000, 'round 2 crash');
    expect(crashed2.crashCents).to.equal(128);
    expect(sha256(crashed2.roundHash)).to.equal(round1.hash); // each revealed hash proves the earlier ones
    expect((await me).bet).to.include({ betId: 'x2', cashedOutCents: null, payoutMinor: 0 });
    expect((await loser.request('cashOut', {})).error.code).to.equal('cashout/crashed');

    // ---- money: every balance by the curve, the books balanced, no hold left
    const balance = async (i: number) => (await http(srv.url, 'GET', '/wallet', undefined, players[i]!.token)).body;
    const expected = [100000 - 1000 + 1100 - 500 + 600, 100000 - 1000 + out.payoutMinor, 102000, 102000, 99000, 99500];
    for (const [i, want] of expected.entries()) {
      const deadline = Date.now() + 5000;
      let w = await balance(i);
      while (w.heldMinor !== 0 && Date.now() < deadline) w = await balance(i);
      expect(w, names[i]).to.deep.include({ balanceMinor: want, heldMinor: 0 });
    }
    const books = await srv.app.services.store.wallet.reconcile();
    expect(books.ok, JSON.stringify(books)).to.equal(true);
    expect(books.sumOfBalancesMinor).to.equal(0);
    expect(books.openHoldCount).to.equal(0);

    // ---- fairness records
    const proof = await http(srv.url, 'GET', '/fairness/rounds/crash-1%3A1');
    expect(proof.body).to.deep.equal({
      game: 'crash', tableId: 'crash-1', roundId: 'crash-1:1', number: 1, chainIndex: 1, terminalHash: round1.terminal,
      roundHash: round1.hash, salt: SALT, crashCents: 162, crashPoint: '1.62', status: 'crashed',
    });
    await waitForState(loser, (s: any) => s.phase === 'betting' && s.roundId === 'crash-1:3', 5000, 'round 3 open');
    const open = await until(async () => { const r = await http(srv.url, 'GET', '/fairness/rounds/crash-1%3A3'); return r.status === 200 && r; }, 5000, 'round 3 record');
    expect(open.body, JSON.stringify(open.body)).to.include({ status: 'open', roundHash: null, crashCents: null, chainIndex: 3 });
    await Promise.all(rooms.map((r) => r.leave()));
  });

  it('answers the time request with the server clock (skew correction)', async () => {
    const p = await registerPlayer(srv, 'cr_time_');
    const room = await p.client.join('crash', { tableId: 'crash-1' });
    room.onMessage('*', () => undefined);
    const before = Date.now();
    const reply = await room.request('time', {});
    expect(reply.ok).to.equal(true);
    expect(reply.serverNow).to.be.within(before - 1000, Date.now() + 1000);
    expect((await room.request('bet', { betId: 'bad id!', stakeMinor: 100 })).error.code).to.equal('msg/invalid');
    await room.leave();
  });
});

describe('crash room: a used-up hash chain is replaced by a new published one', function () {
  this.timeout(60_000);
  let srv: TestServer;
  /** Seeds whose one-round chains crash quickly (1.01×–1.30×, not instantly), so the test is short. */
  const quick: string[] = [];
  for (let n = 0; quick.length < 3; n++) {
    const seed = sha256(`quick chain ${n}`);
    const cents = crashCentsOf(seed); // a chain of one round uses its seed as the round hash
    if (cents >= 101 && cents <= 130) quick.push(seed);
  }

  before(async () => {
    let i = 0;
    srv = await bootTestServer(
      { ROULETTE_TABLES: '0', CRASH_ROOMS: '1', CRASH_CHAIN_LENGTH: '1', CRASH_BETTING_WINDOW_MS: '1000', CRASH_PAUSE_MS: '300' },
      { randomSeed: () => quick[i++ % quick.length]! },
    );
  });
  after(async () => srv?.stop());

  it('publishes the next chain after the last round of the current one, and its first round hashes to the new terminal hash', async () => {
    const p = await registerPlayer(srv, 'cr_chain_');
    const room = await p.client.join('crash', { tableId: 'crash-1' });
    room.onMessage('*', () => undefined);
    const first = await waitForState(room, (s: any) => s.phase === 'crashed' && s.roundNumber === 1, 15_000, 'round 1 crash');
    const chain1 = first.terminalHash as string;
    expect(sha256(first.roundHash)).to.equal(chain1);
    const second = await waitForState(room, (s: any) => s.phase === 'crashed' && s.roundNumber === 2, 15_000, 'round 2 crash');
    expect(second.terminalHash).to.not.equal(chain1);
    expect(second.chainIndex).to.equal(1);
    expect(sha256(second.roundHash)).to.equal(second.terminalHash);
    const record = await until(async () => { const r = await http(srv.url, 'GET', '/fairness/rounds/crash-1%3A2'); return r.body?.status === 'crashed' && r.body; }, 5000, 'round 2 record');
    expect(record).to.include({ chainIndex: 1, terminalHash: second.terminalHash });
    await room.leave();
  });
});
