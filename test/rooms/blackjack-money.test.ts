/** The wallet mapping of a blackjack table: hold ids per stake, one group per seat, keys a repeat derives again. */
import { expect } from 'chai';
import type { RoundSettled, RoundVoided, SeatSettlement } from '../../actors/blackjack/index.ts';
import { holdId, holdPrefix, moneyGroups, reserveOp, resolvingOps, seatSettlementOps } from '../../rooms/blackjack/money.ts';
import { betHoldId, betHoldPrefix } from '../../rooms/money-keys.ts';
import { SYSTEM_ACCOUNTS } from '../../server/store/types.ts';

const seat: SeatSettlement = {
  seat: 2, playerId: 'p1', betId: 'b1',
  stakes: [{ stakeId: 'b1', kind: 'bet', amountMinor: 100 }, { stakeId: 'b1.s1', kind: 'split', amountMinor: 100 }, { stakeId: 'b1.d1', kind: 'double', amountMinor: 100 }, { stakeId: 'b1.i', kind: 'insurance', amountMinor: 50 }],
  hands: [], insuranceMinor: 50, insurancePayoutMinor: 0, stakeMinor: 350, payoutMinor: 400,
};

describe('blackjack money mapping', () => {
  it('holds every stake under the table prefix, keyed by its stake id', () => {
    expect(holdPrefix('blackjack-1')).to.equal(betHoldPrefix('blackjack', 'blackjack-1')).and.equal('blackjack:blackjack-1:bet:');
    expect(holdId('blackjack-1', 'b1.d1')).to.equal(betHoldId('blackjack', 'blackjack-1', 'b1.d1'));
    expect(reserveOp('blackjack-1', { stakeId: 'b1.s1', playerId: 'p1', amountMinor: 100 })).to.deep.include({ type: 'reserve', key: 'blackjack:blackjack-1:bet:b1.s1', amountMinor: 100 });
  });

  it('settles a seat in one group: every stake captured to the house, one payout back', () => {
    const ops = seatSettlementOps('blackjack-1', 'blackjack-1:7', seat);
    expect(ops.filter((o) => o.type === 'capture').map((o) => o.key)).to.deep.equal(seat.stakes.map((k) => `blackjack:blackjack-1:bet:${k.stakeId}:capture`));
    const payouts = ops.filter((o) => o.type === 'transfer');
    expect(payouts).to.have.length(1);
    expect(payouts[0]).to.deep.include({ key: 'blackjack:blackjack-1:bet:b1:payout', fromAccountId: SYSTEM_ACCOUNTS.house, amountMinor: 400 });
    expect(seatSettlementOps('blackjack-1', 'blackjack-1:7', { ...seat, payoutMinor: 0 }).some((o) => o.type === 'transfer')).to.equal(false);
    // A repeat derives the same keys: the wallet replays it.
    expect(seatSettlementOps('blackjack-1', 'blackjack-1:7', seat)).to.deep.equal(ops);
  });

  it('maps every held stake of a journaled end to the group that resolves it (rebuild), and releases every stake of a void', () => {
    const settled = { type: 'RoundSettled', roundId: 'blackjack-1:7', settlements: [seat] } as unknown as RoundSettled;
    const resolving = resolvingOps('blackjack-1', settled);
    expect(resolving.map(([hold]) => hold)).to.deep.equal(seat.stakes.map((k) => holdId('blackjack-1', k.stakeId)));
    for (const [, ops] of resolving) expect(ops()).to.deep.equal(seatSettlementOps('blackjack-1', 'blackjack-1:7', seat));
    const voided = { type: 'RoundVoided', roundId: 'blackjack-1:7', refunds: [{ seat: 2, playerId: 'p1', stakes: seat.stakes }] } as unknown as RoundVoided;
    const [group] = moneyGroups('blackjack-1', [voided]);
    expect(group!.ops.map((o) => o.type)).to.deep.equal(['release', 'release', 'release', 'release']);
  });
});
