import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { applyMarginPower, preMatchProbabilities, type PricingModel } from '../../actors/odds/index.ts';
import { rngFromSeed } from '../../actors/sportsbook/index.ts';
import { ModelStore } from '../../server/pricing/model-store.ts';
import { RefitJob, nextRefitAt, type Timers } from '../../server/pricing/refit-job.ts';
import { buildPricingModel, loadModelMatches } from '../../server/pricing/refit.ts';
import type { Room } from '@colyseus/sdk';
import { bootTestServer, http, registerPlayer, type TestServer } from '../support/server.ts';
import { waitForState } from '../support/wait.ts';
import { waitFor } from '../support/cluster.ts';

/** Timers driven by hand: `advance(ms)` fires what falls due, in order. */
class ManualClock implements Timers {
  now = 1_000_000;
  private next = 1;
  private readonly pending = new Map<number, { at: number; fn: () => void }>();
  set(fn: () => void, ms: number): unknown {
    const id = this.next++;
    this.pending.set(id, { at: this.now + ms, fn });
    return id;
  }
  clear(handle: unknown): void {
    this.pending.delete(handle as number);
  }
  get armed(): number {
    return this.pending.size;
  }
  async advance(ms: number): Promise<void> {
    const until = this.now + ms;
    for (;;) {
      const due = [...this.pending.entries()].filter(([, t]) => t.at <= until).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.pending.delete(due[0]);
      this.now = due[1].at;
      due[1].fn();
      for (let i = 0; i < 5; i++) await Promise.resolve(); // let the refit's promise chain run
    }
    this.now = until;
  }
}

const fakeModel = (version: string, fittedAt: number): PricingModel => ({ version, fittedAt, hyper: { decayPerDay: 0, ridge: 1, marketShare: 1, marketWeight: 1, levelDecayPerDay: 0, ghostSplit: false }, marketWeight: 0.9, leagues: {} });

describe('pricing refit schedule (injected clock)', () => {
  it('is due at once without a fitted model, else one period after the last fit', () => {
    expect(nextRefitAt(null, 500, 100)).to.equal(500);
    expect(nextRefitAt(450, 500, 100)).to.equal(550);
    expect(nextRefitAt(100, 500, 100)).to.equal(500);
  });

  it('refits at start on the seed, then every period, installing each model', async () => {
    const clock = new ManualClock();
    const installed: PricingModel[] = [];
    let last: number | null = null;
    const job = new RefitJob({
      everyMs: 3_600_000,
      now: () => clock.now,
      timers: clock,
      refit: async (fittedAt) => fakeModel(`v${installed.length + 1}`, fittedAt),
      onModel: (m) => {
        installed.push(m);
        last = m.fittedAt;
      },
      onError: () => expect.fail('no error expected'),
      lastFittedAt: () => last,
    });
    job.start();
    await clock.advance(0);
    expect(installed.map((m) => m.version)).to.deep.equal(['v1']);
    await clock.advance(3_599_999);
    expect(installed).to.have.length(1);
    await clock.advance(1);
    expect(installed.map((m) => [m.version, m.fittedAt])).to.deep.equal([['v1', 1_000_000], ['v2', 4_600_000]]);
    await clock.advance(2 * 3_600_000);
    expect(installed).to.have.length(4);
    job.stop();
    expect(clock.armed).to.equal(0);
    await clock.advance(10 * 3_600_000);
    expect(installed).to.have.length(4);
  });

  it('waits for the rest of the period when the current model is recent, and retries a failed refit a period later', async () => {
    const clock = new ManualClock();
    const errors: unknown[] = [];
    let fail = true;
    let last: number | null = clock.now - 1_000; // fitted a second ago
    const job = new RefitJob({
      everyMs: 10_000,
      now: () => clock.now,
      timers: clock,
      refit: async (fittedAt) => {
        if (fail) throw new Error('data unreadable');
        return fakeModel('ok', fittedAt);
      },
      onModel: (m) => (last = m.fittedAt),
      onError: (err) => errors.push(err),
      lastFittedAt: () => last,
    });
    job.start();
    await clock.advance(8_999);
    expect(errors).to.have.length(0);
    await clock.advance(1);
    expect(errors).to.have.length(1);
    fail = false;
    await clock.advance(9_999);
    expect(last).to.equal(1_000_000 - 1_000);
    await clock.advance(1);
    expect(last).to.equal(1_019_000);
    job.stop();
  });

  it('runs one refit at a time: a second request joins the first', async () => {
    let calls = 0;
    let release!: () => void;
    const job = new RefitJob({
      everyMs: 1_000,
      now: () => 0,
      refit: () => new Promise((resolve) => {
        calls++;
        release = () => resolve(fakeModel('x', 1));
      }),
      onModel: () => undefined,
      onError: () => undefined,
      lastFittedAt: () => 0,
    });
    const a = job.runNow();
    const b = job.runNow();
    release();
    expect((await a)!.version).to.equal('x');
    expect(await b).to.equal(await a);
    expect(calls).to.equal(1);
  });
});

