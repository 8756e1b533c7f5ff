/** `npm run psp`: the sandbox PSP as its own process (psp/sandbox.ts). Settings in docs/OPERATIONS.md. */
import { startSandboxPsp } from './sandbox.ts';
import { DEV_PSP_API_KEY, DEV_PSP_WEBHOOK_SECRET } from '../server/config.ts';

function need(name: string, def?: string): string {
  const v = process.env[name] ?? def;
  if (v === undefined || v === '') {
    console.error(`psp: ${name} is required`);
    process.exit(78);
  }
  return v;
}

function int(name: string, def: number, min: number, max: number): number {
  const raw = process.env[name];
  const n = raw === undefined || raw === '' ? def : Number(raw);
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    console.error(`psp: ${name} must be an integer ${min}..${max}`);
    process.exit(78);
  }
  return n;
}

const port = int('PSP_PORT', 4100, 0, 65535);
const dev = process.env.DEV_MODE === '1';
const psp = await startSandboxPsp({
  port,
  host: process.env.PSP_HOST ?? '127.0.0.1',
  apiKey: need('PSP_API_KEY', dev ? DEV_PSP_API_KEY : undefined),
  webhookSecret: need('PSP_WEBHOOK_SECRET', dev ? DEV_PSP_WEBHOOK_SECRET : undefined),
  webhookUrl: process.env.PSP_WEBHOOK_URL || `http://127.0.0.1:${process.env.PORT ?? 2567}/payments/webhook`,
  dataFile: process.env.PSP_DATA_FILE || null,
  seed: int('PSP_SEED', 1, 0, 2 ** 31),
  checkoutTtlMs: int('PSP_CHECKOUT_TTL_MS', 30 * 60_000, 1000, 7 * 86_400_000),
});
console.log(JSON.stringify({ msg: 'sandbox PSP listening', url: psp.url }));
process.send?.('ready');
const stop = () => void psp.close().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
