import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@colyseus/sdk';
import { freePort, startServerProcess, type ServerProcess } from '../support/process.ts';
import { http } from '../support/server.ts';
import { waitFor } from '../support/cluster.ts';

function startRedis(port: number): ChildProcess {
  return spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
}

async function stopProcess(p: ChildProcess | null): Promise<void> {
  if (!p || p.exitCode !== null || p.signalCode !== null) return;
  const exited = new Promise((r) => p.once('exit', r));
  p.kill('SIGKILL');
  await exited;
}

describe('cluster: Redis stopped and restarted while rooms run (real processes)', function () {
  this.timeout(120_000);
  let redis: ChildProcess | null = null;
  let node: ServerProcess | null = null;
  let dataDir: string;
  afterEach(async () => {
    await node?.kill('SIGKILL');
    await stopProcess(redis);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps connected players playing, fails new matchmaking clearly, and recovers without a restart', async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'casino-redis-outage-'));
    const redisPort = await freePort();
    redis = startRedis(redisPort);
    const port = await freePort();
    node = await startServerProcess({
      PORT: String(port), PUBLIC_ADDRESS: `127.0.0.1:${port}`, DATA_DIR: dataDir, REDIS_URL: `redis://127.0.0.1:${redisPort}`, REDIS_PREFIX: 'outage:',
      ROULETTE_TABLES: '1', ROULETTE_BETTING_WINDOW_MS: '1200', ROULETTE_SPIN_MS: '100', ROULETTE_PAUSE_MS: '200', LEASE_TTL_MS: '1500', OWNERSHIP_POLL_MS: '200',
    });
    const reg = await http(node.url, 'POST', '/auth/register', { username: 'outage_p', password: 'outage123' });
    const join = async () => {
      const c = new Client(node!.wsUrl);
      c.auth.token = reg.body.token;
      const room = await c.joinById('roulette-1');
      room.onMessage('*', () => undefined);
      return room;
    };
    const room = await waitFor('the table', join);
    const betInNextRound = async (id: string) => {
      await waitFor('betting', async () => (room.state as any).phase === 'betting', 10_000, 20);
      return room.request('bet', { betId: id, spot: { kind: 'low' }, stakeMinor: 100 });
    };
    expect(await betInNextRound('before')).to.include({ ok: true });

    await stopProcess(redis);
    redis = null;
    await waitFor('readiness to report Redis down', async () => (await http(node!.url, 'GET', '/readyz')).status === 503);
    const round = (room.state as any).roundNumber;
    await waitFor('a new round without Redis', async () => (room.state as any).roundNumber > round, 10_000);
    expect(await betInNextRound('during-1'), 'connected players keep playing').to.include({ ok: true });
    let err: any = null;
    await join().catch((e) => (err = e));
    expect(err, 'matchmaking fails while Redis is down').to.not.equal(null);
    console.log('      matchmaking error while Redis is down:', err.code, err.message);
    expect(String(err.message)).to.include('matchmaking/unavailable');

    redis = startRedis(redisPort);
    await waitFor('readiness back', async () => (await http(node!.url, 'GET', '/readyz')).status === 200, 20_000);
    const again = await waitFor('matchmaking back without a restart', join, 20_000, 200);
    expect(again.roomId).to.equal('roulette-1');
    expect(await betInNextRound('after')).to.include({ ok: true });
    const wallet = (await http(node.url, 'GET', '/wallet', undefined, reg.body.token)).body;
    expect(wallet.balanceMinor + 0).to.be.a('number');
  });
});