/** A small league with known ratings: prices from the engine (ρ −0.07, 3% margin), goals drawn from them. */
function writeLeague(dir: string, league: string, seasons: Array<{ season: string; teams: string[]; year: number }>, strength: Record<string, number>): void {
  const rng = rngFromSeed(`${league}-csv`);
  const poisson = (mu: number) => {
    let k = 0;
    let p = Math.exp(-mu);
    let s = p;
    const u = rng();
    while (u > s && k < 15) p *= mu / ++k, (s += p);
    return k;
  };
  for (const { season, teams, year } of seasons) {
    const rows = ['Div,Date,HomeTeam,AwayTeam,FTHG,FTAG,PSCH,PSCD,PSCA,PC>2.5,PC<2.5'];
    let day = 0;
    for (const h of teams) {
      for (const a of teams) {
        if (h === a) continue;
        const lh = Math.exp(0.2 + 0.25 + strength[h] - strength[a] / 2);
        const la = Math.exp(0.2 + strength[a] - strength[h] / 2);
        const p = preMatchProbabilities({ lambdaHome: lh, lambdaAway: la }, -0.07);
        const o1 = applyMarginPower(p.slice(0, 3), 1.03).map((q) => (1 / q).toFixed(3));
        const o2 = applyMarginPower(p.slice(3), 1.03).map((q) => (1 / q).toFixed(3));
        const date = new Date(Date.UTC(year, 7, 1 + 2 * day++));
        const dd = `${String(date.getUTCDate()).padStart(2, '0')}/${String(date.getUTCMonth() + 1).padStart(2, '0')}/${date.getUTCFullYear()}`;
        rows.push([league, dd, h, a, poisson(lh), poisson(la), ...o1, ...o2].join(','));
      }
    }
    fs.writeFileSync(path.join(dir, `${league}-${season}.csv`), `${rows.join('\n')}\n`);
  }
}

function tinyData(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pricing-data-'));
  const strength = { Alpha: 0.4, Beta: 0.2, Gamma: 0, Delta: -0.2, Eps: -0.4, Zeta: -0.1 };
  writeLeague(dir, 'T1', [
    { season: '2030-31', teams: ['Alpha', 'Beta', 'Gamma', 'Delta', 'Eps'], year: 2030 },
    { season: '2031-32', teams: ['Alpha', 'Beta', 'Gamma', 'Delta', 'Zeta'], year: 2031 },
  ], strength);
  return dir;
}

