/**
 * Player profiles and automatic deposit matches through the real server (docs/PROMOTIONS.md §4):
 * the country recorded at registration from the geolocation lookup, the VIP tier an operator sets
 * (audited, typed errors), and a deposit match awarded with no claim when a deposit through the
 * sandbox PSP is captured: once, to the earliest-starting campaign the player is targeted by, and
 * nothing to a blocked player or beyond the budget, without ever failing the deposit.
 */
import { expect } from 'chai';
import { bootWithCashier, captureDeposit, type CashierServer } from '../support/cashier.ts';
import { http, type TestServer } from '../support/server.ts';
import { until } from '../support/wait.ts';
import { AutomaticDepositMatch, automaticAwards } from '../../server/promotions/automatic.ts';

const DAY = 86_400_000;
const GB = '81.2.69.160';
const US = '8.8.8.8';
const CONTRIBUTION = { sportsbookSinglePct: 100, sportsbookAccaPct: 100, minPriceMilli: 1500, roulettePct: 10, cashOutPct: 0 };

function autoMatch(id: string, over: { startsAgoMs?: number; eligibility?: Record<string, unknown>; budgetMinor?: number; status?: string } = {}) {
  return {
    id, name: `${id} auto match`, status: over.status ?? 'active', startsAt: new Date(Date.now() - (over.startsAgoMs ?? 60_000)).toISOString(), endsAt: new Date(Date.now() + DAY).toISOString(),
    optIn: false, budgetMinor: over.budgetMinor ?? 100_000, eligibility: over.eligibility ?? {}, reason: 'test campaign',
    terms: {
      kind: 'deposit_match', matchPct: 50, maxBonusMinor: 10_000, minDepositMinor: 500, wageringMultiplier: 1, contribution: CONTRIBUTION,
      maxBetMinor: 3_000, conversionCapMinor: 10_000, validForMs: DAY,
    },
  };
}

