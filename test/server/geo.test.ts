/**
 * Geolocation through the real server: the client's country from the packaged database, read
 * from X-Forwarded-For only when TRUST_PROXY trusts the hop, refused at registration, login,
 * deposits and room joins with `geo/blocked`.
 */
import { expect } from 'chai';
import { bootTestServer, type TestServer } from '../support/server.ts';
import { GeoGate, geoRefusal } from '../../server/geo/gate.ts';

const US = '8.8.8.8';
const GB = '81.2.69.160';

async function post(base: string, route: string, body: unknown, headers: Record<string, string>): Promise<{ status: number; body: any }> {
  const res = await fetch(base + route, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: res.status, body: await res.json() };
}

describe('geolocation (packaged country database)', function () {
  this.timeout(60_000);

  it('looks countries up in the packaged database and applies the allow and block lists', async () => {
    const gate = await GeoGate.open({ allowedCountries: [], blockedCountries: ['US'], unknown: 'allow', databasePath: null });
    expect(gate.countryOf(US)).to.equal('US');
    expect(gate.countryOf(GB)).to.equal('GB');
    expect(gate.countryOf('::ffff:81.2.69.160')).to.equal('GB');
    expect(gate.countryOf('127.0.0.1')).to.equal(null);
    expect(gate.countryOf('not-an-ip')).to.equal(null);
    const rule = { allowedCountries: ['GB', 'MT'], blockedCountries: ['US'], unknown: 'block' as const, databasePath: null };
    expect(geoRefusal(rule, 'GB')).to.equal(null);
    expect(geoRefusal(rule, 'FR')).to.be.a('string');
    expect(geoRefusal(rule, 'US')).to.be.a('string');
    expect(geoRefusal(rule, null)).to.be.a('string');
    expect(geoRefusal({ ...rule, allowedCountries: [], unknown: 'allow' }, null)).to.equal(null);
  });

  describe('behind a trusted proxy', () => {
    let srv: TestServer;
    before(async () => {
      srv = await bootTestServer({ TRUST_PROXY: '127.0.0.1', GEO_BLOCKED_COUNTRIES: 'US', ROULETTE_TABLES: '1' });
    });
    after(async () => srv?.stop());

    it('refuses registration, login, deposits and room joins from a blocked country, and allows the rest', async () => {
      const username = `geo${process.pid}${Date.now().toString(36)}`;
      const creds = { username, password: 'correct-horse-1' };
      const blocked = await post(srv.url, '/auth/register', creds, { 'x-forwarded-for': US });
      expect(blocked.status).to.equal(403);
      expect(blocked.body.error).to.deep.include({ code: 'geo/blocked', details: { country: 'US' } });
      const reg = await post(srv.url, '/auth/register', creds, { 'x-forwarded-for': GB });
      expect(reg.status, JSON.stringify(reg.body)).to.equal(201);
      expect((await post(srv.url, '/auth/login', creds, { 'x-forwarded-for': US })).body.error.code).to.equal('geo/blocked');
      const login = await post(srv.url, '/auth/login', creds, { 'x-forwarded-for': GB });
      expect(login.status).to.equal(200);
      const token = login.body.token as string;

      const dep = await post(srv.url, '/payments/deposits', { amountMinor: 1000 }, { 'x-forwarded-for': US, authorization: `Bearer ${token}` });
      expect(dep.body.error.code).to.equal('geo/blocked');
      const depGb = await post(srv.url, '/payments/deposits', { amountMinor: 1000 }, { 'x-forwarded-for': GB, authorization: `Bearer ${token}` });
      expect(depGb.body.error.code, 'past the country rule (no PSP here)').to.equal('payments/disabled');

      const join = await post(srv.url, '/matchmake/joinById/roulette-1', {}, { 'x-forwarded-for': US, authorization: `Bearer ${token}` });
      expect(join.status).to.equal(403);
      expect(join.body.error?.code ?? join.body.code ?? JSON.stringify(join.body)).to.match(/geo\/blocked/);
      const joinGb = await post(srv.url, '/matchmake/joinById/roulette-1', {}, { 'x-forwarded-for': GB, authorization: `Bearer ${token}` });
      expect(joinGb.status, JSON.stringify(joinGb.body)).to.equal(200);
    });
  });

  describe('without TRUST_PROXY', () => {
    let srv: TestServer;
    before(async () => {
      srv = await bootTestServer({ GEO_BLOCKED_COUNTRIES: 'US', ROULETTE_TABLES: '0' });
    });
    after(async () => srv?.stop());

    it('ignores X-Forwarded-For (anyone can send it) and judges the peer address', async () => {
      const res = await post(srv.url, '/auth/register', { username: `geo2${process.pid}${Date.now().toString(36)}`, password: 'correct-horse-1' }, { 'x-forwarded-for': US });
      expect(res.status, 'the loopback peer has no country; GEO_UNKNOWN=allow').to.equal(201);
    });

  });

  describe('with GEO_UNKNOWN=block', () => {
    let srv: TestServer;
    before(async () => {
      srv = await bootTestServer({ GEO_UNKNOWN: 'block', ROULETTE_TABLES: '0' });
    });
    after(async () => srv?.stop());

    it('refuses an address the database does not know', async () => {
      const res = await post(srv.url, '/auth/register', { username: `geo3${process.pid}${Date.now().toString(36)}`, password: 'correct-horse-1' }, {});
      expect(res.status).to.equal(403);
      expect(res.body.error).to.deep.include({ code: 'geo/blocked', details: { country: null } });
    });
  });
});
