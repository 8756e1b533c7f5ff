import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SandboxProvider } from '../../server/payments/sandbox-adapter.ts';
import { sign } from '../../server/payments/signature.ts';
import { startPsp, TEST_PSP_KEY, TEST_PSP_SECRET, type PspProcess } from '../support/psp.ts';
import { providerContract } from './provider-contract.ts';

// The sandbox PSP as a real process; its webhooks go to a bare receiver that records them.
let psp: PspProcess;
let receiver: http.Server;
const received: Array<{ body: Buffer; headers: Record<string, string> }> = [];

after(async () => {
  await psp?.stop();
  receiver?.close();
});

providerContract('sandbox PSP process', async () => {
  receiver = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      received.push({ body: Buffer.concat(chunks), headers: req.headers as Record<string, string> });
      res.end('{}');
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  psp = await startPsp({ webhookUrl: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook` });
  const provider = new SandboxProvider({ url: psp.url, apiKey: TEST_PSP_KEY, webhookSecret: TEST_PSP_SECRET });
  const body = Buffer.from(JSON.stringify({ id: 'evt_f', type: 'payment.captured', createdAt: 0, object: { id: 'pay_f', kind: 'payment', reference: 'dep_f', amountMinor: 1, currency: 'EUR', status: 'captured', instrument: null, checkoutUrl: null, failureReason: null, updatedAt: 0 } }));
  const now = Math.floor(Date.now() / 1000);
  return {
    provider,
    controls: {
      pay: async (pspId, card) => {
        const r = await psp.api('POST', `/v1/sandbox/payments/${pspId}/complete`, { card: card === 'ok' ? '4242424242424242' : '4000000000000002' });
        if (r.status !== 200) throw new Error(`pay: ${r.status}`);
      },
      chargeback: async (pspId) => {
        const r = await psp.api('POST', `/v1/sandbox/payments/${pspId}/chargeback`);
        if (r.status !== 200) throw new Error(`chargeback: ${r.status}`);
      },
      deliveries: () => received,
      forged: (kind) => ({
        body: kind === 'tampered' ? Buffer.from(body.toString().replace('"amountMinor":1', '"amountMinor":9')) : body,
        headers: { 'psp-signature': sign(kind === 'wrong-secret' ? 'not-the-secret-0123456789' : TEST_PSP_SECRET, body, kind === 'stale' ? now - 3600 : now) },
      }),
    },
  };
});
