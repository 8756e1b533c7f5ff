/**
 * Issue 13, defect 13: login throttles per account and per address (behind a trusted proxy, the
 * client's own), limits shared through Redis in a cluster, and common passwords refused.
 */
import { expect } from 'chai';
import { bootTestServer, http, type TestServer } from '../support/server.ts';

const PASSWORD = 'right-horse-battery-9';

async function login(srv: TestServer, username: string, password: string, headers: Record<string, string> = {}): Promise<{ status: number; body: any; retryAfter: string | null }> {
  const res = await fetch(`${srv.url}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ username, password }) });
  return { status: res.status, body: await res.json(), retryAfter: res.headers.get('retry-after') };
}

describe('logins and passwords (issue 13: defect 13)', function () {
  this.timeout(60_000);
  let srv: TestServer;
  afterEach(async () => srv?.stop());

  it('throttles an account after LOGIN_FAILURES_PER_ACCOUNT wrong passwords, the right password included, with a Retry-After', async () => {
    srv = await bootTestServer({ LOGIN_FAILURES_PER_ACCOUNT: '5' });
    expect((await http(srv.url, 'POST', '/auth/register', { username: 'victim', password: PASSWORD })).status).to.equal(201);
    for (let i = 0; i < 5; i++) expect((await login(srv, 'victim', `wrong-guess-${i}`)).body.error.code).to.equal('auth/invalid_credentials');
    for (const [name, password] of [['wrong', 'wrong-guess-x'], ['right', PASSWORD], ['other case', PASSWORD]] as const) {
      const res = await login(srv, name === 'other case' ? 'VICTIM' : 'victim', password);
      expect(res.status, name).to.equal(429);
      expect(res.body.error.code, name).to.equal('auth/too_many_failures');
      expect(Number(res.retryAfter), name).to.be.within(1, 900);
    }
    // Another account from the same address is unaffected.
    expect((await http(srv.url, 'POST', '/auth/register', { username: 'bystander', password: PASSWORD })).status).to.equal(201);
    expect((await login(srv, 'bystander', PASSWORD)).status).to.equal(200);
  });

  it('does not hold successful logins and registrations from one busy address against anyone (NODE_ENV=production)', async () => {
    srv = await bootTestServer({ NODE_ENV: 'production', DEV_MODE: '0', TOKEN_SECRET: 'busy-proxy-token-secret-0123456789ab', LOGIN_FAILURES_PER_IP: '100000', REGISTRATIONS_PER_IP: '100000', AUTH_REQUESTS_PER_IP: '100000' });
    const names = Array.from({ length: 20 }, (_, i) => `proxyuser${i}`);
    for (const username of names) expect((await http(srv.url, 'POST', '/auth/register', { username, password: PASSWORD })).status).to.equal(201);
    for (let round = 0; round < 4; round++) {
      for (const username of names) expect((await login(srv, username, PASSWORD)).status, `${username} round ${round}`).to.equal(200);
    }
  });

  it('counts failures per client address; X-Forwarded-For only counts behind TRUST_PROXY', async () => {
    srv = await bootTestServer({ LOGIN_FAILURES_PER_IP: '3', LOGIN_FAILURES_PER_ACCOUNT: '1000' });
    await http(srv.url, 'POST', '/auth/register', { username: 'ipuser', password: PASSWORD });
    // Without TRUST_PROXY a forged header changes nothing: all of these come from 127.0.0.1.
    for (let i = 0; i < 3; i++) expect((await login(srv, 'ipuser', 'nope-nope-1', { 'x-forwarded-for': `198.51.100.${i}` })).status).to.equal(401);
    const spoofed = await login(srv, 'ipuser', PASSWORD, { 'x-forwarded-for': '198.51.100.99' });
    expect(spoofed.status).to.equal(429);
    expect(spoofed.body.error.code).to.equal('auth/too_many_failures');
    await srv.stop();

    srv = await bootTestServer({ LOGIN_FAILURES_PER_IP: '3', LOGIN_FAILURES_PER_ACCOUNT: '1000', TRUST_PROXY: 'loopback' });
    await http(srv.url, 'POST', '/auth/register', { username: 'ipuser', password: PASSWORD });
    for (let i = 0; i < 3; i++) expect((await login(srv, 'ipuser', 'nope-nope-1', { 'x-forwarded-for': '203.0.113.7' })).status).to.equal(401);
    expect((await login(srv, 'ipuser', PASSWORD, { 'x-forwarded-for': '203.0.113.7' })).status, 'the failing client').to.equal(429);
    expect((await login(srv, 'ipuser', PASSWORD, { 'x-forwarded-for': '203.0.113.8' })).status, 'another client behind the proxy').to.equal(200);
  });

  it('limits registrations per address (REGISTRATIONS_PER_IP an hour)', async () => {
    srv = await bootTestServer({ REGISTRATIONS_PER_IP: '3' });
    for (let i = 0; i < 3; i++) expect((await http(srv.url, 'POST', '/auth/register', { username: `reg${i}`, password: PASSWORD })).status).to.equal(201);
    const res = await http(srv.url, 'POST', '/auth/register', { username: 'reg3', password: PASSWORD });
    expect(res.status).to.equal(429);
    expect(res.body.error.code).to.equal('http/rate_limited');
  });

  it('refuses common passwords, in any letter case', async () => {
    srv = await bootTestServer();
    for (const password of ['password1', 'Password1', 'PASSWORD1', 'letmein123', 'qwerty123']) {
      const res = await http(srv.url, 'POST', '/auth/register', { username: `common_${password.length}${password[0]}`, password });
      expect(res.status, password).to.equal(400);
      expect(res.body.error.code).to.equal('http/invalid_body');
      expect(res.body.error.message).to.include('common');
    }
  });
});
