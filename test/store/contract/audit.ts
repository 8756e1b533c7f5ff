import { expect } from 'chai';
import { createHash } from 'node:crypto';
import type { AuditEntryInput } from '../../../server/store/types.ts';
import { expectStoreError, uid, type ContractContext } from './helpers.ts';

const ZERO = '0'.repeat(64);

function entry(n: number, over: Partial<AuditEntryInput> = {}): AuditEntryInput {
  return {
    actorId: 'user-op', actorName: 'Operator One', action: 'player.lock', target: `user:${n}`, reason: `reason ${n}`,
    details: { n, nested: { b: 2, a: [1, 'x', null] } }, at: 1_700_000_000_000 + n, ...over,
  };
}

/** The documented hash, written out independently: keys sorted at every level. */
function canonical(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`).join(',')}}`;
}

export function auditContract(ctx: ContractContext): void {
  describe('audit log', () => {
    it('verifies an empty log', async () => {
      expect(await ctx.store.audit.verify()).to.deep.equal({ ok: true, entries: 0, headHash: ZERO, firstBadSeq: null, problem: null });
    });

    it('appends entries as a hash chain: seq 1, 2, … each hashing its predecessor and its canonical content', async () => {
      const first = await ctx.store.audit.append(entry(1));
      const second = await ctx.store.audit.append(entry(2, { reason: null, details: null }));
      expect(first).to.include({ seq: 1, prevHash: ZERO, actorName: 'Operator One', reason: 'reason 1' });
      expect(second).to.include({ seq: 2, prevHash: first.hash, reason: null, details: null });
      const { seq, actorId, actorName, action, target, reason, details, at } = first;
      const expected = createHash('sha256').update(ZERO + canonical({ seq, actorId, actorName, action, target, reason, details, at })).digest('hex');
      expect(first.hash).to.equal(expected);
      expect(await ctx.store.audit.verify()).to.deep.include({ ok: true, entries: 2, headHash: second.hash });
    });

    it('lists newest first in pages with a cursor, returning entries as appended', async () => {
      const appended = [];
      for (let i = 1; i <= 5; i++) appended.push(await ctx.store.audit.append(entry(i)));
      const p1 = await ctx.store.audit.list({ limit: 2 });
      expect(p1.items.map((e) => e.seq)).to.deep.equal([5, 4]);
      expect(p1.items[0]).to.deep.equal(appended[4]);
      const p2 = await ctx.store.audit.list({ limit: 2, before: p1.nextCursor });
      expect(p2.items.map((e) => e.seq)).to.deep.equal([3, 2]);
      const p3 = await ctx.store.audit.list({ limit: 2, before: p2.nextCursor });
      expect(p3.items.map((e) => e.seq)).to.deep.equal([1]);
      expect(p3.nextCursor).to.equal(null);
    });

    it('chains concurrent appends into one unbroken sequence', async () => {
      const done = await Promise.all(Array.from({ length: 12 }, (_, i) => ctx.store.audit.append(entry(i + 1, { target: uid('t') }))));
      expect(done.map((e) => e.seq).sort((a, b) => a - b)).to.deep.equal(Array.from({ length: 12 }, (_, i) => i + 1));
      expect(await ctx.store.audit.verify()).to.deep.include({ ok: true, entries: 12 });
    });

    it('refuses malformed entries with store/invalid_argument and writes nothing', async () => {
      await expectStoreError(ctx.store.audit.append(entry(1, { actorId: '' })), 'store/invalid_argument');
      await expectStoreError(ctx.store.audit.append(entry(1, { action: 'x'.repeat(65) })), 'store/invalid_argument');
      await expectStoreError(ctx.store.audit.append(entry(1, { details: { big: 'x'.repeat(17 * 1024) } })), 'store/invalid_argument');
      await expectStoreError(ctx.store.audit.append(entry(1, { at: 1.5 })), 'store/invalid_argument');
      await expectStoreError(ctx.store.audit.list({ limit: 0 }), 'store/invalid_argument');
      await expectStoreError(ctx.store.audit.list({ limit: 10, before: 'abc' }), 'store/invalid_argument');
      expect((await ctx.store.audit.list({ limit: 10 })).items).to.have.length(0);
    });
  });
}
