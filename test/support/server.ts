/** Boots the real server in this process on a free port with a fresh data directory. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@colyseus/sdk';
import { loadConfig } from '../../server/config.ts';
import { startApp, type RunningApp } from '../../server/app.ts';
import { createLogger } from '../../server/logger.ts';

/**
 * What every test server runs with unless a test says otherwise: the built-in token secret
 * (DEV_MODE), and per-address limits high enough for a whole suite registering and joining from
 * 127.0.0.1. The tests of those limits set their own values.
 */
export const TEST_METRICS_TOKEN = 'test-metrics-token-0123456789abcdef';
export const TEST_SERVER_ENV: Record<string, string> = {
  DEV_MODE: '1',
  METRICS_TOKEN: TEST_METRICS_TOKEN,
  REGISTRATIONS_PER_IP: '100000',
  AUTH_REQUESTS_PER_IP: '100000',
  LOGIN_FAILURES_PER_IP: '100000',
  MATCHMAKE_PER_IP: '100000',
  // Server processes in tests run without the demo sandbox PSP (payment tests start their own).
  PSP_SANDBOX: 'off',
  // Withdrawals without identity checks (DEV_MODE only); the KYC tests set their own rule.
  KYC_REQUIRED_FOR: 'off',
  // ...and without the default crash room (tests count the rooms a process hosts); crash tests set CRASH_ROOMS.
  CRASH_ROOMS: '0',
  // ... and without blackjack tables (the suites that count rooms predate them); the blackjack
  // suites set BLACKJACK_TABLES themselves.
  BLACKJACK_TABLES: '0',
};

// The load runner's scraper (load-tests/metrics/prometheus.ts) sends the token it finds here.
process.env.METRICS_TOKEN ??= TEST_METRICS_TOKEN;

/** GET /metrics as a scraper would, with the test servers' METRICS_TOKEN. */
export async function scrapeMetrics(base: string): Promise<string> {
  return (await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${TEST_METRICS_TOKEN}` } })).text();
}

export interface TestServer {
  app: RunningApp;
  url: string;
  wsUrl: string;
  dataDir: string;
  stop(): Promise<void>;
}

export async function bootTestServer(env: Record<string, string> = {}, opts: { now?: () => number; randomSeed?: () => string; dataDir?: string } = {}): Promise<TestServer> {
  const { dataDir: existing, ...appOpts } = opts;
  const dataDir = existing ?? fs.mkdtempSync(path.join(os.tmpdir(), 'casino-test-'));
  const merged: Record<string, string> = { PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'silent', SIM_SCHEDULE: 'off', PRICING_REFIT_EVERY_MS: '0', ...TEST_SERVER_ENV, ...env };
  // KYC may be off only in development mode: a suite booting a production-mode server gets the real rule.
  if (merged.DEV_MODE !== '1' && !('KYC_REQUIRED_FOR' in env)) delete merged.KYC_REQUIRED_FOR;
  const config = loadConfig(merged);
  const app = await startApp({ config, log: createLogger(env.LOG_LEVEL ?? 'silent'), ...appOpts });
  return {
    app,
    dataDir,
    url: `http://127.0.0.1:${app.port}`,
    wsUrl: `ws://127.0.0.1:${app.port}`,
    stop: async () => {
      await app.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function http(base: string, method: string, route: string, body?: unknown, token?: string): Promise<{ status: number; body: any }> {
  const res = await fetch(base + route, {
    method,
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

let seq = 0;
/** Registers a fresh player and returns its session and an SDK client carrying its token. */
export async function registerPlayer(srv: { url: string; wsUrl: string }, prefix = 'player'): Promise<{ userId: string; token: string; username: string; client: Client }> {
  const username = `${prefix}${process.pid}_${++seq}`;
  const res = await http(srv.url, 'POST', '/auth/register', { username, password: 'correct-horse-1' });
  if (res.status !== 201) throw new Error(`register failed: ${res.status} ${JSON.stringify(res.body)}`);
  const client = new Client(srv.wsUrl);
  client.auth.token = res.body.token;
  return { userId: res.body.userId, token: res.body.token, username, client };
}
