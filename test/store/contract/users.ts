import { expect } from 'chai';
import type { User } from '../../../server/store/types.ts';
import { expectStoreError, uid, type ContractContext } from './helpers.ts';

function newUser(username = uid('Alice')): User {
  return { id: uid('user'), username, passwordHash: 'scrypt$salt$hash', role: 'player', status: 'active', createdAt: 1_700_000_000_000 };
}

export function usersContract(ctx: ContractContext): void {
  describe('users', () => {
    it('creates a user and finds it by id and by username in any letter case', async () => {
      const user = newUser();
      expect(await ctx.store.users.create(user)).to.deep.equal(user);
      expect(await ctx.store.users.findById(user.id)).to.deep.equal(user);
      expect(await ctx.store.users.findByUsername(user.username.toUpperCase())).to.deep.equal(user);
    });

    it('keeps the username as registered', async () => {
      const user = await ctx.store.users.create(newUser(uid('MiXeD')));
      expect((await ctx.store.users.findByUsername(user.username.toLowerCase()))!.username).to.equal(user.username);
    });

    it('rejects a username that differs only in letter case with store/username_taken', async () => {
      const user = await ctx.store.users.create(newUser());
      await expectStoreError(ctx.store.users.create(newUser(user.username.toUpperCase())), 'store/username_taken');
    });

    it('returns null for an unknown id or username', async () => {
      expect(await ctx.store.users.findById(uid('nobody'))).to.equal(null);
      expect(await ctx.store.users.findByUsername(uid('nobody'))).to.equal(null);
    });

    it('locks and unlocks a user', async () => {
      const user = await ctx.store.users.create(newUser());
      await ctx.store.users.setStatus(user.id, 'locked');
      expect((await ctx.store.users.findById(user.id))!.status).to.equal('locked');
      await ctx.store.users.setStatus(user.id, 'active');
      expect((await ctx.store.users.findById(user.id))!.status).to.equal('active');
    });

    it('searches usernames by prefix regardless of case, ordered, bounded by the limit', async () => {
      const tag = uid('Srch').replace(/-/g, '_');
      for (const name of [`${tag}_bob`, `${tag}_Alice`, `${tag}_carl`, `${tag}x_dora`]) await ctx.store.users.create(newUser(name));
      await ctx.store.users.create(newUser(uid('Other')));
      const found = await ctx.store.users.search(`${tag.toUpperCase()}_`, 10);
      expect(found.map((u) => u.username)).to.deep.equal([`${tag}_Alice`, `${tag}_bob`, `${tag}_carl`]);
      expect((await ctx.store.users.search(tag.toLowerCase(), 2)).map((u) => u.username)).to.deep.equal([`${tag}_Alice`, `${tag}_bob`]);
      expect(await ctx.store.users.search(`${tag}_zz`, 10)).to.deep.equal([]);
      expect((await ctx.store.users.search('', 100)).length).to.be.at.least(5);
    });

    it('treats search prefixes literally (no pattern characters)', async () => {
      const tag = uid('Lit').replace(/-/g, '_');
      await ctx.store.users.create(newUser(`${tag}.a`));
      await ctx.store.users.create(newUser(`${tag}xa`));
      expect((await ctx.store.users.search(`${tag}.`, 10)).map((u) => u.username)).to.deep.equal([`${tag}.a`]);
      await expectStoreError(ctx.store.users.search('a', 0), 'store/invalid_argument');
      await expectStoreError(ctx.store.users.search('a', 101), 'store/invalid_argument');
    });

    it('pages through every user after a cursor in lower-cased username order, bounded by the limit', async () => {
      const tag = uid('Page').replace(/-/g, '_').toLowerCase();
      for (const name of [`${tag}_b`, `${tag}_A`, `${tag}_c`]) await ctx.store.users.create(newUser(name));
      const seen: string[] = [];
      let after: string | null = null;
      for (let page = 0; page < 1_000; page++) {
        const users = await ctx.store.users.listAfter(after, 2);
        expect(users.length).to.be.at.most(2);
        seen.push(...users.map((u) => u.username.toLowerCase()));
        if (users.length < 2) break;
        after = users[users.length - 1]!.username.toLowerCase();
      }
      expect(seen).to.deep.equal([...seen].sort());
      expect(new Set(seen).size).to.equal(seen.length);
      expect(seen.filter((n) => n.startsWith(`${tag}_`))).to.deep.equal([`${tag}_a`, `${tag}_b`, `${tag}_c`]);
      expect((await ctx.store.users.listAfter(`${tag}_a`, 1)).map((u) => u.username)).to.deep.equal([`${tag}_b`]);
      await expectStoreError(ctx.store.users.listAfter(null, 0), 'store/invalid_argument');
      await expectStoreError(ctx.store.users.listAfter(null, 101), 'store/invalid_argument');
    });
  });
}
