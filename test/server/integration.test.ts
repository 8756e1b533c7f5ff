import { expect } from 'chai';
import { Client } from '@colyseus/sdk';
import { bootTestServer, http, type TestServer } from '../support/server.ts';

describe('server (integration)', () => {
  let srv: TestServer;
  before(async () => {
    srv = await bootTestServer({ DEMO_BALANCE_MINOR: '50000', HTTP_BODY_LIMIT_BYTES: '1024' });
  });
  after(async () => srv?.stop());

  it('reports health and readiness', async () => {
    expect((await http(srv.url, 'GET', '/healthz')).body).to.deep.equal({ ok: true });
    const ready = await http(srv.url, 'GET', '/readyz');
    expect(ready.status).to.equal(200);
    expect(ready.body.checks.store).to.equal('ok');
  });

  it('registers, logs in, reads the wallet and ledger, and joins a room with the token', async () => {
    const reg = await http(srv.url, 'POST', '/auth/register', { username: 'Alice_1', password: 'wonderland42' });
    expect(reg.status).to.equal(201);
    expect(reg.body).to.have.keys('userId', 'token', 'role');

    const login = await http(srv.url, 'POST', '/auth/login', { username: 'alice_1', password: 'wonderland42' });
    expect(login.status).to.equal(200);
    expect(login.body.userId).to.equal(reg.body.userId);

    const wallet = await http(srv.url, 'GET', '/wallet', undefined, login.body.token);
    expect(wallet.status).to.equal(200);
    expect(wallet.body).to.deep.equal({ currency: 'EUR', balanceMinor: 50000, heldMinor: 0, availableMinor: 50000 });

    const ledger = await http(srv.url, 'GET', '/wallet/ledger?limit=10', undefined, login.body.token);
    expect(ledger.status).to.equal(200);
    expect(ledger.body.items).to.have.length(1);
    expect(ledger.body.items[0]).to.include({ kind: 'promotion', amountMinor: 50000, counterparty: 'sys:promotions' });
    expect(ledger.body.nextCursor).to.equal(null);

    const client = new Client(srv.wsUrl);
    client.auth.token = login.body.token;
    const room = await client.joinOrCreate('lobby');
    expect(room.roomId).to.be.a('string');
    await room.leave();
  });

  it('refuses a room join without a token, with a tampered token and with an expired-looking garbage token', async () => {
    const anonymous = new Client(srv.wsUrl);
    let err: any = null;
    await anonymous.joinOrCreate('lobby').catch((e) => (err = e));
    expect(err, 'join without token').to.not.equal(null);
    expect(String(err.message)).to.include('auth/missing_token');

    const reg = await http(srv.url, 'POST', '/auth/register', { username: 'mallory', password: 'mallory123' });
    const [v, payload, sig] = reg.body.token.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    claims.role = 'admin';
    const forged = new Client(srv.wsUrl);
    forged.auth.token = [v, Buffer.from(JSON.stringify(claims)).toString('base64url'), sig].join('.');
    err = null;
    await forged.joinOrCreate('lobby').catch((e) => (err = e));
    expect(String(err?.message)).to.include('auth/invalid_token');
  });

  describe('bad input gets a typed error and changes nothing', () => {
    it('rejects malformed JSON, oversized bodies, wrong shapes and weak credentials', async () => {
      const cases: Array<[unknown, number, string]> = [
        ['{"username": ', 400, 'http/invalid_json'],
        [{ username: 'x'.repeat(2000), password: 'abc12345' }, 413, 'http/body_too_large'],
        [{ username: 42, password: 'abc12345' }, 400, 'http/invalid_body'],
        [{ username: 'ab', password: 'abc12345' }, 400, 'http/invalid_body'],
        [{ username: 'bad name!', password: 'abc12345' }, 400, 'http/invalid_body'],
        [{ username: 'bob_ok', password: 'short1' }, 400, 'http/invalid_body'],
        [{ username: 'bob_ok', password: 'nodigitshere' }, 400, 'http/invalid_body'],
        [[], 400, 'http/invalid_body'],
      ];
      for (const [body, status, code] of cases) {
        const res = await http(srv.url, 'POST', '/auth/register', body);
        expect(res.status, JSON.stringify(body).slice(0, 40)).to.equal(status);
        expect(res.body.error.code).to.equal(code);
        expect(res.body.error.message).to.be.a('string').and.not.empty;
      }
      const login = await http(srv.url, 'POST', '/auth/login', { username: 'bob_ok', password: 'abc12345' });
      expect(login.body.error.code).to.equal('auth/invalid_credentials');
    });

    it('refuses a second registration of the same username in any case', async () => {
      expect((await http(srv.url, 'POST', '/auth/register', { username: 'Carol', password: 'carol1234' })).status).to.equal(201);
      const again = await http(srv.url, 'POST', '/auth/register', { username: 'carol', password: 'carol1234' });
      expect(again.status).to.equal(409);
      expect(again.body.error.code).to.equal('auth/username_taken');
    });

    it('refuses wallet access without a valid token and validates ledger paging', async () => {
      expect((await http(srv.url, 'GET', '/wallet')).body.error.code).to.equal('auth/missing_token');
      expect((await http(srv.url, 'GET', '/wallet', undefined, 'v1.abc.def')).body.error.code).to.equal('auth/invalid_token');
      const reg = await http(srv.url, 'POST', '/auth/register', { username: 'dave_p', password: 'dave12345' });
      const bad = await http(srv.url, 'GET', '/wallet/ledger?limit=500', undefined, reg.body.token);
      expect(bad.status).to.equal(400);
      expect(bad.body.error.code).to.equal('http/invalid_query');
    });

    it('answers unknown routes with a typed 404 and keeps the admin monitor behind admin auth', async () => {
      const res = await http(srv.url, 'GET', '/nope');
      expect(res.status).to.equal(404);
      expect(res.body.error.code).to.equal('http/not_found');
      const reg = await http(srv.url, 'POST', '/auth/register', { username: 'erin_p', password: 'erin12345' });
      const mon = await http(srv.url, 'GET', '/colyseus/api', undefined, reg.body.token);
      expect(mon.status).to.equal(403);
      expect(mon.body.error.code).to.equal('auth/forbidden');
    });
  });
});
