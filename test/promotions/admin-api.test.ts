/**
 * The promotions HTTP API: operators create, edit, pause and end campaigns (audited), players
 * list and claim them, and operators adjust or forfeit a player's bonus with a reason. Claims
 * here are cash-back (no deposit needed); deposit matches are in deposit-match.test.ts.
 */
import { expect } from 'chai';
import { bootTestServer, http, registerPlayer, type TestServer } from '../support/server.ts';

const DAY = 86_400_000;

describe('promotions API (operators and players)', function () {
  this.timeout(30_000);
  let srv: TestServer;
  let admin: string;

  before(async () => {
    srv = await bootTestServer({ ADMIN_USERNAME: 'promo_ops', ADMIN_PASSWORD: 'correct-horse-battery-9', DEMO_BALANCE_MINOR: '0' });
    admin = (await http(srv.url, 'POST', '/auth/login', { username: 'promo_ops', password: 'correct-horse-battery-9' })).body.token;
  });
  after(async () => srv?.stop());
  afterEach(async () => {
    const books = await srv.app.services.store.wallet.reconcile();
    expect(books.ok, JSON.stringify(books)).to.equal(true);
  });

  const cashBack = (id: string, over: Record<string, unknown> = {}) => ({
    id, name: 'Weekly cash-back', status: 'draft', startsAt: new Date(Date.now() - 60_000).toISOString(), endsAt: new Date(Date.now() + DAY).toISOString(),
    budgetMinor: 10_000, reason: 'weekly offer',
    terms: { kind: 'cash_back', sharePct: 10, periodMs: 7 * DAY, maxMinor: 5_000, paidAs: 'bonus', wageringMultiplier: 1, validForMs: DAY },
    ...over,
  });

  it('creates, edits, pauses, resumes and ends a campaign, each step audited, and refuses bad definitions', async () => {
    const created = await http(srv.url, 'POST', '/admin/promotions', cashBack('cb-1'), admin);
    expect(created.status, JSON.stringify(created.body)).to.equal(201);
    expect(created.body.campaign).to.include({ id: 'cb-1', status: 'draft' });
    expect((await http(srv.url, 'POST', '/admin/promotions', cashBack('cb-1'), admin)).body.error.code).to.equal('promo/campaign_exists');
    const bad = await http(srv.url, 'POST', '/admin/promotions', cashBack('cb-bad', { terms: { kind: 'cash_back', sharePct: 150, periodMs: DAY, maxMinor: 1, paidAs: 'cash', wageringMultiplier: 0, validForMs: DAY } }), admin);
    expect(bad.status).to.equal(400);
    expect(bad.body.error.code).to.equal('promo/invalid_campaign');
    expect((await http(srv.url, 'POST', '/admin/promotions', { ...cashBack('cb-x'), terms: { kind: 'lottery' } }, admin)).status).to.equal(400);

    const edited = await http(srv.url, 'PUT', '/admin/promotions/cb-1', cashBack('cb-1', { name: 'Bigger cash-back', budgetMinor: 15_000, reason: 'more budget' }), admin);
    expect(edited.status, JSON.stringify(edited.body)).to.equal(200);
    expect(edited.body).to.deep.include({ version: 2 });
    const shrink = await http(srv.url, 'PUT', '/admin/promotions/cb-1', cashBack('cb-1', { budgetMinor: 1 }), admin);
    expect(shrink.body.error.code).to.equal('promo/invalid_campaign');
    const listed = (await http(srv.url, 'GET', '/admin/promotions', undefined, admin)).body.items.find((i: any) => i.campaign.id === 'cb-1');
    expect(listed).to.deep.include({ fundedMinor: 15_000, spentMinor: 0, remainingMinor: 15_000 });
    expect(listed.campaign.name).to.equal('Bigger cash-back');

    for (const [action, status] of [['activate', 'active'], ['pause', 'paused'], ['resume', 'active'], ['end', 'ended']] as const) {
      const res = await http(srv.url, 'POST', `/admin/promotions/cb-1/${action}`, { reason: `step ${action}` }, admin);
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      expect(res.body.campaign.status).to.equal(status);
    }
    expect((await http(srv.url, 'POST', '/admin/promotions/cb-1/resume', { reason: 'again' }, admin)).body.error.code).to.equal('promo/invalid_campaign');
    const audit = (await http(srv.url, 'GET', '/admin/audit?limit=20', undefined, admin)).body.items.map((e: any) => e.action);
    expect(audit.slice(0, 6)).to.deep.equal(['promotion.end', 'promotion.resume', 'promotion.pause', 'promotion.activate', 'promotion.edit', 'promotion.create']);
    const p = await registerPlayer(srv, 'nop');
    expect((await http(srv.url, 'GET', '/admin/promotions', undefined, p.token)).status).to.equal(403);
  });

  it('lets a player see and claim a running campaign once, and an operator adjust and forfeit the bonus with a reason', async () => {
    // A cash-back paid as bonus claimed with nothing lost is nothing due; a deposit match needs a deposit.
    const c = cashBack('cb-2', { status: 'active' });
    expect((await http(srv.url, 'POST', '/admin/promotions', c, admin)).status).to.equal(201);
    const match = {
      ...cashBack('dm-2', { status: 'active' }),
      terms: { kind: 'deposit_match', matchPct: 100, maxBonusMinor: 1_000, minDepositMinor: 100, wageringMultiplier: 5, contribution: { sportsbookSinglePct: 100, sportsbookAccaPct: 100, minPriceMilli: 1500, roulettePct: 10, cashOutPct: 0 }, maxBetMinor: 0, conversionCapMinor: 1_000, validForMs: DAY },
    };
    expect((await http(srv.url, 'POST', '/admin/promotions', match, admin)).status).to.equal(201);
    const p = await registerPlayer(srv, 'claimer');
    const running = (await http(srv.url, 'GET', '/promotions', undefined, p.token)).body.items.map((i: any) => i.id);
    expect(running).to.include.members(['cb-2', 'dm-2']);
    expect(running).not.to.include('cb-1');
    const noDeposit = await http(srv.url, 'POST', '/promotions/dm-2/claim', {}, p.token);
    expect(noDeposit.status).to.equal(400);
    expect(noDeposit.body.error.code).to.equal('promo/deposit_required');
    const nothing = await http(srv.url, 'POST', '/promotions/cb-2/claim', {}, p.token);
    expect(nothing.body.error.code).to.equal('promo/nothing_due');
    expect((await http(srv.url, 'POST', '/promotions/missing/claim', {}, p.token)).status).to.equal(404);

    // An operator gives the player a bonus by hand only when one is active: none yet.
    const none = await http(srv.url, 'POST', `/admin/players/${p.userId}/bonus/adjustments`, { amountMinor: 100, reason: 'goodwill', idempotencyKey: 'g1' }, admin);
    expect(none.body.error.code).to.equal('wallet/bonus_inactive');

    // Grant one through the service as a claim would (a deposit-free bonus award of 500).
    const svc = srv.app.features.promotions;
    const w = srv.app.services.store.wallet;
    await w.ensureAccount(`bonus:player:${p.userId}`, 'player', srv.app.services.wallet.currency);
    const [g] = await w.apply([{
      type: 'bonusGrant', key: `promo:cb-2:claim:${p.userId}`, accountId: `player:${p.userId}`, fromAccountId: 'promo:campaign:cb-2', amountMinor: 500,
      wageringRequiredMinor: 500, maxBetMinor: 0, conversionCapMinor: 500, expiresAt: Date.now() + DAY, contribution: match.terms.contribution,
    }]);
    expect(g!.ok).to.equal(true);
    expect((await http(srv.url, 'POST', '/promotions/cb-2/claim', {}, p.token)).body.error.code).to.equal('promo/already_claimed');
    const adj = await http(srv.url, 'POST', `/admin/players/${p.userId}/bonus/adjustments`, { amountMinor: 250, reason: 'goodwill', idempotencyKey: 'g2' }, admin);
    expect(adj.status, JSON.stringify(adj.body)).to.equal(201);
    expect(adj.body.bonus).to.deep.include({ balanceMinor: 750, grantedMinor: 750, wageringProgress: 0 });
    const again = await http(srv.url, 'POST', `/admin/players/${p.userId}/bonus/adjustments`, { amountMinor: 250, reason: 'goodwill', idempotencyKey: 'g2' }, admin);
    expect(again.status).to.equal(200);
    expect(again.body.bonus.balanceMinor).to.equal(750);
    const mine = (await http(srv.url, 'GET', '/promotions/bonus', undefined, p.token)).body.bonus;
    expect(mine).to.deep.include({ status: 'active', balanceMinor: 750, wageringRequiredMinor: 500 });
    const claims = (await http(srv.url, 'GET', '/admin/promotions/cb-2/claims', undefined, admin)).body;
    expect(claims.items.map((i: any) => [i.userId, i.awardedMinor])).to.deep.equal([[p.userId, 500]]);
    expect(claims).to.deep.include({ spentMinor: 750 });

    const forfeit = await http(srv.url, 'POST', `/admin/players/${p.userId}/bonus/forfeit`, { reason: 'abuse review' }, admin);
    expect(forfeit.status, JSON.stringify(forfeit.body)).to.equal(200);
    expect(forfeit.body.bonus).to.deep.include({ status: 'forfeited', balanceMinor: 0, forfeitedMinor: 750 });
    expect((await http(srv.url, 'POST', `/admin/players/${p.userId}/bonus/forfeit`, { reason: 'again' }, admin)).body.error.code).to.equal('wallet/bonus_inactive');
    const audit = (await http(srv.url, 'GET', '/admin/audit?limit=5', undefined, admin)).body.items;
    expect(audit[0]).to.deep.include({ action: 'player.bonus_forfeit', target: `user:${p.userId}`, reason: 'abuse review' });
    expect(audit.filter((e: any) => e.action === 'player.bonus_adjust')).to.have.length(2); // the refused one and the first g2
    expect(svc.config.withdrawalRule).to.equal('forfeit');
  });

  it('gives a player on a time-out or self-excluded nothing: the protection block reaches the promotions hook', async () => {
    expect((await http(srv.url, 'POST', '/admin/promotions', cashBack('cb-rg', { status: 'active' }), admin)).status).to.equal(201);
    for (const [prefix, route, body, block] of [['rgto', '/protection/time-out', { hours: 24 }, 'time_out'], ['rgse', '/protection/self-exclusion', { months: 6 }, 'self_excluded']] as const) {
      const p = await registerPlayer(srv, prefix);
      expect((await http(srv.url, 'POST', '/promotions/cb-rg/claim', {}, p.token)).body.error.code, 'eligible before the block').to.equal('promo/nothing_due');
      expect((await http(srv.url, 'POST', route, body, p.token)).status).to.equal(200);
      const fresh = (await http(srv.url, 'POST', '/auth/login', { username: p.username, password: 'correct-horse-1' })).body.token;
      const refused = await http(srv.url, 'POST', '/promotions/cb-rg/claim', {}, fresh);
      expect(refused.body.error.code).to.equal('promo/blocked');
      expect(refused.body.error.message).to.include(block);
    }
  });
});
