/** The benchmark's server processes: ours (`server/main.ts`) and the bare echo reference. */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface ServerProcess {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

async function waitHealthy(url: string, child: ChildProcess, log: () => string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}: ${log()}`);
    const ok = await fetch(`${url}/healthz`).then((r) => r.ok, () => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`server at ${url} did not become healthy: ${log()}`);
}

function start(args: string[], env: Record<string, string>, url: string, logFile: string): Promise<ServerProcess> {
  const out = fs.openSync(logFile, 'a');
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', out, out] });
  const log = () => fs.readFileSync(logFile, 'utf8').slice(-2000);
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      const force = setTimeout(() => child.kill('SIGKILL'), 30_000);
      child.once('exit', () => (clearTimeout(force), fs.closeSync(out), resolve()));
      child.kill('SIGTERM');
    });
  return waitHealthy(url, child, log).then(
    () => ({ url, pid: child.pid!, stop }),
    async (e) => {
      await stop();
      throw e;
    },
  );
}

export function startOurServer(port: number, env: Record<string, string>, logFile: string, nodeFlags: string[] = []): Promise<ServerProcess> {
  return start([...nodeFlags, 'server/main.ts'], { PORT: String(port), HOST: '127.0.0.1', ...env }, `http://127.0.0.1:${port}`, logFile);
}

export function startEchoServer(port: number, logFile: string): Promise<ServerProcess> {
  return start(['load-tests/bench/echo-server.ts', String(port)], {}, `http://127.0.0.1:${port}`, logFile);
}
