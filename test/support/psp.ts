/** Runs the sandbox PSP (`psp/main.ts`) as a real child process, and drives its test controls. */
import { waitFor as pollFor } from './cluster.ts';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { freePort } from './process.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
export const TEST_PSP_KEY = 'sk_test_sandbox_0123456789abcdef';
export const TEST_PSP_SECRET = 'whsec_test_sandbox_0123456789abcdef';

export interface PspProcess {
  child: ChildProcess;
  port: number;
  url: string;
  output: () => string;
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** POST/GET to the sandbox API with the test key. */
  api(method: string, route: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: any }>;
  faults(f: Partial<{ duplicate: number; delayMs: number; loseRate: number; declineRate: number; payoutFailRate: number }>): Promise<void>;
}

export async function startPsp(opts: { port?: number; webhookUrl: string; dataFile?: string; seed?: number; env?: Record<string, string> }): Promise<PspProcess> {
  const port = opts.port ?? (await freePort());
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'psp/main.ts')], {
    cwd: ROOT,
    env: {
      ...process.env, PSP_PORT: String(port), PSP_API_KEY: TEST_PSP_KEY, PSP_WEBHOOK_SECRET: TEST_PSP_SECRET, PSP_WEBHOOK_URL: opts.webhookUrl,
      PSP_DATA_FILE: opts.dataFile ?? '', PSP_SEED: String(opts.seed ?? 7), ...opts.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`psp exited with ${child.exitCode}:\n${out}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch { /* not yet */ }
    if (Date.now() > deadline) { child.kill('SIGKILL'); throw new Error(`psp not ready:\n${out}`); }
    await new Promise((r) => setTimeout(r, 50));
  }
  const api: PspProcess['api'] = async (method, route, body, headers = {}) => {
    const res = await fetch(url + route, {
      method,
      headers: { authorization: `Bearer ${TEST_PSP_KEY}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  };
  return {
    child, port, url, output: () => out, api,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
    faults: async (f) => {
      const r = await api('POST', '/v1/sandbox/faults', f);
      if (r.status !== 200) throw new Error(`faults: ${r.status} ${JSON.stringify(r.body)}`);
    },
  };
}

/** Polls `check` until it returns a truthy value (no fixed sleeps), or fails after `ms` (test/support/cluster.ts's waitFor, arguments in this suite's order). */
export function waitFor<T>(check: () => Promise<T | null | undefined | false>, ms = 15_000, what = 'condition'): Promise<T> {
  return pollFor(what, check, ms, 25);
}
