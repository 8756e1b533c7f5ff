/**
 * `npm start` in demo mode (DEV_MODE=1) starts the sandbox PSP (psp/main.ts) as a child process
 * and points the cashier at it, so deposits work out of the box. Not when PSP_URL is set, when
 * PSP_SANDBOX=off, or outside DEV_MODE (PM2 runs the sandbox as its own app: ecosystem.config.js).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../..');

export function spawnDemoPsp(env: NodeJS.ProcessEnv): { child: ChildProcess; stop(): Promise<void> } | null {
  const dev = ['1', 'true', 'on', 'yes'].includes((env.DEV_MODE ?? '').toLowerCase());
  if (!dev || env.PSP_URL || (env.PSP_SANDBOX ?? 'on') === 'off') return null;
  const pspPort = env.PSP_PORT || '4100';
  const serverPort = env.PORT || '2567';
  env.PSP_URL = `http://127.0.0.1:${pspPort}`;
  env.PSP_PUBLIC_URL ||= `http://localhost:${pspPort}`;
  // From the production build (dist/server/payments/demo-psp.js) run the built sandbox, else the sources through tsx.
  const built = import.meta.filename.endsWith('.js');
  const args = built ? [path.join(ROOT, 'psp/main.js')] : ['--import', 'tsx', path.join(ROOT, 'psp/main.ts')];
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: {
      ...env,
      PSP_PORT: pspPort,
      PSP_WEBHOOK_URL: env.PSP_WEBHOOK_URL || `http://127.0.0.1:${serverPort}/payments/webhook`,
      PSP_DATA_FILE: env.PSP_DATA_FILE || path.join(path.resolve(env.DATA_DIR || './data'), 'psp-sandbox.jsonl'),
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // The sandbox must not outlive the server.
  process.once('exit', () => child.kill('SIGTERM'));
  console.error(`demo mode: sandbox PSP on ${env.PSP_URL} (checkout pages at ${env.PSP_PUBLIC_URL}); PSP_SANDBOX=off to skip`);
  return {
    child,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
