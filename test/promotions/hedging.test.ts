/**
 * The hedging rule through a real market room (docs/PROMOTIONS.md §5): bonus-funded bets on two
 * selections of one market forfeit the bonus before the market's money moves, so the winning
 * side's bonus winnings go back to the campaign; a player backing one selection keeps theirs.
 */
import { expect } from 'chai';
import type { Room } from '@colyseus/sdk';
import { DEFAULT_CONTRIBUTION } from '../../actors/promotions/index.ts';
import { SYSTEM_ACCOUNTS } from '../../server/store/types.ts';
import { bonusAccountId } from '../../server/store/wallet-input.ts';
import { bootTestServer, http, registerPlayer, type TestServer } from '../support/server.ts';
import { until, waitForState } from '../support/wait.ts';

describe('hedging with bonus money (market room)', function () {
  this.timeout(60_000);
  let srv: TestServer;
  let admin: string;

  before(async () => {
    srv = await bootTestServer({ DEMO_BALANCE_MINOR: '0', ADMIN_USERNAME: 'hedge_admin', ADMIN_PASSWORD: 'correct-horse-battery-9', BET_DELAY_MS: '300' });
    admin = (await http(srv.url, 'POST', '/auth/login', { username: 'hedge_admin', password: 'correct-horse-battery-9' })).body.token;
  });
  after(async () => srv?.stop());

  /** A player holding 1,000 of bonus money (granted straight in the ledger) and no cash. */
  async function bonusPlayer(name: string) {
    const p = await registerPlayer(srv, name);
    const w = srv.app.services.store.wallet;
    const cash = `player:${p.userId}`;
    await w.ensureAccount(bonusAccountId(cash), 'player', srv.app.services.wallet.currency);
    const [o] = await w.apply([{
      type: 'bonusGrant', key: `hedge-test:${p.userId}`, accountId: cash, fromAccountId: SYSTEM_ACCOUNTS.promotions, amountMinor: 1_000,
      wageringRequiredMinor: 50_000, maxBetMinor: 0, conversionCapMinor: 10_000, expiresAt: Date.now() + 3_600_000, contribution: DEFAULT_CONTRIBUTION,
    }]);
    expect(o!.ok).to.equal(true);
    const room: Room = await p.client.join('market', { eventId: 'hedge-ev' });
    room.onMessage('*', () => undefined);
    return { ...p, room };
  }

  it('forfeits the bonus of a player who backed two outcomes of one market with it, and keeps the other player\'s', async () => {
    expect((await http(srv.url, 'POST', '/admin/events', { eventId: 'hedge-ev', league: 'E0', home: 'Leeds', away: 'Wolves', startsAt: Date.now() + 3_600_000 }, admin)).status).to.equal(201);
    const hedger = await bonusPlayer('hedger');
    const honest = await bonusPlayer('honest');
    await waitForState(hedger.room, (s: any) => s.markets?.get('1x2')?.status === 'open', 5000, 'markets');
    const price = (sel: string) => (hedger.room.state as any).markets.get('1x2').selections.get(sel).priceMilli as number;
    const bet = async (p: typeof hedger, betId: string, sel: string, stakeMinor: number) =>
      expect(await p.room.request('bet', { betId, marketId: '1x2', selectionId: sel, stakeMinor, priceMilli: price(sel), acceptance: 'exact' })).to.include({ ok: true, status: 'accepted' });
    const drawPrice = price('draw');
    await bet(hedger, 'h-home', 'home', 400);
    await bet(hedger, 'h-draw', 'draw', 400);
    await bet(honest, 'o-draw-1', 'draw', 300);
    await bet(honest, 'o-draw-2', 'draw', 100);

    let seq = 0;
    for (const msg of [{ type: 'kick_off', minute: 0 }, { type: 'half_time', minute: 45 }, { type: 'second_half_kick_off', minute: 45 }, { type: 'full_time', minute: 90 }]) {
      expect((await http(srv.url, 'POST', '/admin/feed', { eventId: 'hedge-ev', seq: ++seq, at: Date.now(), ...msg }, admin)).status).to.equal(202);
    }
    const grantOf = (userId: string) => srv.app.services.store.wallet.bonusGrant(`player:${userId}`);
    const hedged = await until(async () => { const g = await grantOf(hedger.userId); return g?.status === 'forfeited' && (await srv.app.services.store.wallet.getAccount(bonusAccountId(`player:${hedger.userId}`)))!.heldMinor === 0 ? g : null; }, 10_000, 'hedged bonus forfeited');
    const drawGross = Math.floor((400 * drawPrice) / 1000);
    // 200 left unstaked at settlement, then the draw's winnings as they arrive: all back to the campaign.
    expect(hedged.forfeitedMinor).to.equal(200 + drawGross);
    const honestGrant = await until(async () => { const g = await grantOf(honest.userId); return g && g.wageredMinor > 0 ? g : null; }, 10_000, 'honest settled');
    expect(honestGrant.status).to.equal('active');
    const honestBonus = (await srv.app.services.store.wallet.getAccount(bonusAccountId(`player:${honest.userId}`)))!;
    expect(honestBonus.balanceMinor).to.equal(600 + Math.floor((300 * drawPrice) / 1000) + Math.floor((100 * drawPrice) / 1000));
    expect((await http(srv.url, 'GET', '/wallet', undefined, hedger.token)).body.balanceMinor).to.equal(0);
    const books = await srv.app.services.store.wallet.reconcile();
    expect(books.ok, JSON.stringify(books)).to.equal(true);
  });
});
