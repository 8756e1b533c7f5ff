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

const port = Number(process.env.PSP_PORT ?? 4100);
if (!Number.isInteger(port) || port < 0 || port > 65535) { console.error('psp: PSP_PORT must be 0..65535'); process.exit(78); }
const dev = process.env.DEV_MODE === '1';
const psp = await startSandboxPsp({
  port,
  host: process.env.PSP_HOST ?? '127.0.0.1',
  apiKey: need('PSP_API_KEY', dev ? DEV_PSP_API_KEY : undefined),
  webhookSecret: need('PSP_WEBHOOK_SECRET', dev ? DEV_PSP_WEBHOOK_SECRET : undefined),
  webhookUrl: process.env.PSP_WEBHOOK_URL || `http://127.0.0.1:${process.env.PORT ?? 2567}/payments/webhook`,
  dataFile: process.env.PSP_DATA_FILE || null,
  seed: Number(process.env.PSP_SEED ?? 1),
});
console.log(JSON.stringify({ msg: 'sandbox PSP listening', url: psp.url }));
process.send?.('ready');
const stop = () => void psp.close().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
