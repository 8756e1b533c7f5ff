import { expect } from 'chai';
import { expectOk, applyOne, newPlayer, uid, type ContractContext } from './helpers.ts';

export function gamesContract(ctx: ContractContext): void {
  describe('game rounds and recall', () => {
    it('keeps the seed of a round hidden until an update reveals it, merging fields', async () => {
      const roundId = uid('t') + ':1';
      await ctx.store.games.upsertRound({ roundId, tableId: 't', game: 'roulette', nonce: 1, serverSeedHash: 'h', serverSeed: null, clientSeed: null, result: null, status: 'open', openedAt: 10, finishedAt: null });
      expect(await ctx.store.games.getRound(roundId)).to.include({ serverSeed: null, serverSeedHash: 'h', status: 'open' });
      await ctx.store.games.upsertRound({ roundId, tableId: 't', game: 'roulette', nonce: 1, serverSeedHash: null, serverSeed: 's', clientSeed: 'c', result: 17, status: 'drawn', openedAt: null, finishedAt: 20 });
      expect(await ctx.store.games.getRound(roundId)).to.deep.include({ serverSeedHash: 'h', serverSeed: 's', clientSeed: 'c', result: 17, status: 'drawn', openedAt: 10, finishedAt: 20 });
      expect(await ctx.store.games.getRound('missing')).to.equal(null);
    });

    it('keeps the players\' client seeds of a round once given, an update without them leaving them', async () => {
      const roundId = uid('t') + ':2';
      const base = { roundId, tableId: 't', game: 'roulette', nonce: 2, serverSeedHash: 'h', serverSeed: null, clientSeed: null, result: null, status: 'open' as const, openedAt: 10, finishedAt: null };
      await ctx.store.games.upsertRound(base);
      expect((await ctx.store.games.getRound(roundId))!.clientSeeds ?? null).to.equal(null);
      await ctx.store.games.upsertRound({ ...base, serverSeedHash: null, clientSeed: 'c', clientSeeds: ['al!', 'b0b'] });
      await ctx.store.games.upsertRound({ ...base, serverSeedHash: null, serverSeed: 's', clientSeed: 'c', result: 3, status: 'drawn', clientSeeds: null });
      expect(await ctx.store.games.getRound(roundId)).to.deep.include({ clientSeed: 'c', clientSeeds: ['al!', 'b0b'], status: 'drawn' });
    });

    it('returns a player\'s recent rounds newest first, a repeat replacing the row', async () => {
      const userId = uid('u');
      const row = (n: number) => ({ userId, roundId: `t:${n}`, tableId: 't', game: 'roulette', result: n, bets: [{ betId: `b${n}` }], stakeMinor: 10, payoutMinor: 0, balanceBeforeMinor: 100, balanceAfterMinor: 90, settledAt: 1000 + n });
      await ctx.store.games.addPlayerRounds([row(1), row(2), row(3)]);
      await ctx.store.games.addPlayerRounds([row(2)]);
      const recent = await ctx.store.games.recentPlayerRounds(userId, 2);
      expect(recent.map((r) => r.roundId)).to.deep.equal(['t:3', 't:2']);
      expect(recent[0]!.bets).to.deep.equal([{ betId: 'b3' }]);
    });
  });

  describe('event listings', () => {
    it('lists events by status, soonest first, a repeat replacing the listing', async () => {
      const base = { league: 'E0', home: 'A', away: 'B', lambdaHome: 1.4, lambdaAway: 1.1, minute: 0, score: { home: 0, away: 0 }, updatedAt: 1 };
      const ids = [uid('ev'), uid('ev'), uid('ev')];
      await ctx.store.games.upsertEvent({ ...base, eventId: ids[0]!, status: 'scheduled', startsAt: 300 });
      await ctx.store.games.upsertEvent({ ...base, eventId: ids[1]!, status: 'in_play', startsAt: 100 });
      await ctx.store.games.upsertEvent({ ...base, eventId: ids[2]!, status: 'in_play', startsAt: 200 });
      await ctx.store.games.upsertEvent({ ...base, eventId: ids[2]!, status: 'finished', startsAt: 200, score: { home: 2, away: 1 } });
      const live = await ctx.store.games.listEvents({ statuses: ['scheduled', 'in_play'], limit: 10 });
      expect(live.map((e) => e.eventId)).to.deep.equal([ids[1], ids[0]]);
      expect((await ctx.store.games.getEvent(ids[2]!))!.score).to.deep.equal({ home: 2, away: 1 });
    });
  });

  describe('open holds by prefix', () => {
    it('lists only open holds whose id starts with the prefix, a page at a time', async () => {
      const player = await newPlayer(ctx, 1000);
      const prefix = uid('room') + ':bet:';
      for (const n of [1, 2, 3]) expectOk(await applyOne(ctx, { type: 'reserve', key: `${prefix}${n}`, accountId: player, amountMinor: 10 }));
      expectOk(await applyOne(ctx, { type: 'reserve', key: `other:${prefix}9`, accountId: player, amountMinor: 10 }));
      expectOk(await applyOne(ctx, { type: 'release', key: `${prefix}2:release`, holdId: `${prefix}2` }));
      const open = await ctx.store.wallet.listOpenHolds({ prefix, limit: 10 });
      expect(open.map((h) => h.id)).to.deep.equal([`${prefix}1`, `${prefix}3`]);
      expect((await ctx.store.wallet.listOpenHolds({ prefix, limit: 1 })).map((h) => h.id)).to.deep.equal([`${prefix}1`]);
      expect((await ctx.store.wallet.listOpenHolds({ prefix, limit: 1, after: `${prefix}1` })).map((h) => h.id), 'next page').to.deep.equal([`${prefix}3`]);
      expect(await ctx.store.wallet.listOpenHolds({ prefix, limit: 10, after: `${prefix}3` }), 'past the last').to.deep.equal([]);
      for (const id of [`${prefix}1`, `${prefix}3`, `other:${prefix}9`]) expectOk(await applyOne(ctx, { type: 'release', key: `${id}:release`, holdId: id }));
    });
  });
}
