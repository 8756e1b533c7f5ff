import { expect } from 'chai';
import { expectStoreError, uid, type ContractContext } from './helpers.ts';

const events = (n: number, from = 1) => Array.from({ length: n }, (_, i) => ({ type: 'tick', data: { n: from + i } }));

export function journalContract(ctx: ContractContext): void {
  describe('journal', () => {
    it('appends events with contiguous sequence numbers and reads them back in order', async () => {
      const room = uid('roulette:t');
      const written = await ctx.store.journal.append(room, 1, [
        { type: 'round_opened', data: { round: 1 } },
        { type: 'bet_placed', data: { betId: 'b1', stakeMinor: 500, picks: [1, 2] } },
      ], { at: 1_700_000_000_000 });
      expect(written.map((r) => [r.roomId, r.seq, r.type, r.at])).to.deep.equal([
        [room, 1, 'round_opened', 1_700_000_000_000], [room, 2, 'bet_placed', 1_700_000_000_000],
      ]);
      await ctx.store.journal.append(room, 3, [{ type: 'round_closed', data: null }]);
      const read = await ctx.store.journal.read(room);
      expect(read.map((r) => r.seq)).to.deep.equal([1, 2, 3]);
      expect(read[1]!.data).to.deep.equal({ betId: 'b1', stakeMinor: 500, picks: [1, 2] });
      expect(read[2]).to.include({ type: 'round_closed', data: null });
      expect(await ctx.store.journal.lastSeq(room)).to.equal(3);
    });

    it('reads after a sequence number and up to a limit', async () => {
      const room = uid('room');
      await ctx.store.journal.append(room, 1, events(10));
      const page = await ctx.store.journal.read(room, { afterSeq: 4, limit: 3 });
      expect(page.map((r) => r.seq)).to.deep.equal([5, 6, 7]);
      expect(await ctx.store.journal.read(room, { afterSeq: 10 })).to.deep.equal([]);
    });

    it('reports lastSeq 0 and no records for a room without a journal', async () => {
      const room = uid('empty');
      expect(await ctx.store.journal.lastSeq(room)).to.equal(0);
      expect(await ctx.store.journal.read(room)).to.deep.equal([]);
    });

    it('rejects an append that does not continue the sequence and writes none of it', async () => {
      const room = uid('room');
      await expectStoreError(ctx.store.journal.append(room, 2, events(1)), 'journal/seq_conflict');
      await ctx.store.journal.append(room, 1, events(2));
      await expectStoreError(ctx.store.journal.append(room, 2, events(3)), 'journal/seq_conflict');
      await expectStoreError(ctx.store.journal.append(room, 4, events(1)), 'journal/seq_conflict');
      expect(await ctx.store.journal.lastSeq(room)).to.equal(2);
      expect(await ctx.store.journal.read(room)).to.have.length(2);
    });

    it('lets exactly one of two concurrent appends at the same sequence win', async () => {
      const room = uid('room');
      const results = await Promise.allSettled([
        ctx.store.journal.append(room, 1, events(1)),
        ctx.store.journal.append(room, 1, events(1, 100)),
      ]);
      expect(results.map((r) => r.status).sort()).to.deep.equal(['fulfilled', 'rejected']);
      expect(await ctx.store.journal.read(room)).to.have.length(1);
    });

    it('rejects a fence lower than the highest one used for the room', async () => {
      const room = uid('room');
      await ctx.store.journal.append(room, 1, events(1), { fence: 3 });
      await expectStoreError(ctx.store.journal.append(room, 2, events(1), { fence: 2 }), 'journal/stale_fence');
      await ctx.store.journal.append(room, 2, events(1), { fence: 3 });
      await ctx.store.journal.append(room, 3, events(1), { fence: 5 });
      await expectStoreError(ctx.store.journal.append(room, 4, events(1), { fence: 4 }), 'journal/stale_fence');
      expect(await ctx.store.journal.lastSeq(room)).to.equal(3);
    });

    it('does not record the fence of an append that failed its sequence check', async () => {
      const room = uid('room');
      await ctx.store.journal.append(room, 1, events(1), { fence: 1 });
      await expectStoreError(ctx.store.journal.append(room, 5, events(1), { fence: 9 }), 'journal/seq_conflict');
      await ctx.store.journal.append(room, 2, events(1), { fence: 2 });
    });

    it('refuses too many events in one append or too much data in one event', async () => {
      const room = uid('room');
      await expectStoreError(ctx.store.journal.append(room, 1, events(1_001)), 'journal/too_large');
      await expectStoreError(
        ctx.store.journal.append(room, 1, [{ type: 'big', data: { blob: 'x'.repeat(64 * 1024) } }]),
        'journal/too_large',
      );
      expect(await ctx.store.journal.lastSeq(room)).to.equal(0);
      await ctx.store.journal.append(room, 1, events(1_000));
      expect(await ctx.store.journal.lastSeq(room)).to.equal(1_000);
    });

    it('lists the rooms that have a journal, filtered by prefix', async () => {
      const tag = uid('list');
      const rooms = [`roulette:${tag}:1`, `roulette:${tag}:2`, `blackjack:${tag}:1`];
      for (const room of rooms) await ctx.store.journal.append(room, 1, events(1));
      const roulette = await ctx.store.journal.listRooms(`roulette:${tag}`);
      expect(roulette.sort()).to.deep.equal([rooms[0], rooms[1]]);
      expect(await ctx.store.journal.listRooms(`ROULETTE:${tag}`)).to.deep.equal([]);
      expect(await ctx.store.journal.listRooms()).to.include.members(rooms);
    });

    it('treats glob and wildcard characters in a prefix literally', async () => {
      const tag = uid('glob');
      await ctx.store.journal.append(`a*[${tag}]?`, 1, events(1));
      await ctx.store.journal.append(`ab${tag}`, 1, events(1));
      await ctx.store.journal.append(`a%_${tag}`, 1, events(1));
      expect(await ctx.store.journal.listRooms('a*[')).to.deep.equal([`a*[${tag}]?`]);
      expect(await ctx.store.journal.listRooms('a%_')).to.deep.equal([`a%_${tag}`]);
    });
  });
}
