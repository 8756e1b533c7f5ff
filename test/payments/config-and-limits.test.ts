import { expect } from 'chai';
import { ConfigError, loadConfig } from '../../server/config.ts';
import { sign } from '../../server/payments/signature.ts';
import { bootTestServer, http, registerPlayer } from '../support/server.ts';
import { freePort } from '../support/process.ts';

describe('payments: configuration and edge limits', function () {
  this.timeout(60_000);

  it('refuses PSP_URL without a PSP key and webhook secret outside DEV_MODE, naming the variable', () => {
    const base = { TOKEN_SECRET: 'x'.repeat(40), PSP_URL: 'http://127.0.0.1:4100' };
    expect(() => loadConfig(base)).to.throw(ConfigError, /PSP_API_KEY/);
    expect(() => loadConfig({ ...base, PSP_API_KEY: 'k'.repeat(20) })).to.throw(ConfigError, /PSP_WEBHOOK_SECRET/);
    expect(() => loadConfig({ ...base, PSP_API_KEY: 'short', PSP_WEBHOOK_SECRET: 's'.repeat(20) })).to.throw(ConfigError, /PSP_API_KEY/);
    expect(loadConfig({ ...base, PSP_API_KEY: 'k'.repeat(20), PSP_WEBHOOK_SECRET: 's'.repeat(20) }).payments.pspUrl).to.equal('http://127.0.0.1:4100');
    expect(() => loadConfig({ ...base, PSP_URL: 'ftp://x' })).to.throw(ConfigError, /PSP_URL/);
    expect(() => loadConfig({ TOKEN_SECRET: 'x'.repeat(40), DEPOSIT_MIN_MINOR: '0' })).to.throw(ConfigError, /DEPOSIT_MIN_MINOR/);
    expect(() => loadConfig({ TOKEN_SECRET: 'x'.repeat(40), REVERSE_WITHDRAWALS: 'maybe' })).to.throw(ConfigError, /REVERSE_WITHDRAWALS/);
  });

  it('answers payment routes with payments/disabled when no PSP is configured', async () => {
    const srv = await bootTestServer();
    try {
      const p = await registerPlayer(srv, 'nopsp');
      const r = await http(srv.url, 'POST', '/payments/deposits', { amountMinor: 1000 }, p.token);
      expect(r.status).to.equal(503);
      expect(r.body.error.code).to.equal('payments/disabled');
    } finally {
      await srv.stop();
    }
  });

  it('rate limits webhook deliveries per address, and refuses an oversized body before reading it', async () => {
    const srv = await bootTestServer({ PSP_URL: `http://127.0.0.1:${await freePort()}`, PSP_API_KEY: 'k'.repeat(20), PSP_WEBHOOK_SECRET: 's'.repeat(20), PSP_WEBHOOKS_PER_SECOND: '3', PAYMENTS_POLL_MS: '0' });
    try {
      const body = JSON.stringify({ id: 'evt_1' });
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) {
        const r = await fetch(`${srv.url}/payments/webhook`, { method: 'POST', headers: { 'content-type': 'application/json', 'psp-signature': sign('s'.repeat(20), body, Math.floor(Date.now() / 1000)) }, body });
        statuses.push(r.status);
        const json = (await r.json()) as any;
        if (r.status === 429) expect(json.error.code).to.equal('payments/rate_limited');
      }
      expect(statuses.slice(0, 3)).to.deep.equal([400, 400, 400]); // signed, but not a payment event
      expect(statuses).to.include(429);
      const big = await fetch(`${srv.url}/payments/webhook`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ pad: 'x'.repeat(64 * 1024) }) });
      expect(big.status).to.equal(413);
    } finally {
      await srv.stop();
    }
  });
});
