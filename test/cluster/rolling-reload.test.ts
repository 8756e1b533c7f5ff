import { expect } from 'chai';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@colyseus/sdk';
import type { ServerProcess } from '../support/process.ts';
import { http, scrapeMetrics } from '../support/server.ts';
import { cleanRedis, startClusterNode, testPrefix, waitFor } from '../support/cluster.ts';

const roomsOn = async (node: ServerProcess): Promise<number> => Number(/casino_rooms (\d+)/.exec(await scrapeMetrics(node.url))?.[1] ?? -1);

describe('cluster: rolling reload (real processes, real Redis)', function () {
  this.timeout(120_000);
  const prefix = testPrefix('reload');
  let dataDir: string;
  const nodes: ServerProcess[] = [];
  after(async () => {
    await Promise.all(nodes.map((n) => n.kill('SIGKILL')));
    await cleanRedis(prefix);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('finishes the current round, hands the table to another process, then exits; the player re-joins with bets settled', async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'casino-reload-'));
    const env = { DATA_DIR: dataDir, REDIS_PREFIX: prefix, ROULETTE_TABLES: '1', ROULETTE_BETTING_WINDOW_MS: '2500', ROULETTE_SPIN_MS: '300', ROULETTE_PAUSE_MS: '300', DEMO_BALANCE_MINOR: '10000' };
    const old = await startClusterNode(env);
    nodes.push(old);
    await waitFor('table on the old process', async () => (await roomsOn(old)) === 1);
    const next = await startClusterNode(env);
    nodes.push(next);

    const reg = await http(next.url, 'POST', '/auth/register', { username: 'reloader', password: 'reload123' });
    const client = new Client(next.wsUrl);
    client.auth.token = reg.body.token;
    const room = await client.joinById('roulette-1');
    room.onMessage('*', () => undefined);
    room.reconnection.enabled = false;
    await waitFor('betting', async () => (room.state as any).phase === 'betting' && (room.state as any).deadline - Date.now() > 1200, 15_000, 20);
    const roundId = (room.state as any).roundId;
    expect(await room.request('bet', { betId: 'through-reload', spot: { kind: 'red' }, stakeMinor: 1000 })).to.include({ ok: true });

    const left = new Promise<number>((resolve) => room.onLeave((code) => resolve(code)));
    const exited = old.kill('SIGTERM');
    const settled = await waitFor('the round to settle before the hand-over', async () => ((room.state as any).phase === 'settled' ? room.state : null), 10_000, 10);
    expect((settled as any).roundId).to.equal(roundId);
    expect(await left, 'closed with the "room moved" code').to.equal(4100);
    expect(await exited, 'the old process exits cleanly').to.equal(0);

    const back = await waitFor('the table on the new process', async () => {
      const c = new Client(next.wsUrl);
      c.auth.token = reg.body.token;
      return c.joinById('roulette-1');
    }, 10_000, 50);
    expect((back.connection.transport as any).ws.url).to.include(`:${next.port}/`);
    const recall = (await http(next.url, 'GET', '/games/recent', undefined, reg.body.token)).body.items;
    expect(recall[0]).to.include({ roundId });
    expect((await http(next.url, 'GET', '/wallet', undefined, reg.body.token)).body.heldMinor).to.equal(0);
    await back.leave();
  });
});