describe('pricing refit and model files', () => {
  let dataDir: string;
  before(() => (dataDir = tinyData()));
  after(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('fits ratings and ρ from past prices; the same data gives the same version', () => {
    const model = buildPricingModel(loadModelMatches(dataDir), 123);
    const again = buildPricingModel(loadModelMatches(dataDir), 456);
    expect(again.version).to.equal(model.version);
    expect(model.version).to.match(/^2031-09-08-[0-9a-f]{10}$/); // the last match day, then a content hash
    const t1 = model.leagues.T1;
    expect(t1.rho).to.equal(-0.07);
    expect(t1.rhoSource).to.equal('market');
    expect(Object.keys(t1.teams).sort()).to.deep.equal(['Alpha', 'Beta', 'Delta', 'Gamma', 'Zeta']); // the latest season's teams
    const rating = (t: string) => t1.teams[t].attack + t1.teams[t].defence;
    expect(rating('Alpha')).to.be.above(rating('Beta'));
    expect(rating('Beta')).to.be.above(rating('Gamma'));
    expect(rating('Gamma')).to.be.above(rating('Delta'));
  });

  it('writes versioned files, names the current one, and keeps a bounded number', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pricing-models-'));
    try {
      const store = new ModelStore(dir, 2);
      expect(store.current()).to.equal(null);
      for (const v of ['a-1', 'b-2', 'c-3']) store.save(fakeModel(v, 1));
      expect(store.current()!.version).to.equal('c-3');
      expect(store.versions()).to.have.length(2);
      expect(store.read('c-3')!.version).to.equal('c-3');
      expect(() => store.save(fakeModel('../escape', 1))).to.throw(/bad version/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('pricing in the server', function () {
  this.timeout(60_000);
  const ADMIN = { username: 'pricer', password: 'pricing-admin-1' };
  let srv: TestServer;
  let token: string;
  let dataDir: string;

  before(async () => {
    dataDir = tinyData();
    // A refit every hour: the first runs at start (in a worker thread) on the tiny data.
    srv = await bootTestServer({ ADMIN_USERNAME: ADMIN.username, ADMIN_PASSWORD: ADMIN.password, PRICING_DATA_DIR: dataDir, PRICING_REFIT_EVERY_MS: '3600000', ENGINE_ONLY_LIMIT_PERCENT: '10' });
    token = (await http(srv.url, 'POST', '/auth/login', ADMIN)).body.token;
  });
  after(async () => {
    await srv?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('refits at start into a versioned model file and prices new events with it, showing the version to operators', async () => {
    await waitFor('the first refit', async () => !(await http(srv.url, 'GET', '/admin/pricing/model', undefined, token)).body.seed, 30_000, 100);
    const model = (await http(srv.url, 'GET', '/admin/pricing/model', undefined, token)).body;
    expect(model.leagues.T1).to.include({ rho: -0.07, rhoSource: 'market' });
    expect(fs.existsSync(path.join(srv.dataDir, 'pricing-models', `model-${model.version}.json`))).to.equal(true);

    const created = await http(srv.url, 'POST', '/admin/events', { eventId: 'priced-1', league: 'T1', home: 'Alpha', away: 'Zeta', startsAt: Date.now() + 3_600_000 }, token);
    expect(created.status, JSON.stringify(created.body)).to.equal(201);
    expect(created.body).to.include({ modelVersion: model.version, rho: -0.07 });
    await waitFor('the room', async () => (await http(srv.url, 'GET', '/admin/risk/events/priced-1', undefined, token)).status === 200, 10_000, 50);
    const risk = (await http(srv.url, 'GET', '/admin/risk/events/priced-1', undefined, token)).body;
    expect(risk.pricing).to.deep.include({ modelVersion: model.version, source: 'model', rho: -0.07, market: null });
    expect(risk.pricing.engineOnlyLimits.maxStakeMinor).to.equal(Math.floor(risk.limits.maxStakeMinor * 0.1));

    const refit = await http(srv.url, 'POST', '/admin/pricing/refit', { reason: 'test' }, token);
    expect(refit.body).to.deep.equal({ version: model.version, changed: false });
  });

  it('takes market prices through the operator API and prices the event from them', async () => {
    await http(srv.url, 'POST', '/admin/events', { eventId: 'priced-2', league: 'E0', home: 'Arsenal', away: 'Chelsea', lambdaHome: 1.3, lambdaAway: 1.3, startsAt: Date.now() + 3_600_000 }, token);
    await waitFor('the room', async () => (await http(srv.url, 'GET', '/admin/risk/events/priced-2', undefined, token)).status === 200, 10_000, 50);
    const before = (await http(srv.url, 'GET', '/admin/risk/events/priced-2', undefined, token)).body;
    expect(before.pricing.modelVersion).to.equal(null); // rates given by hand
    const quote = { eventId: 'priced-2', seq: 1, at: Date.now(), source: 'ops-desk', oneXTwo: [1.6, 4.2, 5.6], overUnder: { line: 2.5, over: 1.8, under: 2.05 } };
    expect((await http(srv.url, 'POST', '/admin/prices', quote, token)).status).to.equal(202);
    await waitFor('the market input', async () => (await http(srv.url, 'GET', '/admin/risk/events/priced-2', undefined, token)).body.pricing.source === 'model+market', 10_000, 50);
    const after = (await http(srv.url, 'GET', '/admin/risk/events/priced-2', undefined, token)).body;
    expect(after.pricing.market).to.include({ source: 'ops-desk', seq: 1 });
    expect(after.pricing.lambda.home).to.be.above(after.pricing.lambda.away);
    expect(after.pricing.engineOnlyLimits).to.equal(null);
    const home = (r: any) => r.markets.find((m: any) => m.marketId === '1x2').selections.find((s: any) => s.selectionId === 'home').priceMilli;
    expect(home(after)).to.be.below(home(before));

    const bad = await http(srv.url, 'POST', '/admin/prices', { ...quote, oneXTwo: [1.6, 4.2] }, token);
    expect([bad.status, bad.body.error.code]).to.deep.equal([400, 'prices/malformed']);
    const unknown = await http(srv.url, 'POST', '/admin/prices', { ...quote, eventId: 'nope' }, token);
    expect([unknown.status, unknown.body.error.code]).to.deep.equal([404, 'event/not_found']);
  });

  it("scales a player's stake limits by the stake factor an operator sets (audited)", async () => {
    const p = await registerPlayer(srv, 'sharp');
    expect((await http(srv.url, 'GET', `/admin/players/${p.userId}/stake-factor`, undefined, token)).body).to.deep.equal({ userId: p.userId, stakeFactor: 1 });
    const set = await http(srv.url, 'PUT', `/admin/players/${p.userId}/stake-factor`, { factor: 0.0001, reason: 'beats the closing line' }, token);
    expect(set.body).to.deep.equal({ userId: p.userId, stakeFactor: 0.0001 });
    expect((await http(srv.url, 'PUT', `/admin/players/${p.userId}/stake-factor`, { factor: 11, reason: 'x' }, token)).status).to.equal(400);
    const [entry] = (await http(srv.url, 'GET', '/admin/audit?limit=1', undefined, token)).body.items;
    expect([entry.action, entry.reason, entry.details.after]).to.deep.equal(['player.stake_factor', 'beats the closing line', 0.0001]);

    const room: Room = await p.client.join('market', { eventId: 'priced-2' });
    room.onMessage('*', () => undefined);
    await waitForState(room, (st: any) => st.markets?.get('1x2')?.status === 'open', 5000, 'markets');
    const price = (room.state as any).markets.get('1x2').selections.get('draw').priceMilli;
    const limit = Math.floor(1_000_000 * 0.0001); // the default maximum stake × the factor
    const refused: any = await room.request('bet', { betId: 'sf-1', marketId: '1x2', selectionId: 'draw', stakeMinor: limit + 1, priceMilli: price, acceptance: 'any' });
    expect([refused.ok, refused.error?.code, refused.error?.details?.maxStakeMinor]).to.deep.equal([false, 'bet/stake_limit', limit]);
    const accepted: any = await room.request('bet', { betId: 'sf-2', marketId: '1x2', selectionId: 'draw', stakeMinor: limit, priceMilli: price, acceptance: 'any' });
    expect(accepted.ok, JSON.stringify(accepted)).to.equal(true);
    await room.leave();
  });
});
