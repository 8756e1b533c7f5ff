/**
 * The bet-slip saga across processes (real server processes, the real Redis under a private prefix,
 * one shared store): a slip with a leg on an event another process hosts, and that process killed
 * while the leg is being prepared, while it waits for acceptance, and while the event settles. After
 * each: the slip is rejected with its stake and legs released, or settled exactly once, and the
 * books (ledger, holds, slip journals, leg books) check out with every process stopped.
 */
import { expect } from 'chai';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { combinedPriceMilli } from '../../actors/multiples/index.ts';
import { payoutOf } from '../../actors/sportsbook/index.ts';
import type { ServerProcess } from '../support/process.ts';
import { http } from '../support/server.ts';
import { REDIS_URL, cleanRedis, startClusterNode, testPrefix, waitFor } from '../support/cluster.ts';
import { roomsOn } from '../support/chaos.ts';
import { checkSlipBooks, journaledSlip } from '../support/slip-books.ts';

const START = 100_000;
const EVENTS = ['saga-a', 'saga-b', 'saga-c', 'saga-d'];

describe('slip saga across processes: a leg\'s room killed mid-saga (real processes, Redis)', function () {
  this.timeout(180_000);
  let prefix: string;
  let dataDir: string;
  let nodes: ServerProcess[];
  let redis: Redis;
  let admin: string;
  let player: string;
  const env = () => ({
    REDIS_PREFIX: prefix, DATA_DIR: dataDir, ROULETTE_TABLES: '0', BET_DELAY_MS: '2500', ADMIN_USERNAME: 'ops', ADMIN_PASSWORD: 'ops-pass-1',
    DEMO_BALANCE_MINOR: String(START), SLIP_SWEEP_MS: '300', SLIP_STALE_MS: '3000', COLYSEUS_PRESENCE_SHORT_TIMEOUT: '1500',
  });
  const live = () => nodes.filter((n) => n.child.exitCode === null && n.child.signalCode === null);
  const ownerOf = async (eventId: string): Promise<ServerProcess> => {
    const holder = String(await redis.get(`${prefix}lease:${eventId}`));
    const node = nodes.find((n) => holder.startsWith(`127.0.0.1:${n.port}#`));
    if (!node) throw new Error(`no owner for ${eventId}: ${holder}`);
    return node;
  };
  const wallet = async () => (await http(live()[0]!.url, 'GET', '/wallet', undefined, player)).body;
  const slip = async (slipId: string) => (await http(live()[0]!.url, 'GET', `/slips/${slipId}`, undefined, player)).body.slip;
  const openLegs = async (eventId: string) => (await http(live()[0]!.url, 'GET', `/admin/risk/events/${eventId}`, undefined, admin)).body.multiples?.openLegs;
  const leg = (eventId: string) => ({ eventId, selections: [{ marketId: '1x2', selectionId: 'home' }], priceMilli: 1010, acceptance: 'any' });

  /** Two processes, the four in-play events spread over both; returns [a leg on the first process's event, one on the other's]. */
  async function cluster(): Promise<{ here: string; there: string; a: ServerProcess; b: ServerProcess }> {
    const a = await startClusterNode(env());
    nodes.push(a);
    admin = (await http(a.url, 'POST', '/auth/login', { username: 'ops', password: 'ops-pass-1' })).body.token;
    for (const eventId of EVENTS) {
      // Started a moment ago: in play at once (a delay on every leg), no feed needed.
      const res = await http(a.url, 'POST', '/admin/events', { eventId, league: 'E0', home: `H-${eventId}`, away: `A-${eventId}`, lambdaHome: 1.5, lambdaAway: 1.2, startsAt: Date.now() - 1000 }, admin);
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
    }
    await waitFor('events on the first process', async () => (await roomsOn(a)) === EVENTS.length, 20_000);
    const b = await startClusterNode(env());
    nodes.push(b);
    await waitFor('events spread over both processes', async () => (await roomsOn(a)) >= 1 && (await roomsOn(b)) >= 1 && (await roomsOn(a)) + (await roomsOn(b)) === EVENTS.length, 60_000, 200);
    player = (await http(a.url, 'POST', '/auth/register', { username: `saga_${Date.now().toString(36)}`, password: 'saga-pass-1' })).body.token;
    // Rebalancing moves rooms by hand-over (a lease is released, then taken): wait until every event has an owner, twice in a row the same.
    let owners: ServerProcess[] = [];
    await waitFor('stable owners', async () => {
      const first = await Promise.all(EVENTS.map(ownerOf));
      await new Promise((r) => setTimeout(r, 700));
      owners = await Promise.all(EVENTS.map(ownerOf));
      return owners.every((o, i) => o === first[i]) && owners.includes(a) && owners.includes(b) && (await roomsOn(a)) + (await roomsOn(b)) === EVENTS.length;
    }, 30_000, 100);
    const here = EVENTS.find((_, i) => owners[i] === a)!;
    const there = EVENTS.find((_, i) => owners[i] === b)!;
    return { here, there, a, b };
  }

  async function stopAll(): Promise<void> {
    for (const n of live()) await n.kill('SIGTERM');
  }

  beforeEach(async () => {
    prefix = testPrefix('slips');
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'casino-slips-'));
    nodes = [];
    redis = new Redis(REDIS_URL);
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') for (const n of nodes) console.log(n.output().split('\n').filter((l) => /slip|leg|"level":(40|50|60)/.test(l)).slice(-40).join('\n'));
    await Promise.all(nodes.map((n) => n.kill('SIGKILL')));
    redis.disconnect();
    await cleanRedis(prefix);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('killed during prepare: the slip is rejected, its stake released, the leg released once the event is back', async () => {
    const { here, there, a, b } = await cluster();
    b.child.kill('SIGSTOP'); // the prepare reaches a process that never answers …
    const placing = http(a.url, 'POST', '/slips', { slipId: 'prep-1', type: 'accumulator', stakePerLineMinor: 1000, legs: [leg(here), leg(there)] }, player);
    await new Promise((r) => setTimeout(r, 300));
    await b.kill('SIGKILL'); // … and dies
    const reply = await placing;
    expect(reply.status, JSON.stringify(reply.body)).to.be.oneOf([409, 503]);
    expect(reply.body.error.code).to.be.oneOf(['slip/leg_unavailable', 'slip/leg_refused']);
    expect(await wallet()).to.include({ heldMinor: 0, balanceMinor: START });
    await waitFor('every event back on the survivor', async () => (await roomsOn(a)) === EVENTS.length, 20_000);
    await waitFor('the leg released at the rebuilt event', async () => (await openLegs(there)) === 0 && (await openLegs(here)) === 0, 20_000, 200);
    await waitFor('SlipLegsReleased journaled', async () => journaledSlip(dataDir, 'prep-1')?.legsReleased === true, 20_000, 200);
    await stopAll();
    const slips = checkSlipBooks(dataDir);
    expect(slips.get('prep-1')).to.include({ status: 'rejected', legsReleased: true });
  });

  it('killed during acceptance (a leg prepared there, its delay running): rejected as a whole, nothing held, nothing paid', async () => {
    const { here, there, a, b } = await cluster();
    const placing = http(a.url, 'POST', '/slips', { slipId: 'acc-1', type: 'accumulator', stakePerLineMinor: 1000, legs: [leg(here), leg(there)] }, player);
    await waitFor('the leg prepared on the other process', async () => (await openLegs(there)) === 1, 5000, 50);
    await b.kill('SIGKILL');
    const reply = await placing;
    expect(reply.status, JSON.stringify(reply.body)).to.be.oneOf([409, 503]);
    expect(reply.body.error.code).to.be.oneOf(['slip/leg_unavailable', 'slip/leg_refused']);
    expect(await wallet()).to.include({ heldMinor: 0, balanceMinor: START });
    await waitFor('every event back on the survivor', async () => (await roomsOn(a)) === EVENTS.length, 20_000);
    await waitFor('no open leg anywhere', async () => (await openLegs(there)) === 0 && (await openLegs(here)) === 0, 20_000, 200);
    await waitFor('the slip\'s legs confirmed released', async () => (await slip('acc-1'))?.status === 'rejected', 20_000, 200);
    await waitFor('SlipLegsReleased journaled', async () => journaledSlip(dataDir, 'acc-1')?.legsReleased === true, 20_000, 200);
    await stopAll();
    expect(checkSlipBooks(dataDir).get('acc-1')).to.include({ status: 'rejected', legsReleased: true });
  });

  it('the process driving the slip killed during the in-play delay: the other process recovers it by the rule (rejected, stake and legs released)', async () => {
    const { here, there, a, b } = await cluster();
    // Placed through the second process: it coordinates the saga and dies mid-way.
    const placing = http(b.url, 'POST', '/slips', { slipId: 'coord-1', type: 'accumulator', stakePerLineMinor: 1000, legs: [leg(here), leg(there)] }, player).catch(() => null);
    await waitFor('both legs prepared', async () => (await openLegs(here)) === 1 && (await openLegs(there)) === 1, 5000, 50);
    await b.kill('SIGKILL');
    await placing;
    expect((await wallet()).heldMinor, 'the stake is held while the slip is unresolved').to.equal(1000);
    await waitFor('every event back on the survivor', async () => (await roomsOn(a)) === EVENTS.length, 20_000);
    await waitFor('the slip recovered: rejected, stake released', async () => (await slip('coord-1'))?.status === 'rejected' && (await wallet()).heldMinor === 0, 30_000, 250);
    expect((await slip('coord-1')).rejection.code).to.equal('slip/interrupted');
    await waitFor('no open leg anywhere', async () => (await openLegs(there)) === 0 && (await openLegs(here)) === 0, 20_000, 200);
    await waitFor('SlipLegsReleased journaled', async () => journaledSlip(dataDir, 'coord-1')?.legsReleased === true, 20_000, 200);
    await stopAll();
    expect(checkSlipBooks(dataDir).get('coord-1')).to.include({ status: 'rejected', legsReleased: true });
  });

  it('killed during settlement: the rebuilt event re-delivers the leg result, the slip is paid exactly once', async () => {
    const { here, there, a, b } = await cluster();
    const placed = await http(a.url, 'POST', '/slips', { slipId: 'set-1', type: 'accumulator', stakePerLineMinor: 1000, legs: [leg(here), leg(there)] }, player);
    expect(placed.status, JSON.stringify(placed.body)).to.equal(201);
    const prices = placed.body.slip.legs.map((l: any) => l.priceMilli);
    expect((await http(a.url, 'POST', `/admin/events/${here}/settle`, { reason: 'test', score: { home: 1, away: 0 } }, admin)).status).to.equal(200);
    // Settle the other event through the first process, and kill its host while it settles.
    const settling = http(a.url, 'POST', `/admin/events/${there}/settle`, { reason: 'test', score: { home: 2, away: 0 } }, admin).catch(() => null);
    await new Promise((r) => setTimeout(r, 15));
    await b.kill('SIGKILL');
    await settling;
    // Whatever the kill interrupted, the slip gets paid: a settlement journaled before the kill is
    // re-delivered by the rebuilt (or re-opened) event; one the kill prevented, the operator repeats
    // (a repeat after a journaled one is refused: event/closed). Repeats are harmless either way.
    const expected = payoutOf(1000, combinedPriceMilli(prices));
    await waitFor('the slip settled', async () => {
      if ((await slip('set-1'))?.paidMinor === expected) return true;
      await http(a.url, 'POST', `/admin/events/${there}/settle`, { reason: 'retry', score: { home: 2, away: 0 } }, admin).catch(() => null);
      return false;
    }, 60_000, 1000);
    await waitFor('its money moved', async () => (await wallet()).balanceMinor === START - 1000 + expected, 10_000, 100);
    expect(await wallet()).to.include({ heldMinor: 0 });
    await stopAll();
    expect(checkSlipBooks(dataDir).get('set-1')).to.include({ status: 'settled', paidMinor: expected, settlements: 1 });
  });
});
