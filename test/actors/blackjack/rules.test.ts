import { expect } from 'chai';
import { cardCode, handTotal, parseCard } from '../../../actors/blackjack/index.ts';
import { Table, testConfig } from './helpers.ts';

const cards = (codes: string[]) => codes.map((c) => parseCard(c)!);
const types = (events: { type: string }[]) => events.map((e) => e.type);

describe('blackjack rules', () => {
  describe('cards and totals', () => {
    it('counts aces soft while they do not bust the hand', () => {
      expect(handTotal(cards(['AS', '6H']))).to.deep.equal({ total: 17, soft: true });
      expect(handTotal(cards(['AS', '6H', 'TD']))).to.deep.equal({ total: 17, soft: false });
      expect(handTotal(cards(['AS', 'AH', '9D']))).to.deep.equal({ total: 21, soft: true });
      expect(handTotal(cards(['KS', 'QH', '2D']))).to.deep.equal({ total: 22, soft: false });
      expect(cardCode(parseCard('TD')!)).to.equal('TD');
    });
  });

  describe('deal, blackjack and the dealer', () => {
    it('pays a player blackjack 3:2 and the dealer stands on soft 17 (S17)', () => {
      const t = new Table();
      t.open();
      t.bet('alice', 0, 100);
      t.bet('bob', 1, 100);
      // seat0: A K (blackjack); seat1: T 8; dealer 6 up, A hole (soft 17)
      t.stack('AS', 'TH', '6C', 'KD', '8S', 'AC');
      const events = t.deal();
      expect(types(events)).to.include('InitialDeal');
      expect(t.seat(0).hands[0]!.status).to.equal('blackjack');
      expect(t.state.round!.turn).to.deep.include({ seat: 1, hand: 0 });
      t.act('bob', 1, 0, 'stand');
      const s = t.lastSettlement();
      expect(s.dealer.total).to.equal(17);
      expect(s.dealer.cards).to.have.length(2);
      expect(s.settlements.map((x) => [x.seat, x.hands[0]!.outcome, x.payoutMinor])).to.deep.equal([[0, 'blackjack', 250], [1, 'win', 200]]);
    });

    it('hits soft 17 under H17', () => {
      const t = new Table(testConfig({ dealerHitsSoft17: true }));
      t.open();
      t.bet('alice', 0);
      t.stack('TS', '6C', '8D', 'AC', '4H');
      t.deal();
      t.act('alice', 0, 0, 'stand');
      const s = t.lastSettlement();
      expect(s.dealer.cards.map((c) => cardCode(c.card))).to.deep.equal(['6C', 'AC', '4H']);
      expect(s.dealer.total).to.equal(21);
      expect(s.settlements[0]!.hands[0]!.outcome).to.equal('lose');
    });

    it('peeks under a ten: a dealer blackjack ends the round before any turn; a player blackjack pushes', () => {
      const t = new Table();
      t.open();
      t.bet('alice', 0, 100);
      t.bet('bob', 1, 100);
      t.stack('AS', '9H', 'KC', 'KD', '9S', 'AC');
      const events = t.deal();
      expect(types(events)).to.include.members(['DealerPeeked', 'HoleCardRevealed', 'RoundSettled']);
      expect(types(events)).to.not.include('TurnStarted');
      const s = t.lastSettlement();
      expect(s.dealer.blackjack).to.equal(true);
      expect(s.settlements.map((x) => [x.hands[0]!.outcome, x.payoutMinor])).to.deep.equal([['push', 100], ['lose', 0]]);
    });

    it('without the peek a dealer blackjack found at the end takes doubled stakes too', () => {
      const t = new Table(testConfig({ dealerPeek: false, lateSurrender: false, insurance: false }));
      t.open();
      t.bet('alice', 0, 100);
      t.stack('5S', 'KC', '6D', 'AC', '9H');
      const events = t.deal();
      expect(types(events)).to.not.include('DealerPeeked');
      t.act('alice', 0, 0, 'double');
      const s = t.lastSettlement();
      expect(s.settlements[0]).to.deep.include({ stakeMinor: 200, payoutMinor: 0 });
      expect(s.settlements[0]!.hands[0]!.outcome).to.equal('lose');
    });

    it('busts a hand over 21 and the dealer does not draw when no hand stands', () => {
      const t = new Table();
      t.open();
      t.bet('alice', 0);
      t.stack('TS', '6C', '6D', '5C', 'KH');
      t.deal();
      t.act('alice', 0, 0, 'hit');
      const s = t.lastSettlement();
      expect(s.settlements[0]!.hands[0]!.outcome).to.equal('bust');
      expect(s.dealer.cards).to.have.length(2);
    });

    it('stands a hand that reaches 21 by itself', () => {
      const t = new Table();
      t.open();
      t.bet('alice', 0);
      t.stack('TS', '9C', '6D', '8C', '5H');
      t.deal();
      const events = t.act('alice', 0, 0, 'hit');
      expect(types(events)).to.include('HoleCardRevealed');
      expect(t.lastSettlement().settlements[0]!.hands[0]).to.deep.include({ total: 21, outcome: 'win' });
    });
  });

  describe('double', () => {
    it('doubles the stake for exactly one card', () => {
      const t = new Table();
      t.open();
      t.bet('alice', 0, 100);
      t.stack('6S', 'TC', '5D', '7C', 'KH');
      t.deal();
      const [doubled] = t.act('alice', 0, 0, 'double');
      expect(doubled).to.deep.include({ type: 'HandDoubled', stakeId: 'bet1.d1', amountMinor: 100 });
      const s = t.lastSettlement();
      expect(s.settlements[0]).to.deep.include({ stakeMinor: 200, payoutMinor: 400 });
      expect(s.settlements[0]!.hands[0]!.cards).to.have.length(3);
    });

    it('refuses to double on three cards', () => {
      const t = new Table();
      t.open();
      t.bet('alice', 0);
      t.stack('2S', 'TC', '3D', '7C', '4H');
      t.deal();
      t.act('alice', 0, 0, 'hit');
      t.refused({ type: 'act', playerId: 'alice', seat: 0, hand: 0, action: 'double', now: t.now }, 'hand/cannot_double');
    });

    it('doubles after a split only where the table allows it (DAS)', () => {
      for (const das of [true, false]) {
        const t = new Table(testConfig({ doubleAfterSplit: das }));
        t.open();
        t.bet('alice', 0);
        t.stack('8S', 'TC', '8D', '7C', '3H', '2D');
        t.deal();
        t.act('alice', 0, 0, 'split');
        const cmd = { type: 'act' as const, playerId: 'alice', seat: 0, hand: 0, action: 'double' as const, now: t.now };
        if (das) expect(t.run(cmd).ok).to.equal(true);
        else t.refused(cmd, 'hand/cannot_double');
      }
    });
  });

  describe('split', () => {
    it('refuses to split unequal ranks (a ten and a king too)', () => {
      const t = new Table();
      t.open();
      t.bet('alice', 0);
      t.stack('TS', '7C', 'KD', '9C');
      t.deal();
      t.refused({ type: 'act', playerId: 'alice', seat: 0, hand: 0, action: 'split', now: t.now }, 'hand/cannot_split');
    });

    it('splits into two hands with a new stake each, and splits of splits up to four hands', () => {
      const t = new Table();
      t.open();
      t.bet('alice', 0, 100);
      // 8 8 vs dealer 6 (hole T); splits draw 8, 8 (two new pairs), then 8 again, then fillers
      t.stack('8S', '6C', '8D', 'TC', '8H', '8C', '8S', '3D', '2H', '4S', 'TD', '9C');
      t.deal();
      const [split] = t.act('alice', 0, 0, 'split');
      expect(split).to.deep.include({ type: 'HandSplit', stakeId: 'bet1.s1', amountMinor: 100 });
      expect(t.seat(0).hands.map((h) => h.cards.map(cardCode))).to.deep.equal([['8S', '8H'], ['8D', '8C']]);
      t.act('alice', 0, 0, 'split'); // hand 0 again: 8S 8S | 8H 3D
      expect(t.seat(0).hands).to.have.length(3);
      t.act('alice', 0, 0, 'split'); // fourth hand
      expect(t.seat(0).hands).to.have.length(4);
      expect(t.seat(0).stakes.map((s) => s.stakeId)).to.deep.equal(['bet1', 'bet1.s1', 'bet1.s2', 'bet1.s3']);
      const pairHand = t.seat(0).hands.findIndex((h) => h.cards.length === 2 && h.cards[0]! % 13 === h.cards[1]! % 13);
      if (pairHand === t.state.round!.turn!.hand) {
        t.refused({ type: 'act', playerId: 'alice', seat: 0, hand: pairHand, action: 'split', now: t.now }, 'hand/cannot_split');
      }
      while (t.state.phase === 'playing') t.act('alice', 0, t.state.round!.turn!.hand, 'stand');
      const s = t.lastSettlement();
      expect(s.settlements[0]!.hands).to.have.length(4);
      expect(s.settlements[0]!.stakeMinor).to.equal(400);
      expect(s.settlements[0]!.payoutMinor).to.equal(s.settlements[0]!.hands.reduce((a, h) => a + h.payoutMinor, 0));
    });

    it('gives split aces one card each and stands them; 21 on a split is not a blackjack', () => {
      const t = new Table();
      t.open();
      t.bet('alice', 0, 100);
      t.stack('AS', '9C', 'AD', '7C', 'KH', '5D', '2H');
      t.deal();
      t.act('alice', 0, 0, 'split');
      expect(t.seat(0).hands.map((h) => h.status)).to.deep.equal(['stood', 'stood']);
      const s = t.lastSettlement();
      expect(s.settlements[0]!.hands.map((h) => [h.total, h.outcome, h.payoutMinor])).to.deep.equal([[21, 'win', 200], [16, 'lose', 0]]);
    });

    it('resplits aces only where the table allows it', () => {
      const t = new Table(testConfig({ resplitAces: true }));
      t.open();
      t.bet('alice', 0);
      t.stack('AS', '9C', 'AD', '7C', 'AH', '5D', '9S', '8S');
      t.deal();
      t.act('alice', 0, 0, 'split');
      expect(t.seat(0).hands[0]!.status).to.equal('playing');
      t.refused({ type: 'act', playerId: 'alice', seat: 0, hand: 0, action: 'hit', now: t.now }, 'hand/cannot_hit');
      t.act('alice', 0, 0, 'split');
      expect(t.seat(0).hands).to.have.length(3);

      const strict = new Table();
      strict.open();
      strict.bet('alice', 0);
      strict.stack('AS', '9C', 'AD', '7C', 'AH', '5D');
      strict.deal();
      strict.act('alice', 0, 0, 'split');
      expect(strict.state.phase).to.equal('settled'); // both aces stood at once
    });
  });

  describe('insurance', () => {
    function aceUp(dealerHole: string) {
      const t = new Table();
      t.open();
      t.bet('alice', 0, 100);
      t.bet('bob', 1, 100);
      t.stack('TS', '9H', 'AC', '9D', '9S', dealerHole, '2C');
      const events = t.deal();
      expect(types(events)).to.include('InsuranceOffered');
      expect(t.state.phase).to.equal('insurance');
      return t;
    }

    it('pays insurance 2:1 when the dealer has blackjack, and the hand loses', () => {
      const t = aceUp('KC');
      const [decided] = t.ok({ type: 'insurance', playerId: 'alice', seat: 0, take: true, now: t.now });
      expect(decided).to.deep.include({ type: 'InsuranceDecided', stakeId: 'bet1.i', amountMinor: 50 });
      const events = t.ok({ type: 'insurance', playerId: 'bob', seat: 1, take: false, now: t.now });
      expect(types(events)).to.include.members(['InsuranceClosed', 'DealerPeeked', 'RoundSettled']);
      const [a, b] = t.lastSettlement().settlements;
      expect(a).to.deep.include({ insuranceMinor: 50, insurancePayoutMinor: 150, stakeMinor: 150, payoutMinor: 150 });
      expect(b).to.deep.include({ stakeMinor: 100, payoutMinor: 0 });
    });

    it('loses insurance when the dealer has no blackjack, and play goes on', () => {
      const t = aceUp('7C');
      t.ok({ type: 'insurance', playerId: 'alice', seat: 0, take: true, now: t.now });
      t.ok({ type: 'insurance', playerId: 'bob', seat: 1, take: false, now: t.now });
      expect(t.state.phase).to.equal('playing');
      expect(t.state.round!.turn).to.deep.include({ seat: 0, hand: 0 });
      t.act('alice', 0, 0, 'stand');
      t.act('bob', 1, 0, 'stand');
      const [a] = t.lastSettlement().settlements;
      expect(a).to.deep.include({ insuranceMinor: 50, insurancePayoutMinor: 0, stakeMinor: 150, payoutMinor: 200 });
    });

    it('declines insurance for seats that do not answer in time', () => {
      const t = aceUp('7C');
      t.ok({ type: 'insurance', playerId: 'alice', seat: 0, take: true, now: t.now });
      const events = t.tick(t.state.round!.insuranceDeadline!);
      expect(events.find((e) => e.type === 'InsuranceDecided')).to.deep.include({ seat: 1, take: false, reason: 'timeout' });
      expect(t.state.phase).to.equal('playing');
    });

    it('refuses insurance when not offered, twice, or for another seat', () => {
      const t = aceUp('7C');
      t.refused({ type: 'insurance', playerId: 'bob', seat: 0, take: true, now: t.now }, 'seat/not_yours');
      t.ok({ type: 'insurance', playerId: 'alice', seat: 0, take: false, now: t.now });
      t.refused({ type: 'insurance', playerId: 'alice', seat: 0, take: true, now: t.now }, 'insurance/already_decided');
      t.ok({ type: 'insurance', playerId: 'bob', seat: 1, take: false, now: t.now });
      t.refused({ type: 'insurance', playerId: 'bob', seat: 1, take: true, now: t.now }, 'insurance/not_offered');
    });
  });

  describe('surrender', () => {
    it('returns half the stake on the first two cards', () => {
      const t = new Table();
      t.open();
      t.bet('alice', 0, 100);
      t.stack('TS', 'TC', '6D', '7C');
      t.deal();
      t.act('alice', 0, 0, 'surrender');
      expect(t.lastSettlement().settlements[0]).to.deep.include({ stakeMinor: 100, payoutMinor: 50 });
    });

    it('refuses surrender after a hit, after a split, and where the table has none', () => {
      const t = new Table();
      t.open();
      t.bet('alice', 0);
      t.stack('8S', 'TC', '8D', '7C', '2H', '3D', '4S');
      t.deal();
      t.act('alice', 0, 0, 'split');
      t.refused({ type: 'act', playerId: 'alice', seat: 0, hand: 0, action: 'surrender', now: t.now }, 'hand/cannot_surrender');
      t.act('alice', 0, 0, 'hit');
      t.refused({ type: 'act', playerId: 'alice', seat: 0, hand: 0, action: 'surrender', now: t.now }, 'hand/cannot_surrender');

      const none = new Table(testConfig({ lateSurrender: false }));
      none.open();
      none.bet('alice', 0);
      none.stack('TS', 'TC', '6D', '7C');
      none.deal();
      none.refused({ type: 'act', playerId: 'alice', seat: 0, hand: 0, action: 'surrender', now: none.now }, 'hand/cannot_surrender');
    });
  });

  describe('turns and timers', () => {
    function twoSeats() {
      const t = new Table();
      t.open();
      t.bet('alice', 0);
      t.bet('bob', 1);
      t.stack('TS', '9H', '6C', '5D', '9S', 'TC', '3H', '2C');
      t.deal();
      return t;
    }

    it('only the hand whose turn it is can act', () => {
      const t = twoSeats();
      t.refused({ type: 'act', playerId: 'bob', seat: 1, hand: 0, action: 'hit', now: t.now }, 'hand/not_your_turn');
      t.refused({ type: 'act', playerId: 'bob', seat: 0, hand: 0, action: 'hit', now: t.now }, 'hand/not_your_turn');
      t.refused({ type: 'act', playerId: 'alice', seat: 0, hand: 1, action: 'hit', now: t.now }, 'hand/not_your_turn');
    });

    it('stands a hand whose decision time runs out and hands the turn on', () => {
      const t = twoSeats();
      const deadline = t.state.round!.turn!.deadline;
      expect(deadline).to.equal(t.now + t.state.config.decisionMs);
      expect(t.tick(deadline - 1)).to.deep.equal([]);
      t.refused({ type: 'act', playerId: 'alice', seat: 0, hand: 0, action: 'hit', now: deadline }, 'hand/not_your_turn');
      const events = t.tick(deadline);
      expect(events[0]).to.deep.include({ type: 'HandStood', seat: 0, hand: 0, reason: 'timeout' });
      expect(t.state.round!.turn).to.deep.equal({ seat: 1, hand: 0, deadline: deadline + t.state.config.decisionMs });
    });

    it('gives every decision a fresh timer', () => {
      const t = twoSeats();
      t.now += 10_000;
      t.act('alice', 0, 0, 'hit');
      expect(t.state.round!.turn).to.deep.equal({ seat: 0, hand: 0, deadline: t.now + t.state.config.decisionMs });
    });

    it('stands the hands of a player who leaves the table mid-hand and frees their seats', () => {
      const t = twoSeats();
      const events = t.ok({ type: 'leaveTable', playerId: 'alice', now: t.now });
      expect(events[0]).to.deep.include({ type: 'SeatLeft', seat: 0 });
      expect(events[1]).to.deep.include({ type: 'HandStood', seat: 0, reason: 'away' });
      expect(t.state.round!.turn).to.deep.include({ seat: 1 });
      expect(t.state.seats[0]).to.equal(null);
    });

    it('takes back the bets of a player who leaves while betting is open', () => {
      const t = new Table();
      t.open();
      t.bet('alice', 0);
      const events = t.ok({ type: 'leaveTable', playerId: 'alice', now: t.now });
      expect(types(events)).to.deep.equal(['BetRemoved', 'SeatLeft']);
      expect(t.state.round!.seats).to.deep.equal([]);
    });
  });

  describe('seats and bets', () => {
    it('lets a player hold several seats up to the limit', () => {
      const t = new Table(testConfig({ maxSeatsPerPlayer: 2 }));
      t.open();
      t.bet('alice', 0);
      t.bet('alice', 3);
      t.refused({ type: 'placeBet', playerId: 'alice', seat: 5, betId: 'x', stakeMinor: 100, now: t.now }, 'seat/limit');
      t.refused({ type: 'placeBet', playerId: 'bob', seat: 0, betId: 'y', stakeMinor: 100, now: t.now }, 'seat/taken');
      t.refused({ type: 'placeBet', playerId: 'bob', seat: 7, betId: 'z', stakeMinor: 100, now: t.now }, 'seat/invalid');
      t.stack('TS', 'TC', '9D', '6C', '7H', '8D', '9S', 'TH');
      t.deal();
      expect(t.state.round!.turn).to.deep.include({ seat: 0 });
      t.act('alice', 0, 0, 'stand');
      expect(t.state.round!.turn).to.deep.include({ seat: 3 });
    });

    it('checks stakes: even, within the table limits, one bet per seat, unique bet ids', () => {
      const t = new Table();
      t.open();
      const bet = (stakeMinor: number, betId = `b${stakeMinor}`, seat = 0) => ({ type: 'placeBet' as const, playerId: 'alice', seat, betId, stakeMinor, now: t.now });
      t.refused(bet(101), 'bet/invalid_stake');
      t.refused(bet(0), 'bet/invalid_stake');
      t.refused(bet(8), 'bet/below_min');
      t.refused(bet(10_002), 'bet/above_max');
      t.ok(bet(100, 'one'));
      t.refused(bet(100, 'two'), 'bet/already_placed');
      t.refused(bet(100, 'one', 1), 'bet/duplicate');
      t.refused({ type: 'placeBet', playerId: 'alice', seat: 1, betId: 'late', stakeMinor: 100, now: t.state.round!.closesAt }, 'bet/betting_closed');
    });

    it('refuses to leave a seat that is in play', () => {
      const t = new Table();
      t.open();
      t.bet('alice', 0);
      t.refused({ type: 'leaveSeat', playerId: 'alice', seat: 0, now: t.now }, 'seat/in_play');
      t.refused({ type: 'leaveSeat', playerId: 'bob', seat: 0, now: t.now }, 'seat/not_yours');
    });

    it('refuses malformed commands with typed rejections', () => {
      const t = new Table();
      t.refused({ type: 'act', playerId: 'alice', seat: 0, hand: 0, action: 'hit', now: -1 }, 'command/invalid');
      t.refused({ type: 'act', playerId: 'alice', seat: 0, hand: 0, action: 'hit', now: t.now }, 'hand/no_round');
      t.refused({ type: 'tick', now: t.now, playersPresent: true, serverSeed: 'nope' }, 'round/invalid_server_seed');
      t.refused({ type: 'nope', now: t.now } as never, 'command/invalid');
    });
  });
});
