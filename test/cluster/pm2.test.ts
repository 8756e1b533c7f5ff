/**
 * The PM2 cluster definition as an operator runs it (README "Cluster"): `pm2 start
 * ecosystem.config.js` brings up N server processes on consecutive ports plus the feed and risk processes,
 * each on the project's pinned Node; a client joins through either process; `pm2 delete` stops
 * them. A private PM2_HOME keeps the test's daemon apart from any other.
 */
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from '@colyseus/sdk';
import { http } from '../support/server.ts';
import { cleanRedis, REDIS_URL, testPrefix, waitFor } from '../support/cluster.ts';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../..');
const PM2 = path.join(ROOT, 'node_modules/pm2/bin/pm2');

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

/** Two consecutive free ports (the ecosystem file numbers its processes from a base port). */
async function freePortPair(): Promise<number> {
  for (let i = 0; i < 50; i++) {
    const base = 20_000 + Math.floor(Math.random() * 30_000);
    if ((await portFree(base)) && (await portFree(base + 1))) return base;
  }
  throw new Error('no two consecutive free ports');
}

describe('cluster: the PM2 ecosystem file (real PM2, real processes, real Redis)', function () {
  this.timeout(120_000);
  let env: NodeJS.ProcessEnv;
  let home: string;
  let dataDir: string;
  let prefix: string;

  const pm2 = (...args: string[]) => run(process.execPath, [PM2, ...args], { cwd: ROOT, env, timeout: 60_000 });

  before(async () => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'casino-pm2-home-'));
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'casino-pm2-data-'));
    prefix = testPrefix('pm2');
    env = {
      ...process.env, PM2_HOME: home, DATA_DIR: dataDir, REDIS_URL, REDIS_PREFIX: prefix,
      CLUSTER_PROCESSES: '2', CLUSTER_BASE_PORT: String(await freePortPair()), RISK_PORT: String(await freePortPair()), SIM_SCHEDULE: 'off', PRICING_REFIT_EVERY_MS: '0',
      ROULETTE_TABLES: '2', LOG_LEVEL: 'warn', ROULETTE_BETTING_WINDOW_MS: '1000', ROULETTE_SPIN_MS: '100', ROULETTE_PAUSE_MS: '100', TOKEN_SECRET: 'pm2-test-token-secret-0123456789abcdef',
    };
  });

  after(async () => {
    await pm2('kill').catch(() => undefined);
    await cleanRedis(prefix);
    fs.rmSync(home, { recursive: true, force: true });
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('starts two servers, the feed and the risk process on the pinned Node, serves a player through either, reloads them one at a time with a ready server throughout, and stops them', async () => {
    await pm2('start', 'ecosystem.config.js');
    const base = Number(env.CLUSTER_BASE_PORT);
    const urls = [`http://127.0.0.1:${base}`, `http://127.0.0.1:${base + 1}`];
    for (const url of urls) await waitFor(`${url} ready`, async () => (await fetch(`${url}/readyz`)).ok, 60_000, 250);

    const list = JSON.parse((await pm2('jlist')).stdout) as Array<{ name: string; pm2_env: { status: string; exec_interpreter: string } }>;
    expect(list.map((p) => p.name).sort()).to.deep.equal(['casino-1', 'casino-2', 'casino-feed', 'casino-risk']);
    await waitFor('the risk process', async () => (await fetch(`http://127.0.0.1:${env.RISK_PORT}/healthz`)).ok, 60_000, 250);
    for (const p of list) {
      expect(p.pm2_env.status, p.name).to.equal('online');
      expect(p.pm2_env.exec_interpreter, p.name).to.equal(path.join(ROOT, 'node_modules/node/bin/node'));
    }

    // Both tables exist once in the cluster, whichever process hosts them; a player reaches each through process 2.
    const reg = await http(urls[1]!, 'POST', '/auth/register', { username: `pm2p${Date.now().toString(36)}`, password: 'cluster123' });
    expect(reg.status, JSON.stringify(reg.body)).to.equal(201);
    const client = new Client(`ws://127.0.0.1:${base + 1}`);
    client.auth.token = reg.body.token;
    for (const tableId of ['roulette-1', 'roulette-2']) {
      const room = await waitFor(`${tableId} joinable`, () => client.joinById(tableId), 30_000, 250);
      room.onMessage('*', () => undefined);
      await room.leave();
    }

    // Rolling reload as documented: one process at a time, the next only once the previous is ready
    // again (wait_ready), so some server is ready throughout.
    let probes = 0;
    let noneReady = 0;
    let reloading = true;
    const probe = (async () => {
      while (reloading) {
        const ready = await Promise.all(urls.map((u) => fetch(`${u}/readyz`, { signal: AbortSignal.timeout(1000) }).then((r) => r.ok, () => false)));
        probes++;
        if (!ready.some(Boolean)) noneReady++;
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    const pidsBefore = (JSON.parse((await pm2('jlist')).stdout) as Array<{ name: string; pid: number }>).filter((p) => p.name.startsWith('casino-') && /\d$/.test(p.name)).map((p) => p.pid);
    await run(process.execPath, [PM2, 'reload', 'ecosystem.config.js'], { cwd: ROOT, env: { ...env, PM2_CONCURRENT_ACTIONS: '1' }, timeout: 90_000 });
    reloading = false;
    await probe;
    const pidsAfter = (JSON.parse((await pm2('jlist')).stdout) as Array<{ name: string; pid: number }>).filter((p) => p.name.startsWith('casino-') && /\d$/.test(p.name)).map((p) => p.pid);
    expect(pidsAfter.filter((p) => pidsBefore.includes(p)), 'every server process was replaced').to.deep.equal([]);
    expect(probes, 'readiness probed during the reload').to.be.greaterThan(5);
    expect(noneReady, `probes with no ready server (of ${probes})`).to.equal(0);
    for (const url of urls) await waitFor(`${url} ready after the reload`, async () => (await fetch(`${url}/readyz`)).ok, 60_000, 250);

    await pm2('delete', 'all');
    for (const url of urls) await waitFor(`${url} stopped`, async () => !(await fetch(`${url}/healthz`).then(() => true, () => false)), 45_000, 250);
  });
});
