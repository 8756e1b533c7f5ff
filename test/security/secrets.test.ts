/**
 * Issue 13, defects 7 and 14: the public built-in token secret needs an explicit development
 * switch, and token signatures are accepted only in their canonical encoding.
 */
import { expect } from 'chai';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { ConfigError, DEV_SECRET, loadConfig } from '../../server/config.ts';
import { TokenSigner } from '../../server/auth/tokens.ts';
import type { AppError } from '../../server/errors.ts';
import { freePort } from '../support/process.ts';
import { bootTestServer, http, registerPlayer } from '../support/server.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const OWN_SECRET = 'a-secret-of-our-own-0123456789abcdef';

/** Runs `sh -c <command>` in the project with the pinned Node first on the PATH (as npm does); resolves when `done(output)` or on exit. */
function runShell(command: string, env: Record<string, string | undefined>, done: (out: string) => boolean, timeoutMs = 30_000): Promise<{ out: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    const clean = Object.fromEntries(Object.entries({ ...process.env, ...env }).filter(([, v]) => v !== undefined)) as Record<string, string>;
    clean.PATH = `${path.join(ROOT, 'node_modules/.bin')}:${clean.PATH}`;
    const child = spawn('sh', ['-c', command], { cwd: ROOT, env: clean, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let out = '';
    let settled = false;
    const finish = (code: number | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      try {
        process.kill(-child.pid!, 'SIGTERM');
      } catch {
        // already gone
      }
      resolve({ out, code });
    };
    const timer = setTimeout(() => (settled ? undefined : (finish(null), reject(new Error(`timed out:\n${out}`)))), timeoutMs);
    const onData = (d: Buffer) => {
      out += d;
      if (done(out)) finish(null);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => finish(code));
  });
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return (e as AppError).code;
  }
  return undefined;
}

describe('secrets and tokens (issue 13: defects 7, 14)', function () {
  this.timeout(60_000);

  describe('defect 7: the built-in token secret needs DEV_MODE', () => {
    for (const nodeEnv of [undefined, 'development', 'production', 'Production', 'prod', 'staging']) {
      it(`refuses to start on the built-in secret without DEV_MODE (NODE_ENV=${nodeEnv ?? 'unset'})`, () => {
        expect(() => loadConfig({ NODE_ENV: nodeEnv })).to.throw(ConfigError, /TOKEN_SECRET/);
        expect(() => loadConfig({ NODE_ENV: nodeEnv, TOKEN_SECRET: DEV_SECRET })).to.throw(ConfigError, /TOKEN_SECRET/);
      });
    }

    it('refuses DEV_MODE in production, whatever the spelling', () => {
      for (const nodeEnv of ['production', 'Production', 'PROD', 'prod']) {
        expect(() => loadConfig({ NODE_ENV: nodeEnv, DEV_MODE: '1' }), nodeEnv).to.throw(ConfigError, /DEV_MODE/);
      }
      expect(() => loadConfig({ DEV_MODE: 'maybe' })).to.throw(ConfigError, /DEV_MODE/);
    });

    it('accepts the built-in secret with DEV_MODE=1 (flagged) and an own secret without it', () => {
      expect(loadConfig({ DEV_MODE: '1' })).to.include({ devMode: true, insecureTokenSecret: true });
      expect(loadConfig({ TOKEN_SECRET: OWN_SECRET, NODE_ENV: 'Production' })).to.include({ devMode: false, insecureTokenSecret: false });
    });

    it('a server with its own secret refuses a token forged with the public one', async () => {
      const srv = await bootTestServer({ DEV_MODE: '0', TOKEN_SECRET: OWN_SECRET });
      try {
        const p = await registerPlayer(srv, 'forgery');
        const forged = new TokenSigner(DEV_SECRET, 3600).sign({ id: p.userId, username: p.username, role: 'admin' });
        const res = await http(srv.url, 'GET', '/admin/players', undefined, forged);
        expect(res.status).to.equal(401);
        expect(res.body.error.code).to.equal('auth/invalid_token');
      } finally {
        await srv.stop();
      }
    });

    it('the process exits with status 78 naming TOKEN_SECRET when no secret is set and DEV_MODE is not', async () => {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'casino-secret-'));
      try {
        const { out, code } = await runShell('node --import tsx server/main.ts', { TOKEN_SECRET: undefined, DEV_MODE: undefined, NODE_ENV: 'prod', PORT: String(await freePort()), DATA_DIR: dataDir }, () => false);
        expect(code).to.equal(78);
        expect(out).to.match(/TOKEN_SECRET/);
      } finally {
        fs.rmSync(dataDir, { recursive: true, force: true });
      }
    });

    it('`npm start`\'s script sets DEV_MODE when no secret is given, and the server says so loudly', async () => {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'casino-secret-'));
      try {
        const script = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).scripts.start as string;
        const port = await freePort();
        const { out } = await runShell(script, { TOKEN_SECRET: undefined, DEV_MODE: undefined, NODE_ENV: undefined, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, SIM_SCHEDULE: 'off', LOG_LEVEL: 'info' }, (o) => o.includes('server listening'));
        expect(out).to.include('PUBLIC secret');
        expect(out).to.include('server listening');
      } finally {
        fs.rmSync(dataDir, { recursive: true, force: true });
      }
    });
  });

  describe('defect 14: only the canonical token encoding verifies', () => {
    const t = new TokenSigner('y'.repeat(40), 3600, () => 1_000_000);
    const token = t.sign({ id: 'u1', username: 'alice', role: 'player' });
    const [v, payload, sig] = token.split('.') as [string, string, string];

    it('accepts the token as signed', () => {
      expect(t.verify(token).sub).to.equal('u1');
    });

    it('refuses the same signature padded, in the standard alphabet, or with altered trailing bits', () => {
      const standard = Buffer.from(sig, 'base64url').toString('base64');
      const variants = [
        `${v}.${payload}.${sig}=`,
        `${v}.${payload}.${standard}`,
        `${v}.${payload}.${standard.replace(/=+$/, '')}`,
        `${v}.${payload}=.${sig}`,
      ];
      // The last character carries 2 unused bits: flipping them decodes to the same MAC.
      const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
      const last = alphabet.indexOf(sig.at(-1)!);
      for (let extra = 1; extra < 4; extra++) variants.push(`${v}.${payload}.${sig.slice(0, -1)}${alphabet[last + extra]}`);
      for (const variant of variants) {
        expect(Buffer.from(variant.split('.')[2]!, 'base64url').equals(Buffer.from(sig, 'base64url')) || variant.includes('=.'), 'same MAC bytes').to.equal(true);
        expect(codeOf(() => t.verify(variant)), variant).to.equal('auth/invalid_token');
      }
    });
  });
});