describe('player profiles and automatic deposit matches (PSP, geolocation, admin API)', function () {
  this.timeout(90_000);
  let cashier: CashierServer;
  let srv: TestServer;
  let admin: string;
  let n = 0;

  before(async () => {
    cashier = await bootWithCashier({ DEMO_BALANCE_MINOR: '0', ROULETTE_TABLES: '0', TRUST_PROXY: '127.0.0.1', GEO_RECORD_COUNTRY: '1' }, { username: 'auto_admin', password: 'correct-horse-battery-9' });
    ({ srv, admin } = cashier);
  });
  after(async () => cashier?.stop());
  afterEach(async () => {
    const books = await srv.app.services.store.wallet.reconcile();
    expect(books.ok, JSON.stringify(books)).to.equal(true);
  });

  async function register(ip: string): Promise<{ userId: string; token: string }> {
    const res = await fetch(`${srv.url}/auth/register`, {
      method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': ip },
      body: JSON.stringify({ username: `auto${process.pid}_${++n}`, password: 'correct-horse-1' }),
    });
    const body = (await res.json()) as { userId: string; token: string };
    expect(res.status, JSON.stringify(body)).to.equal(201);
    return { userId: body.userId, token: body.token };
  }

  const deposit = async (token: string, amountMinor: number): Promise<string> => (await captureDeposit(cashier, token, amountMinor)).paymentId;

  const bonus = async (token: string) => (await http(srv.url, 'GET', '/promotions/bonus', undefined, token)).body.bonus;
  const setTier = (userId: string, body: unknown) => http(srv.url, 'PUT', `/admin/players/${userId}/vip-tier`, body, admin);
  const awarded = async () => (await automaticAwards.get()).values.filter((v) => v.labels.outcome === 'awarded' && v.labels.kind === 'deposit_match').reduce((s, v) => s + v.value, 0);

  it('records the country at registration and the VIP tier an operator sets (audited; typed errors change nothing)', async () => {
    const p = await register(GB);
    const profile = await http(srv.url, 'GET', `/admin/players/${p.userId}/profile`, undefined, admin);
    expect(profile.status).to.equal(200);
    expect(profile.body).to.deep.include({ userId: p.userId, country: 'GB', countrySource: 'registration', vipTier: null });

    // A login from elsewhere does not move a known country.
    const login = await fetch(`${srv.url}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': US }, body: JSON.stringify({ username: `auto${process.pid}_${n}`, password: 'correct-horse-1' }) });
    expect(login.status).to.equal(200);
    expect((await http(srv.url, 'GET', `/admin/players/${p.userId}/profile`, undefined, admin)).body.country).to.equal('GB');

    // An address with no country records nothing; the first login with a known country fills it in.
    const local = await http(srv.url, 'POST', '/auth/register', { username: `autoloc${process.pid}`, password: 'correct-horse-1' });
    expect((await http(srv.url, 'GET', `/admin/players/${local.body.userId}/profile`, undefined, admin)).body.country).to.equal(null);
    await fetch(`${srv.url}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': GB }, body: JSON.stringify({ username: `autoloc${process.pid}`, password: 'correct-horse-1' }) });
    expect((await http(srv.url, 'GET', `/admin/players/${local.body.userId}/profile`, undefined, admin)).body).to.deep.include({ country: 'GB', countrySource: 'login' });

    const set = await setTier(p.userId, { tier: 'gold', reason: 'high value player' });
    expect(set.status, JSON.stringify(set.body)).to.equal(200);
    expect(set.body).to.deep.include({ vipTier: 'gold', vipTierReason: 'high value player' });
    expect((await setTier(p.userId, { tier: 'emerald', reason: 'x' })).body.error.code).to.equal('profile/invalid_tier');
    expect((await setTier(p.userId, { tier: 'silver' })).body.error.code).to.equal('http/invalid_body');
    expect((await setTier('nobody-here', { tier: 'gold', reason: 'x' })).body.error.code).to.equal('admin/player_not_found');
    expect((await http(srv.url, 'PUT', `/admin/players/${p.userId}/vip-tier`, { tier: 'gold', reason: 'mine' }, p.token)).status).to.equal(403);
    expect((await http(srv.url, 'GET', `/admin/players/${p.userId}/profile`, undefined, admin)).body.vipTier).to.equal('gold');
    const audit = await http(srv.url, 'GET', '/admin/audit?limit=20', undefined, admin);
    const entry = audit.body.items.find((e: any) => e.action === 'player.vip_tier' && e.target === `player:${p.userId}`);
    expect(entry).to.deep.include({ reason: 'high value player' });
    expect(entry.details).to.deep.equal({ before: null, after: 'gold' });
  });

  it('awards an automatic deposit match once, from the earliest-starting campaign the player is targeted by (country, VIP tier)', async () => {
    expect((await http(srv.url, 'POST', '/admin/promotions', autoMatch('auto-gb-gold', { startsAgoMs: 120_000, eligibility: { countries: ['GB'], vipTiers: ['gold'] } }), admin)).status).to.equal(201);
    expect((await http(srv.url, 'POST', '/admin/promotions', autoMatch('auto-any', { startsAgoMs: 60_000 }), admin)).status).to.equal(201);
    const gbGold = await register(GB);
    expect((await setTier(gbGold.userId, { tier: 'gold', reason: 'vip' })).status).to.equal(200);
    const gbBronze = await register(GB);
    expect((await setTier(gbBronze.userId, { tier: 'bronze', reason: 'vip' })).status).to.equal(200);
    const us = await register(US);

    const before = await awarded();
    const paymentId = await deposit(gbGold.token, 2_000);
    await until(async () => (await bonus(gbGold.token)) ?? null, 10_000, 'automatic bonus');
    expect(await bonus(gbGold.token)).to.deep.include({ status: 'active', balanceMinor: 1_000, wageringRequiredMinor: 1_000 });
    const claim = await srv.app.services.store.wallet.transferByKey(`promo:auto-gb-gold:claim:${gbGold.userId}`);
    expect(claim?.memo).to.contain(paymentId);
    // The other targeting fails on the tier (bronze) and the country (US): both get the later, open campaign.
    await deposit(gbBronze.token, 1_000);
    await deposit(us.token, 3_000);
    await until(async () => ((await bonus(gbBronze.token)) && (await bonus(us.token))) || null, 10_000, 'automatic bonuses');
    expect(await srv.app.services.store.wallet.transferByKey(`promo:auto-any:claim:${gbBronze.userId}`)).to.not.equal(null);
    expect(await srv.app.services.store.wallet.transferByKey(`promo:auto-gb-gold:claim:${gbBronze.userId}`)).to.equal(null);
    expect((await bonus(us.token)).balanceMinor).to.equal(1_500);
    expect(await awarded()).to.equal(before + 3);

    // The same deposit reported again (a repeated webhook, another process) awards nothing more: not even the other campaign.
    const hook = new AutomaticDepositMatch(srv.app.features.promotions, srv.app.services.store, srv.app.services.log, srv.app.services.now);
    expect(await hook.award(gbGold.userId, paymentId)).to.deep.equal({ outcome: 'already_awarded', campaignId: 'auto-gb-gold' });
    expect(await srv.app.services.store.wallet.transferByKey(`promo:auto-any:claim:${gbGold.userId}`)).to.equal(null);
    // A manual claim of an automatic deposit match meets the same key.
    const again = await http(srv.url, 'POST', '/promotions/auto-gb-gold/claim', { paymentId }, gbGold.token);
    expect(again.body.error.code).to.equal('promo/already_claimed');
    expect((await bonus(gbGold.token)).balanceMinor).to.equal(1_000);
    for (const id of ['auto-gb-gold', 'auto-any']) expect((await http(srv.url, 'POST', `/admin/promotions/${id}/end`, { reason: 'test over' }, admin)).status).to.equal(200);
  });

  it('gives a blocked player nothing and stops at the budget, and the deposit is captured either way', async () => {
    expect((await http(srv.url, 'POST', '/admin/promotions', autoMatch('auto-later', { status: 'draft', startsAgoMs: 60_000 }), admin)).status).to.equal(201);
    const p = await register(GB);
    const paymentId = await deposit(p.token, 2_000);
    expect((await http(srv.url, 'POST', '/admin/promotions/auto-later/activate', { reason: 'go' }, admin)).status).to.equal(200);
    expect((await http(srv.url, 'POST', '/protection/time-out', { hours: 24 }, p.token)).status).to.be.oneOf([200, 201]);
    const hook = new AutomaticDepositMatch(srv.app.features.promotions, srv.app.services.store, srv.app.services.log, srv.app.services.now);
    const r = await hook.award(p.userId, paymentId);
    expect(r).to.deep.equal({ outcome: 'none', refusals: [{ campaignId: 'auto-later', code: 'promo/blocked' }] });
    // (the time-out also ends the player's sessions: read the bonus from the service)
    expect(await srv.app.features.promotions.grant(p.userId)).to.equal(null);
    expect((await http(srv.url, 'POST', '/admin/promotions/auto-later/end', { reason: 'test over' }, admin)).status).to.equal(200);

    // A budget smaller than the match: refused, counted, and the deposit stands.
    expect((await http(srv.url, 'POST', '/admin/promotions', autoMatch('auto-small', { budgetMinor: 100 }), admin)).status).to.equal(201);
    const q = await register(GB);
    const refusedBefore = (await automaticAwards.get()).values.find((v) => v.labels.code === 'promo/budget_spent')?.value ?? 0;
    const dep = await deposit(q.token, 2_000);
    await until(async () => ((await automaticAwards.get()).values.find((v) => v.labels.code === 'promo/budget_spent')?.value ?? 0) > refusedBefore || null, 10_000, 'refusal counted');
    expect((await http(srv.url, 'GET', `/payments/${dep}`, undefined, q.token)).body.status).to.equal('captured');
    expect((await http(srv.url, 'GET', '/wallet', undefined, q.token)).body.balanceMinor).to.equal(2_000);
    expect(await bonus(q.token)).to.equal(null);
    expect((await http(srv.url, 'POST', '/admin/promotions/auto-small/end', { reason: 'test over' }, admin)).status).to.equal(200);
  });
});
