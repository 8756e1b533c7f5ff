import { expect } from 'chai';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHash, createHmac } from 'node:crypto';
import { Client } from '@colyseus/sdk';
import { DatabaseSync } from 'node:sqlite';
import { openSqliteStore } from '../../server/store/sqlite/index.ts';
import { waitFor } from '../support/cluster.ts';
import { startServerProcess, type ServerProcess } from '../support/process.ts';
import { http } from '../support/server.ts';
import { waitForState } from '../support/wait.ts';

function pocketOf(serverSeed: string, clientSeed: string, nonce: number): number {
  const limit = 2 ** 32 - (2 ** 32 % 37);
  for (let i = 0; ; i++) {
    const mac = createHmac('sha256', serverSeed).update(`${clientSeed}:${nonce}:${i}`).digest();
    for (let w = 0; w < 8; w++) if (mac.readUInt32BE(w * 4) < limit) return mac.readUInt32BE(w * 4) % 37;
  }
}

async function player(srv: ServerProcess, name: string) {
  const reg = await http(srv.url, 'POST', '/auth/register', { username: name, password: 'recover123' });
  expect(reg.status, JSON.stringify(reg.body)).to.equal(201);
  return { token: reg.body.token as string, userId: reg.body.userId as string };
}

async function joinTable(srv: ServerProcess, token: string) {
  const client = new Client(srv.wsUrl);
  client.auth.token = token;
  const room = await client.join('roulette', { tableId: 'roulette-1' });
  room.onMessage('*', () => undefined);
  room.reconnection.enabled = false; // these tests kill the server on purpose
  return room;
}

/** Whether the table's journal (read from the store file while the server runs) has a record of `type`. */
function journalHas(dataDir: string, roomId: string, type: string): boolean {
  const db = new DatabaseSync(path.join(dataDir, 'casino.sqlite'), { readOnly: true });
  try {
    return db.prepare('SELECT 1 FROM journal WHERE room_id = ? AND type = ? LIMIT 1').get(roomId, type) !== undefined;
  } finally {
    db.close();
  }
}

async function books(dataDir: string) {
  const store = await openSqliteStore({ path: path.join(dataDir, 'casino.sqlite') });
  try {
    return await store.wallet.reconcile();
  } finally {
    await store.close();
  }
}

describe('roulette recovery after kill -9 (real processes)', function () {
  this.timeout(120_000);
  let dataDir: string;
  let srv: ServerProcess | null = null;
  beforeEach(() => (dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'casino-recovery-'))));
  afterEach(async () => {
    await srv?.kill('SIGKILL');
    srv = null;
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('releases every stake of a round killed while betting was open', async () => {
    const env = { DATA_DIR: dataDir, ROULETTE_TABLES: '1', ROULETTE_BETTING_WINDOW_MS: '60000', ROULETTE_PAUSE_MS: '300', DEMO_BALANCE_MINOR: '10000' };
    srv = await startServerProcess(env);
    const a = await player(srv, 'killopen_a');
    const b = await player(srv, 'killopen_b');
    const ra = await joinTable(srv, a.token);
    const rb = await joinTable(srv, b.token);
    const state = await waitForState(ra, (s: any) => s.phase === 'betting', 5000);
    const roundId = state.roundId;
    expect(await ra.request('bet', { betId: 'a1', spot: { kind: 'red' }, stakeMinor: 1000 })).to.include({ ok: true });
    expect(await ra.request('bet', { betId: 'a2', spot: { kind: 'straight', numbers: [7] }, stakeMinor: 500 })).to.include({ ok: true });
    expect(await rb.request('bet', { betId: 'b1', spot: { kind: 'dozen', index: 3 }, stakeMinor: 2500 })).to.include({ ok: true });
    expect((await http(srv.url, 'GET', '/wallet', undefined, a.token)).body.heldMinor).to.equal(1500);

    await srv.kill('SIGKILL');
    srv = await startServerProcess(env);
    for (const who of [a, b]) {
      const w = (await http(srv.url, 'GET', '/wallet', undefined, who.token)).body;
      expect(w, 'stakes released').to.deep.include({ balanceMinor: 10000, heldMinor: 0, availableMinor: 10000 });
    }
    const voided = await http(srv.url, 'GET', `/fairness/rounds/${roundId}`);
    expect(voided.body.status).to.equal('voided');
    expect(createHash('sha256').update(voided.body.serverSeed).digest('hex')).to.equal(state.serverSeedHash);

    // The table continues with the next round number.
    const again = await joinTable(srv, a.token);
    const next = await waitForState(again, (s: any) => s.phase === 'betting', 5000);
    expect(next.roundNumber).to.equal(2);
    await again.leave();
    await srv.kill('SIGTERM');
    srv = null;
    const result = await books(dataDir);
    expect(result.ok, JSON.stringify(result)).to.equal(true);
    expect(result.openHoldCount).to.equal(0);
  });

  it('completes a round killed after betting closed with its committed seed, paying once', async () => {
    const env = { DATA_DIR: dataDir, ROULETTE_TABLES: '1', ROULETTE_BETTING_WINDOW_MS: '1500', ROULETTE_SPIN_MS: '60000', DEMO_BALANCE_MINOR: '10000' };
    srv = await startServerProcess(env);
    const a = await player(srv, 'killclosed_a');
    const ra = await joinTable(srv, a.token);
    const open = await waitForState(ra, (s: any) => s.phase === 'betting', 5000);
    const spots = [{ kind: 'red' }, { kind: 'black' }, { kind: 'straight', numbers: [0] }, { kind: 'column', index: 2 }];
    for (const [i, spot] of spots.entries()) expect(await ra.request('bet', { betId: `c${i}`, spot, stakeMinor: 100 })).to.include({ ok: true });
    const closed = await waitForState(ra, (s: any) => s.phase === 'closed', 5000);
    expect(closed.serverSeed, 'seed not revealed before the draw').to.equal('');
    // The client sees the phase before BettingClosed is durable; the recovery rule follows the journal.
    await waitFor('BettingClosed durable', async () => journalHas(dataDir, 'roulette-1', 'BettingClosed'), 5000, 20);

    await srv.kill('SIGKILL');
    srv = await startServerProcess(env);
    const proof = (await http(srv.url, 'GET', `/fairness/rounds/${open.roundId}`)).body;
    expect(proof.status).to.equal('drawn');
    expect(createHash('sha256').update(proof.serverSeed).digest('hex')).to.equal(open.serverSeedHash);
    const pocket = pocketOf(proof.serverSeed, proof.clientSeed, 1);
    expect(proof.result).to.equal(pocket);
    const red = new Set([1, 3, 5, 7, 9, 12, 14, 16, 18, 19, 21, 23, 25, 27, 30, 32, 34, 36]);
    const gross = (red.has(pocket) ? 200 : 0) + (pocket !== 0 && !red.has(pocket) ? 200 : 0) + (pocket === 0 ? 3600 : 0) + (pocket !== 0 && pocket % 3 === 2 ? 300 : 0);
    const w = (await http(srv.url, 'GET', '/wallet', undefined, a.token)).body;
    expect(w).to.deep.include({ balanceMinor: 10000 - 400 + gross, heldMinor: 0 });

    // A second restart must not settle again.
    await srv.kill('SIGKILL');
    srv = await startServerProcess(env);
    expect((await http(srv.url, 'GET', '/wallet', undefined, a.token)).body.balanceMinor).to.equal(10000 - 400 + gross);
    await srv.kill('SIGTERM');
    srv = null;
    const result = await books(dataDir);
    expect(result.ok, JSON.stringify(result)).to.equal(true);
  });
});
