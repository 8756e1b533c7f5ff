/** Key derivation lives in one module (rooms/money-keys.ts); the retry rule in the actors. */
import { expect } from 'chai';
import { betHoldId, betHoldPrefix, holdReleaseOp, stakeReserveOp, stakeSettlementOps } from '../../rooms/money-keys.ts';
import * as roulette from '../../rooms/roulette/money.ts';
import * as market from '../../rooms/market/money.ts';
import { retriedBet as rouletteRetry, type TableState } from '../../actors/roulette/index.ts';
import { retriedBet as marketRetry } from '../../actors/sportsbook/index.ts';
import { EventDriver } from '../actors/sportsbook/helpers.ts';

describe('money keys and the retried-bet rule', () => {
  it('derives both rooms\' hold ids and stake ops from one module, with the keys already in ledgers', () => {
    expect(roulette.holdId('roulette-1', 'b1')).to.equal('roulette:roulette-1:bet:b1').and.equal(betHoldId('roulette', 'roulette-1', 'b1'));
    expect(market.holdId('ev1', 'b1')).to.equal('market:ev1:bet:b1').and.equal(betHoldId('market', 'ev1', 'b1'));
    expect(roulette.holdPrefix('t')).to.equal(betHoldPrefix('roulette', 't'));
    expect(market.holdPrefix('e')).to.equal(betHoldPrefix('market', 'e'));
    expect(roulette.releaseOp('t', 'b')).to.deep.equal(holdReleaseOp('roulette:t:bet:b'));
    expect(market.releaseOp('e', 'b')).to.deep.equal({ type: 'release', key: 'market:e:bet:b:release', holdId: 'market:e:bet:b' });
    const bet = { betId: 'b', playerId: 'p', stakeMinor: 100 };
    expect(roulette.reserveOp('t', bet)).to.deep.equal(stakeReserveOp('roulette', 't', bet, 'roulette t bet b'));
    expect(market.reserveOp('e', bet)).to.deep.include({ type: 'reserve', key: 'market:e:bet:b', accountId: 'player:p', amountMinor: 100 });
    const won = market.outcomeOps('e', { betId: 'b', playerId: 'p', outcome: 'won', payoutMinor: 250, priceMilli: 2_500 } as never, 'm');
    expect(won).to.deep.equal(stakeSettlementOps('market:e:bet:b', 'p', 250, 'm', 'm', { game: 'sportsbook', legPricesMilli: [2_500], cashedOut: false }));
    expect(won.map((op) => op.key)).to.deep.equal(['market:e:bet:b:capture', 'market:e:bet:b:payout']);
  });

  it('answers a retried roulette bet (same id, player, stake and spot) and nothing else', () => {
    const placed = { betId: 'b1', playerId: 'p', stakeMinor: 100, spot: { kind: 'split' as const, numbers: [17, 20] }, placedAt: 1 };
    const state = { round: { bets: [placed] } } as unknown as TableState;
    expect(rouletteRetry(state, { betId: 'b1', playerId: 'p', stakeMinor: 100, spot: { kind: 'split', numbers: [20, 17] } })).to.equal(placed);
    expect(rouletteRetry(state, { betId: 'b1', playerId: 'q', stakeMinor: 100, spot: placed.spot })).to.equal(null);
    expect(rouletteRetry(state, { betId: 'b1', playerId: 'p', stakeMinor: 101, spot: placed.spot })).to.equal(null);
    expect(rouletteRetry(state, { betId: 'b1', playerId: 'p', stakeMinor: 100, spot: { kind: 'nonsense' } as never })).to.equal(null);
  });

  it('answers a retried sportsbook bet (every field the same) and nothing else', () => {
    const d = new EventDriver();
    const cmd = d.bet('b1', '1x2', 'home', 1_000);
    expect(marketRetry(null, cmd)).to.equal(null);
    expect(marketRetry(d.s, cmd)).to.equal(null);
    d.ok(cmd);
    expect(marketRetry(d.s, cmd)).to.include({ betId: 'b1', playerId: 'p1', stakeMinor: 1_000 });
    expect(marketRetry(d.s, { ...cmd, stakeMinor: 1_001 })).to.equal(null);
    expect(marketRetry(d.s, { ...cmd, playerId: 'p2' })).to.equal(null);
    expect(marketRetry(d.s, { ...cmd, priceMilli: cmd.priceMilli + 10 })).to.equal(null);
  });
});
