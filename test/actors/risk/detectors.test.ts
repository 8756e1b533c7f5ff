import { expect } from 'chai';
import {
  DEFAULT_RULES, RiskBook, binomialTailLog10, bonusRing, chargeback, cycling, decideActions, DEFAULT_POLICIES, detect, hedging, latency, linkedAccounts,
  nameSkeleton, sharp, velocity, type RiskEvent,
} from '../../../actors/risk/index.ts';

let n = 0;
const id = () => `e${++n}`;
const T0 = 1_700_000_000_000;

const reg = (playerId: string, username: string, opts: { ip?: string; device?: string | null; at?: number } = {}): RiskEvent => ({
  type: 'registered', id: id(), at: opts.at ?? T0, playerId, username, ip: opts.ip ?? `10.0.${playerId.length}.${Math.floor(Math.random() * 250)}`, deviceId: opts.device === undefined ? `dev-${playerId}` : opts.device,
});
const dep = (playerId: string, amountMinor: number, at: number, opts: { status?: 'captured' | 'failed'; card?: string } = {}): RiskEvent => ({
  type: 'deposit', id: id(), at, playerId, paymentId: id(), amountMinor, status: opts.status ?? 'captured', instrument: opts.card ?? `card-${playerId}`,
});
const bet = (playerId: string, o: { eventId?: string; market?: string; sel?: string; stake?: number; price?: number; inPlay?: boolean; at: number; status?: 'accepted' | 'rejected'; betId?: string }): RiskEvent => ({
  type: 'bet', id: id(), at: o.at + (o.inPlay ? 5000 : 0), playerId, betId: o.betId ?? id(), eventId: o.eventId ?? 'ev1', marketId: o.market ?? 'match_result', selectionId: o.sel ?? 'home',
  stakeMinor: o.stake ?? 1000, priceMilli: o.price ?? 2000, inPlay: o.inPlay ?? false, requestedAt: o.at, status: o.status ?? 'accepted', code: o.status === 'rejected' ? 'bet/market_suspended' : null,
});
const settled = (playerId: string, price: number, closing: number, at: number): RiskEvent => ({
  type: 'bet_settled', id: id(), at, playerId, betId: id(), eventId: 'ev', marketId: 'm', selectionId: 's', stakeMinor: 1000, priceMilli: price, closingPriceMilli: closing, inPlay: false, outcome: 'lost', payoutMinor: 0,
});

function bookOf(events: RiskEvent[]): RiskBook {
  const book = new RiskBook();
  for (const e of events) book.apply(e);
  return book;
}

