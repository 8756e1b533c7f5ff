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
  });
}
