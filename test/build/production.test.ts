/**
 * The production build as the Dockerfile makes it, run the same way here (no container runtime on
 * this machine): a copy of the project, `npm ci`, `npm run build`, `npm prune --omit=dev`, then
 * `node dist/server/main.js` (no TypeScript loader, no dev dependency) must serve the API, the web
 * apps and a table, and stop cleanly.
 */
import { expect } from 'chai';
import { execFile, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from '@colyseus/sdk';
import { freePort } from '../support/process.ts';
import { http } from '../support/server.ts';
import { waitFor } from '../support/cluster.ts';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../..');
function npm(cwd: string, ...args: string[]) {
  return run('npm', args, { cwd, timeout: 240_000, maxBuffer: 16 * 1024 * 1024, env: { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false' } });
}

describe('production build: npm ci, build, prune dev dependencies, node dist/server/main.js', function () {
  this.timeout(600_000);
  let dir: string;
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('serves the API, the web apps and a table from the built JavaScript with production dependencies only', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'casino-prod-'));
    const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], { cwd: ROOT }).toString().split('\0').filter(Boolean);
    for (const f of files) {
      if (!fs.existsSync(path.join(ROOT, f))) continue; // deleted in the work tree
      fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
      fs.copyFileSync(path.join(ROOT, f), path.join(dir, f));
    }
    await npm(dir, 'ci');
    await npm(dir, 'run', 'build');
    await npm(dir, 'prune', '--omit=dev');
    // (typescript stays: @colyseus/schema depends on it for its code generator.)
    for (const devOnly of ['tsx', 'esbuild', 'mocha', 'pm2', 'playwright-core']) expect(fs.existsSync(path.join(dir, 'node_modules', devOnly)), `${devOnly} pruned`).to.equal(false);
    expect(fs.existsSync(path.join(dir, 'dist/server/main.js'))).to.equal(true);
    expect(fs.existsSync(path.join(dir, 'dist/psp/main.js')), 'the sandbox PSP is built too').to.equal(true);

    const port = await freePort();
    const data = fs.mkdtempSync(path.join(os.tmpdir(), 'casino-prod-data-'));
    const child = spawn(process.execPath, ['dist/server/main.js'], {
      cwd: dir,
      env: { PATH: process.env.PATH, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: data, TOKEN_SECRET: 'production-test-secret-0123456789abcdef', SIM_SCHEDULE: 'off', PRICING_REFIT_EVERY_MS: '0', NODE_ENV: 'production' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const exited = new Promise<number | null>((r) => child.once('exit', r));
    try {
      const url = `http://127.0.0.1:${port}`;
      await waitFor('the built server ready', async () => (await fetch(`${url}/readyz`)).ok, 30_000, 200).catch((e) => {
        throw new Error(`${(e as Error).message}\n${out}`);
      });
      expect((await fetch(`${url}/`)).status, 'player client').to.equal(200);
      expect((await fetch(`${url}/admin`)).status, 'operator console').to.equal(200);
      const reg = await http(url, 'POST', '/auth/register', { username: `prod${Date.now().toString(36)}`, password: 'a-good-long-passphrase-42' });
      expect(reg.status, JSON.stringify(reg.body)).to.equal(201);
      const client = new Client(`ws://127.0.0.1:${port}`);
      client.auth.token = reg.body.token;
      const room = await client.joinById('roulette-1');
      room.onMessage('*', () => undefined);
      await waitFor('table state', async () => (room.state as { tableId?: string }).tableId === 'roulette-1', 10_000, 50);
      await room.leave();
    } finally {
      child.kill('SIGTERM');
      expect(await exited, `clean exit\n${out.slice(-2000)}`).to.equal(0);
      fs.rmSync(data, { recursive: true, force: true });
    }
  });
});