describe('risk detectors on crafted sequences', () => {
  it('applies an event once: a repeated id changes nothing', () => {
    const book = new RiskBook();
    const e = dep('p1', 5000, T0);
    expect(book.apply(e)).to.deep.equal(['p1']);
    expect(book.apply(e)).to.deep.equal([]);
    expect(book.player('p1')!.depositMinor).to.equal(5000);
    // and after a checkpoint round trip
    const again = new RiskBook(JSON.parse(JSON.stringify(book.snapshot())));
    expect(again.apply(e)).to.deep.equal([]);
    expect(again.player('p1')!.depositMinor).to.equal(5000);
  });

  describe('velocity', () => {
    it('fires on five deposits within an hour, not on five spread over a day', () => {
      const fast = bookOf([reg('p', 'alice'), ...[0, 1, 2, 3, 4].map((i) => dep('p', 1000, T0 + i * 60_000))]);
      expect(velocity(fast.player('p')!, T0 + 5 * 60_000, DEFAULT_RULES.velocity)?.message).to.match(/5 deposits in an hour/);
      const slow = bookOf([reg('q', 'bob'), ...[0, 1, 2, 3, 4].map((i) => dep('q', 1000, T0 + i * 4 * 3600_000))]);
      expect(velocity(slow.player('q')!, T0 + 16 * 3600_000, DEFAULT_RULES.velocity)).to.equal(null);
    });

    it('fires on failed deposits (card testing) and failed logins', () => {
      const book = bookOf([reg('p', 'carol'), ...[0, 1, 2].map((i) => dep('p', 1000, T0 + i * 1000, { status: 'failed', card: `c${i}` }))]);
      expect(velocity(book.player('p')!, T0 + 3000, DEFAULT_RULES.velocity)?.evidence).to.include({ failedDepositsLastHour: 3 });
      const logins: RiskEvent[] = Array.from({ length: 10 }, (_, i) => ({ type: 'login', id: id(), at: T0 + i * 1000, playerId: null, username: 'Carol', ok: false, ip: '1.2.3.4', deviceId: null }));
      for (const e of logins) book.apply(e);
      expect(velocity(book.player('p')!, T0 + 10_000, DEFAULT_RULES.velocity)?.message).to.match(/10 failed logins/);
    });
  });

  describe('linking graph', () => {
    it('links accounts by device, card and near-identical name into one group, not by address alone', () => {
      const book = bookOf([
        reg('a', 'mike.ross1', { device: 'D1' }), reg('b', 'MikeRoss_2', { device: 'D2' }), reg('c', 'harvey', { device: 'D1' }),
        dep('d', 1000, T0, { card: 'C9' }), dep('c', 1000, T0, { card: 'C9' }),
        reg('x', 'louis', { ip: '9.9.9.9' }), reg('y', 'donna', { ip: '9.9.9.9' }), reg('z', 'rachel', { ip: '9.9.9.9' }),
      ]);
      expect(nameSkeleton('mike.ross1')).to.equal(nameSkeleton('MikeRoss_2'));
      expect(book.component('a').sort()).to.deep.equal(['a', 'b', 'c', 'd']);
      expect(linkedAccounts(book, 'a', 3)?.evidence).to.include({ groupSize: 4 });
      expect(linkedAccounts(book, 'x', 3), 'a shared address is not a strong link').to.equal(null);
      const groups = book.groups();
      expect(groups[0]!.members.sort()).to.deep.equal(['a', 'b', 'c', 'd']);
      expect(groups.map((g) => g.members.length)).to.deep.equal([4, 3]);
    });

    it('ignores a value shared by more players than the cap (a public address or a carrier NAT)', () => {
      const book = bookOf(Array.from({ length: 40 }, (_, i) => reg(`p${i}`, `user${i}`, { device: 'SHARED-KIOSK' })));
      expect(book.component('p0')).to.deep.equal(['p0']);
    });
  });

  describe('bonus ring', () => {
    it('fires when three linked accounts claim bonuses with little play; not for one, not when they play', () => {
      const ring = (play: number) => {
        const evs: RiskEvent[] = [];
        for (const p of ['r1', 'r2', 'r3']) {
          evs.push(reg(p, `${p}name`, { ip: '5.5.5.5', device: null }));
          evs.push({ type: 'bonus_claimed', id: id(), at: T0 + 1000, playerId: p, bonusId: 'welcome', amountMinor: 1000 });
          if (play) evs.push(bet(p, { stake: play, at: T0 + 2000 }));
        }
        return bookOf(evs);
      };
      expect(bonusRing(ring(0), 'r1', DEFAULT_RULES.bonusRing)?.evidence).to.deep.include({ members: ['r1', 'r2', 'r3'] });
      expect(bonusRing(ring(10_000), 'r1', DEFAULT_RULES.bonusRing), 'they played the bonus through').to.equal(null);
      const alone = bookOf([reg('s', 'solo'), { type: 'bonus_claimed', id: id(), at: T0, playerId: 's', bonusId: 'w', amountMinor: 1000 }]);
      expect(bonusRing(alone, 's', DEFAULT_RULES.bonusRing)).to.equal(null);
    });
  });

  describe('latency betting', () => {
    it('fires when in-play requests land just before incidents far above chance, rejected ones included', () => {
      const evs: RiskEvent[] = [reg('lat', 'quick'), reg('fan', 'steady')];
      for (let g = 0; g < 40; g++) {
        const incidentAt = T0 + g * 600_000 + 300_000;
        // The latency bettor requests 2 s before each of 8 incidents (and is rejected by the delay half the time).
        if (g < 8) evs.push(bet('lat', { inPlay: true, at: incidentAt - 2000, status: g % 2 ? 'rejected' : 'accepted', eventId: `ev${g}` }));
        evs.push({ type: 'incident', id: id(), at: incidentAt, eventId: `ev${g}`, kind: 'goal' });
        // Both also bet at random-ish quiet moments.
        evs.push(bet('lat', { inPlay: true, at: incidentAt - 200_000, eventId: `ev${g}` }));
        for (let k = 0; k < 5; k++) {
          for (let f = 0; f < 10; f++) evs.push(bet(f ? `fan${f}` : 'fan', { inPlay: true, at: incidentAt - 250_000 + k * 29_000 + (g % 7) * 1000 + f * 3000, eventId: `ev${g}` }));
        }
      }
      const book = bookOf(evs);
      const lat = latency(book, book.player('lat')!, DEFAULT_RULES.latency);
      expect(lat?.evidence).to.include({ preIncidentBets: 8 });
      expect(latency(book, book.player('fan')!, DEFAULT_RULES.latency)).to.equal(null);
    });

    it('counts a bet published after its incident (the delay rejected it) once', () => {
      const book = bookOf([reg('p', 'player'), { type: 'incident', id: id(), at: T0 + 3000, eventId: 'ev', kind: 'goal' }, bet('p', { eventId: 'ev', inPlay: true, at: T0, status: 'rejected', betId: 'b1' })]);
      book.apply({ type: 'incident', id: id(), at: T0 + 4000, eventId: 'ev', kind: 'red_card' });
      expect(book.player('p')!.preIncidentBets).to.equal(1);
    });

    it('binomial tail: 8 of 48 at 2 % is far from chance, 1 of 48 is not', () => {
      expect(binomialTailLog10(8, 48, 0.02)).to.be.greaterThan(5);
      expect(binomialTailLog10(1, 48, 0.02)).to.be.lessThan(1);
      expect(binomialTailLog10(0, 48, 0.02)).to.equal(0);
    });
  });

  describe('sharp betting (closing-line value)', () => {
    it('fires for a player who beats the closing price consistently, not for one who does not, nor on few bets', () => {
      const sharpBook = bookOf([reg('s', 'sharp'), ...Array.from({ length: 30 }, (_, i) => settled('s', 2100 + (i % 3) * 20, 2000, T0 + i))]);
      const r = sharp(sharpBook.player('s')!, DEFAULT_RULES.sharp);
      expect(r?.evidence.bets).to.equal(30);
      expect(r!.evidence.meanClv as number).to.be.greaterThan(0.04);
      const mug = bookOf([reg('m', 'mug'), ...Array.from({ length: 30 }, (_, i) => settled('m', 1900 + (i % 5) * 50, 2000, T0 + i))]);
      expect(sharp(mug.player('m')!, DEFAULT_RULES.sharp)).to.equal(null);
      const few = bookOf([reg('f', 'few'), ...Array.from({ length: 5 }, (_, i) => settled('f', 2200, 2000, T0 + i))]);
      expect(sharp(few.player('f')!, DEFAULT_RULES.sharp)).to.equal(null);
    });
  });

  describe('hedging and arbitrage', () => {
    it('fires when a linked group backs opposing selections on several markets', () => {
      const evs: RiskEvent[] = [reg('h1', 'hedgeone', { device: 'HD' }), reg('h2', 'hedgetwo', { device: 'HD' })];
      for (let m = 0; m < 3; m++) {
        evs.push(bet('h1', { eventId: `ev${m}`, sel: 'home', at: T0 + m }));
        evs.push(bet('h2', { eventId: `ev${m}`, sel: 'away', at: T0 + m }));
      }
      const book = bookOf(evs);
      expect(hedging(book, 'h1', DEFAULT_RULES.hedging)?.evidence).to.include({ groupSize: 2 });
      expect(book.player('h1')!.hedgedMarkets, 'each alone hedged nothing').to.equal(0);
      const own = bookOf([reg('s', 'single'), ...[0, 1, 2].flatMap((m) => [bet('s', { eventId: `ev${m}`, sel: 'home', at: T0 }), bet('s', { eventId: `ev${m}`, sel: 'away', at: T0 + 1000 })])]);
      expect(own.player('s')!.hedgedMarkets, 'a model feature').to.equal(3);
      expect(hedging(own, 's', DEFAULT_RULES.hedging), 'one player trading both sides with his own money').to.equal(null);
      const slow = bookOf([reg('a', 'slowone', { device: 'X' }), reg('b', 'slowtwo', { device: 'X' }), ...[0, 1, 2].flatMap((m) => [bet('a', { eventId: `ev${m}`, sel: 'home', at: T0 }), bet('b', { eventId: `ev${m}`, sel: 'away', at: T0 + 3600_000 })])]);
      expect(hedging(slow, 'a', DEFAULT_RULES.hedging), 'an hour apart: a change of view, not a hedge').to.equal(null);
    });
  });

  describe('deposit-withdraw cycling and chargebacks', () => {
    it('fires when most of the deposits go back out with little play', () => {
      const w = (p: string, amountMinor: number, at: number): RiskEvent => ({ type: 'withdrawal', id: id(), at, playerId: p, paymentId: id(), amountMinor, status: 'requested', instrument: null });
      const cyc = bookOf([reg('c', 'cycler'), dep('c', 50_000, T0), dep('c', 50_000, T0 + 1), bet('c', { stake: 2000, at: T0 + 2 }), w('c', 90_000, T0 + 3)]);
      expect(cycling(cyc.player('c')!, DEFAULT_RULES.cycling)?.evidence).to.include({ withdrawMinor: 90_000 });
      const player = bookOf([reg('p', 'player'), dep('p', 50_000, T0), dep('p', 50_000, T0 + 1), bet('p', { stake: 80_000, at: T0 + 2 }), w('p', 90_000, T0 + 3)]);
      expect(cycling(player.player('p')!, DEFAULT_RULES.cycling)).to.equal(null);
      const cb = bookOf([reg('x', 'stolen'), { type: 'chargeback', id: id(), at: T0, playerId: 'x', paymentId: 'p', amountMinor: 5000, instrument: 'C' }]);
      expect(chargeback(cb.player('x')!)?.evidence).to.include({ chargebacks: 1 });
    });
  });

  describe('policies', () => {
    it('decide each action once, by detector or by score', () => {
      const book = bookOf([reg('s', 'sharpie'), ...Array.from({ length: 30 }, (_, i) => settled('s', 2200, 2000, T0 + i))]);
      const reasons = detect(book, 's', T0 + 100);
      const first = decideActions(DEFAULT_POLICIES, null, reasons, new Set());
      expect(first.map((a) => [a.policy, a.action, a.stakeFactor])).to.deep.include.members([['review-anything-suspicious', 'flag', undefined], ['limit-sharp-bettors', 'stake_factor', 0.25]]);
      expect(decideActions(DEFAULT_POLICIES, null, reasons, new Set(first.map((a) => a.policy)))).to.deep.equal([]);
      expect(decideActions(DEFAULT_POLICIES, 0.97, [], new Set(), 0.9).map((a) => a.action)).to.deep.equal(['flag']);
      expect(decideActions(DEFAULT_POLICIES, 0.5, [], new Set(), 0.9)).to.deep.equal([]);
    });
  });
});
