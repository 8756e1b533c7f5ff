/**
 * What one bot connection costs the bot process, by client kind: the official SDK, the lean
 * client decoding state, the lean client not decoding. A fresh server runs 10 tables; for each
 * kind a fresh bot process joins N spectators, then its JS heap and CPU are read over a quiet
 * spell (kernel socket buffers come on top).   npx tsx load-tests/bench/bot-cost.ts [N]
 */
import { fork } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Recorder } from '../metrics/recorder.ts';
import { joinTable, type TableLink } from '../bots/table-link.ts';
import { seedPlayers } from './seed.ts';
import { startOurServer } from './processes.ts';
import { LOAD_EDGE_LIMITS } from '../scenarios/types.ts';

const KINDS = [['sdk', 'sdk', true], ['lean, decoding', 'lean', true], ['lean, not decoding', 'lean', false]] as const;

async function measure(url: string, tokens: string[], kind: number, n: number): Promise<string> {
  const [label, client, decode] = KINDS[kind]!;
  const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
  const js = () => (gc(), process.memoryUsage().heapUsed + process.memoryUsage().external);
  const mem0 = js();
  const recorder = new Recorder();
  const links: TableLink[] = [];
  for (let i = 0; i < n; i++) links.push(await joinTable({ httpUrl: url, token: tokens[i % tokens.length]!, tableId: `roulette-${(i % 10) + 1}`, client, decode, recorder, events: {} }));
  await new Promise((r) => setTimeout(r, 2000));
  const mem1 = js();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, 10_000));
  const cpu = process.cpuUsage(cpu0);
  const secs = (performance.now() - t0) / 1000;
  for (const l of links) await l.leave().catch(() => undefined);
  return `${label.padEnd(20)} ${n} connections: ${Math.round((mem1 - mem0) / n / 1024)} KB of JS heap each, ${((cpu.user + cpu.system) / 1000 / secs / 10).toFixed(1)} % of a core while watching (${recorder.takeInterval().counters.messagesIn} frames in ${secs.toFixed(0)} s)`;
}

if (process.send) {
  process.once('message', async (m: { url: string; tokens: string[]; kind: number; n: number }) => {
    process.send!(await measure(m.url, m.tokens, m.kind, m.n));
    process.exit(0);
  });
} else {
  const n = Number(process.argv[2] ?? 500);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'casino-bot-cost-'));
  const env = { ...LOAD_EDGE_LIMITS, LOG_LEVEL: 'warn', TOKEN_SECRET: 'benchmark-token-secret-0123456789abcdef', DATA_DIR: dataDir, ROULETTE_TABLES: '10', ROULETTE_BETTING_WINDOW_MS: '3000', ROULETTE_SPIN_MS: '1000', ROULETTE_PAUSE_MS: '1000', SIM_SCHEDULE: 'off' };
  const tokens = (await seedPlayers(dataDir, env, 100)).map((a) => a.token);
  const srv = await startOurServer(2599, env, path.join(os.tmpdir(), 'casino-bot-cost.log'));
  try {
    for (let kind = 0; kind < KINDS.length; kind++) {
      const child = fork(fileURLToPath(import.meta.url), [], { execArgv: ['--expose-gc', '--import', 'tsx'] });
      console.log(await new Promise<string>((resolve) => {
        child.once('message', (line: string) => resolve(line));
        child.send({ url: srv.url, tokens, kind, n });
      }));
    }
  } finally {
    await srv.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
