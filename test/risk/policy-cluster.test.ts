/**
 * A policy action crosses processes: the risk process (`server/risk-main.ts`, its own process)
 * reads a player's events from the Redis Stream, its sharp-betting detector fires, the policy sets
 * a stake factor, and the market room on the server process (another process) refuses the stake
 * it accepted before. The console API on the server forwards to the risk process.
 */
import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, type Room } from '@colyseus/sdk';
import type { RiskEvent } from '../../actors/risk/index.ts';
import { RedisRiskStream } from '../../server/risk/stream.ts';
import { freePort, type ServerProcess } from '../support/process.ts';
import { TEST_SERVER_ENV, http } from '../support/server.ts';
import { REDIS_URL, cleanRedis, startClusterNode, testPrefix, waitFor } from '../support/cluster.ts';
import { waitForState } from '../support/wait.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');

async function startRiskProcess(env: Record<string, string>, port: number): Promise<{ child: ChildProcess; output: () => string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'server/risk-main.ts')], {
    cwd: ROOT,
    env: { ...process.env, ...TEST_SERVER_ENV, LOG_LEVEL: 'info', HOST: '127.0.0.1', REDIS_URL, ...env, RISK_PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  await waitFor('the risk process', async () => {
    if (child.exitCode !== null) throw new Error(`risk process exited ${child.exitCode}: ${out}`);
    return (await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => null))?.ok;
  }, 30_000);
  return { child, output: () => out };
}

describe('risk policy across processes (real processes, real Redis)', function () {
  this.timeout(120_000);
  let dataDir: string;
  let prefix: string;
  let node: ServerProcess | null = null;
  let risk: ChildProcess | null = null;
  const streams: RedisRiskStream[] = [];

  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'casino-risk-'));
    prefix = testPrefix('risk-policy');
  });
  afterEach(async () => {
    risk?.kill('SIGKILL');
    await node?.kill('SIGKILL');
    for (const s of streams.splice(0)) await s.close();
    await cleanRedis(prefix);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('a stake factor set by the risk process changes what a room on the server process accepts', async () => {
    const riskPort = await freePort();
    const env = { DATA_DIR: dataDir, REDIS_PREFIX: prefix, ADMIN_USERNAME: 'ops', ADMIN_PASSWORD: 'ops-pass-1', BET_DELAY_MS: '0', RISK_URL: `http://127.0.0.1:${riskPort}` };
    node = await startClusterNode(env);
    const started = await startRiskProcess({ ...env, RISK_CHECKPOINT_FILE: path.join(dataDir, 'risk.json') }, riskPort);
    risk = started.child;
    const admin = (await http(node.url, 'POST', '/auth/login', { username: 'ops', password: 'ops-pass-1' })).body.token;
    expect((await http(node.url, 'POST', '/admin/events', { eventId: 'risk-1', league: 'E0', home: 'Arsenal', away: 'Chelsea', startsAt: Date.now() + 3_600_000 }, admin)).status).to.equal(201);

    const reg = await http(node.url, 'POST', '/auth/register', { username: `sharp${Date.now().toString(36)}`, password: 'correct-horse-1' });
    const playerId: string = reg.body.userId;
    const client = new Client(node.wsUrl);
    client.auth.token = reg.body.token;
    // The process that wins the event's lease opens its room: wait for it.
    const room: Room = await waitFor('the event room', () => client.joinById('risk-1').catch(() => null), 20_000, 200);
    room.onMessage('*', () => undefined);
    room.reconnection.enabled = false;
    await waitForState(room, (st: any) => st.markets?.get('1x2')?.status === 'open', 15_000, 'markets open');
    const price = () => (room.state as any).markets.get('1x2').selections.get('draw').priceMilli;
    const bet = (betId: string, stakeMinor: number) => room.request('bet', { betId, marketId: '1x2', selectionId: 'draw', stakeMinor, priceMilli: price(), acceptance: 'any' }) as Promise<any>;
    // The player's stake limit before any policy (the event's limit; engine-only pricing lowers it).
    const probe = await bet('probe', 900_000_000);
    const limit: number = probe.error?.details?.maxStakeMinor;
    expect([probe.error?.code, limit > 1000]).to.deep.equal(['bet/stake_limit', true]);
    // A stake above a quarter of the limit, within the demo balance.
    const stake = Math.min(90_000, limit);
    expect(stake).to.be.above(limit * 0.25);
    const before = await bet('before', stake);
    expect(before.ok, JSON.stringify(before)).to.equal(true);

    // The player beats the closing line on 25 settled bets (as the market rooms would publish them).
    const producer = new RedisRiskStream(REDIS_URL, prefix);
    streams.push(producer);
    for (let i = 0; i < 25; i++) {
      const e: RiskEvent = {
        type: 'bet_settled', id: `settled:old-${i}`, at: Date.now() - 1000 + i, playerId, betId: `old-${i}`, eventId: `old-ev-${i}`, marketId: '1x2', selectionId: 'home',
        stakeMinor: 1000, priceMilli: 2200 + (i % 3) * 10, closingPriceMilli: 2000, inPlay: false, outcome: 'lost', payoutMinor: 0,
      };
      await producer.publish(e);
    }

    // The risk process acts (audited) and the server process follows the stake-factor journal.
    await waitFor('the policy in the audit log', async () => (await http(node!.url, 'GET', '/admin/audit?limit=20', undefined, admin)).body.items.find((a: any) => a.action === 'risk.stake_factor' && a.target === `user:${playerId}`), 20_000);
    await waitFor('the room to apply the factor', async () => (await http(node!.url, 'GET', `/admin/players/${playerId}/stake-factor`, undefined, admin)).body.stakeFactor === 0.25, 20_000);
    const max = Math.floor(limit * 0.25);
    const refused = await bet('after', stake);
    expect([refused.ok, refused.error?.code, refused.error?.details?.maxStakeMinor]).to.deep.equal([false, 'bet/stake_limit', max]);
    expect(JSON.stringify(refused), 'the player never sees the reason').not.to.match(/sharp|risk|closing/i);
    expect((await bet('small', 1000)).ok).to.equal(true);

    // The console on the server process answers from the risk process.
    const profile = (await http(node.url, 'GET', `/admin/fraud/players/${playerId}`, undefined, admin)).body;
    expect(profile.profile.reasons.map((r: any) => r.detector)).to.include('sharp');
    expect(profile.profile.actions['limit-sharp-bettors']).to.include({ action: 'stake_factor', stakeFactor: 0.25 });
    const queue = (await http(node.url, 'GET', '/admin/fraud/queue', undefined, admin)).body;
    expect(queue.items.map((q: any) => q.playerId)).to.include(playerId);
    expect((await http(node.url, 'GET', '/admin/fraud/queue', undefined, reg.body.token)).status, 'players may not read it').to.equal(403);
    await room.leave();
  });
});
