/**
 * A server with its cashier on a real sandbox PSP process, and a deposit carried to capture:
 * the setup the payments, promotions and protection suites share.
 */
import { expect } from 'chai';
import { freePort } from './process.ts';
import { startPsp, TEST_PSP_KEY, TEST_PSP_SECRET, waitFor, type PspProcess } from './psp.ts';
import { bootTestServer, http, type TestServer } from './server.ts';

export interface CashierServer {
  srv: TestServer;
  psp: PspProcess;
  /** An admin's token (the `admin` credentials given). */
  admin: string;
  stop(): Promise<void>;
}

/** Boots the server (`env` on top of the PSP's settings, no repair poller) and the PSP sending it webhooks, and logs the admin in. */
export async function bootWithCashier(env: Record<string, string>, admin: { username: string; password: string }): Promise<CashierServer> {
  const pspPort = await freePort();
  const srv = await bootTestServer({
    PSP_URL: `http://127.0.0.1:${pspPort}`, PSP_API_KEY: TEST_PSP_KEY, PSP_WEBHOOK_SECRET: TEST_PSP_SECRET, PAYMENTS_POLL_MS: '0',
    ADMIN_USERNAME: admin.username, ADMIN_PASSWORD: admin.password, ...env,
  });
  const psp = await startPsp({ port: pspPort, webhookUrl: `${srv.url}/payments/webhook` });
  const token = (await http(srv.url, 'POST', '/auth/login', admin)).body.token as string;
  return { srv, psp, admin: token, stop: async () => { await psp.stop(); await srv.stop(); } };
}

/** A card deposit completed at the PSP, once the server has it captured and its money applied. */
export async function captureDeposit(c: Pick<CashierServer, 'srv' | 'psp'>, token: string, amountMinor: number, card = '4242424242424242'): Promise<{ paymentId: string; pspId: string }> {
  const created = await http(c.srv.url, 'POST', '/payments/deposits', { amountMinor, method: 'card' }, token);
  expect(created.status, JSON.stringify(created.body)).to.equal(201);
  expect((await c.psp.api('POST', `/v1/sandbox/payments/${created.body.pspId}/complete`, { card })).status).to.equal(200);
  await waitFor(async () => {
    const v = (await http(c.srv.url, 'GET', `/payments/${created.body.paymentId}`, undefined, token)).body;
    return v.status === 'captured' && v.settled;
  }, 15_000, 'deposit captured');
  return { paymentId: created.body.paymentId, pspId: created.body.pspId };
}
