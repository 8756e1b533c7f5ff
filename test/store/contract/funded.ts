import { expect } from 'chai';
import fc from 'fast-check';
import { StoreError, type WalletOp } from '../../../server/store/types.ts';
import { expectOk, newPlayer, uid, type ContractContext } from './helpers.ts';

const reserve = (key: string, accountId: string, amountMinor: number): WalletOp => ({ type: 'reserve', key, accountId, amountMinor });
const bet = (betId: string) => ({ type: 'BetPlaced', data: { betId } });

/** A bet's record and its stake's hold in one store call (server/store/funded.ts). */
export function fundedContract(ctx: ContractContext): void {
  describe('funded journal appends', () => {
    it('appends each funded record with its hold, skips a refused one and numbers the rest without a gap', async () => {
      const room = uid('room');
      const alice = await newPlayer(ctx, 1_000);
      const [a, b, c] = [uid('bet'), uid('bet'), uid('bet')];
      const result = await ctx.store.journal.appendFunded(room, 1, [
        { records: [bet(a)], funding: [reserve(a, alice, 600)] },
        { records: [bet(b)], funding: [reserve(b, alice, 600)] }, // more than is left
        { records: [{ type: 'ClientSeed', data: {} }] },
        { records: [bet(c)], funding: [reserve(c, alice, 400)] },
      ]);
      expect(result.appended).to.equal(3);
      expectOk(result.outcomes[0]![0]);
      expect(result.outcomes[1]![0]).to.include({ ok: false, code: 'wallet/insufficient_funds' });
      expect(result.outcomes[2]).to.equal(null);
      expectOk(result.outcomes[3]![0]);
      const records = await ctx.store.journal.read(room);
      expect(records.map((r) => [r.seq, r.type, (r.data as { betId?: string }).betId ?? null])).to.deep.equal([[1, 'BetPlaced', a], [2, 'ClientSeed', null], [3, 'BetPlaced', c]]);
      expect(await ctx.store.wallet.getHold(b)).to.equal(null);
      expect(await ctx.store.wallet.getAccount(alice)).to.include({ balanceMinor: 0, heldMinor: 1_000 });
      expect(await ctx.store.journal.lastSeq(room)).to.equal(3);
    });

    it('skips a record whose stake key was used before (the hold is not open), undoing the rest of its group', async () => {
      const room = uid('room');
      const alice = await newPlayer(ctx, 1_000);
      const used = uid('bet');
      expectOk((await ctx.store.wallet.apply([reserve(used, alice, 100)]))[0]);
      expectOk((await ctx.store.wallet.apply([{ type: 'release', key: `${used}:release`, holdId: used }]))[0]);
      const token = uid('token');
      expectOk((await ctx.store.wallet.apply([reserve(token, alice, 50)]))[0]);
      const result = await ctx.store.journal.appendFunded(room, 1, [
        { records: [bet(used)], funding: [{ type: 'release', key: `${token}:release`, holdId: token }, reserve(used, alice, 100)] },
      ]);
      expect(result.appended).to.equal(0);
      expect(await ctx.store.journal.lastSeq(room)).to.equal(0);
      expect((await ctx.store.wallet.getHold(token))?.status, 'the group is undone as a whole').to.equal('open');
      expect(await ctx.store.wallet.getAccount(alice)).to.include({ balanceMinor: 950, heldMinor: 50 });
    });

    it('replays a funded entry whose hold is still open (a retry after a lost reply): the record goes in once more at the next seq, no second hold', async () => {
      const room = uid('room');
      const alice = await newPlayer(ctx, 1_000);
      const a = uid('bet');
      expectOk((await ctx.store.wallet.apply([reserve(a, alice, 300)]))[0]);
      const result = await ctx.store.journal.appendFunded(room, 1, [{ records: [bet(a)], funding: [reserve(a, alice, 300)] }]);
      expect(result.appended).to.equal(1);
      expect(result.outcomes[0]![0]).to.include({ ok: true, replayed: true });
      expect(await ctx.store.wallet.getAccount(alice)).to.include({ balanceMinor: 700, heldMinor: 300 });
    });

    it('refuses the whole call on a stale fence or a wrong sequence, moving nothing', async () => {
      const room = uid('room');
      const alice = await newPlayer(ctx, 1_000);
      await ctx.store.journal.append(room, 1, [{ type: 'OwnershipTaken', data: {} }], { fence: 9 });
      const a = uid('bet');
      for (const [seq, fence, code] of [[2, 8, 'stale_fence'], [5, 9, 'journal/seq_conflict']] as const) {
        const err = await ctx.store.journal.appendFunded(room, seq, [{ records: [bet(a)], funding: [reserve(a, alice, 100)] }], { fence }).then(() => null, (e: unknown) => e);
        expect(err).to.be.instanceOf(StoreError);
        expect((err as StoreError).code).to.include(code);
      }
      expect(await ctx.store.wallet.getHold(a)).to.equal(null);
      expect(await ctx.store.journal.lastSeq(room)).to.equal(1);
    });

    it('refuses malformed entries as invalid arguments', async () => {
      const alice = await newPlayer(ctx, 1_000);
      for (const entries of [[], [{ records: [] }], [{ records: [bet('x')], funding: [] }], [{ records: [bet('x')], funding: [{ type: 'reserve', key: '', accountId: alice, amountMinor: 1 }] }]]) {
        const err = await ctx.store.journal.appendFunded(uid('room'), 1, entries as never).then(() => null, (e: StoreError) => e);
        expect(err?.code, JSON.stringify(entries)).to.equal('store/invalid_argument');
      }
    });

    it('property: the journal holds exactly the funded bets in order, each with an open hold of its stake, and the balance pays for them all', async () => {
      await fc.assert(fc.asyncProperty(fc.integer({ min: 0, max: 2_000 }), fc.array(fc.integer({ min: 1, max: 700 }), { minLength: 1, maxLength: 12 }), async (start, stakes) => {
        const room = uid('room');
        const alice = await newPlayer(ctx, start);
        const ids = stakes.map(() => uid('bet'));
        const result = await ctx.store.journal.appendFunded(room, 1, stakes.map((s, i) => ({ records: [bet(ids[i]!)], funding: [reserve(ids[i]!, alice, s)] })));
        // The model: bets in order, each taken while what is left covers it.
        let left = start;
        const taken: string[] = [];
        stakes.forEach((s, i) => { if (s <= left) { left -= s; taken.push(ids[i]!); } });
        const journaled = (await ctx.store.journal.read(room)).map((r) => (r.data as { betId: string }).betId);
        expect(journaled).to.deep.equal(taken);
        expect(result.appended).to.equal(taken.length);
        for (const id of ids) expect((await ctx.store.wallet.getHold(id))?.status ?? null).to.equal(taken.includes(id) ? 'open' : null);
        expect(await ctx.store.wallet.getAccount(alice)).to.include({ balanceMinor: left, heldMinor: start - left });
      }), { numRuns: 25 });
    });
  });
}
