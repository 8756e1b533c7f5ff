import type { Db } from 'mongodb';
import { StoreError, type UserStore } from '../types.ts';
import { duplicateKeyOf } from './errors.ts';
import { prefixPattern, toUser, userDoc, usernameKey } from './documents.ts';
import { COLLECTIONS, type UserDoc } from './schema.ts';
import { translated } from './transactions.ts';
import { checkUser, checkUserSearch, checkUserStatus } from './validate.ts';

/** Users on MongoDB. The unique index on the lower-cased username makes the check race-free across processes. */
export function createMongoUsers(db: Db): UserStore {
  const users = db.collection<UserDoc>(COLLECTIONS.users);

  return {
    async create(user) {
      checkUser(user);
      const doc = userDoc(user);
      await translated('users', async () => {
        try {
          await users.insertOne(doc);
        } catch (error) {
          const dup = duplicateKeyOf(error);
          if (!dup) throw error;
          const idClash = dup.index === '_id_' || dup.fields.includes('_id');
          // When both collide the id index may answer first; SQLite reports the username then, and so does this.
          if (!idClash || (await users.findOne({ usernameKey: doc.usernameKey }))) {
            throw new StoreError('store/username_taken', `username ${user.username} is taken`);
          }
          throw new StoreError('store/duplicate_id', `user ${user.id} already exists`);
        }
      });
      return { ...user };
    },

    async findById(id) {
      const doc = await translated('read', () => users.findOne({ _id: id }));
      return doc ? toUser(doc) : null;
    },

    async findByUsername(username) {
      if (typeof username !== 'string') return null;
      const doc = await translated('read', () => users.findOne({ usernameKey: usernameKey(username) }));
      return doc ? toUser(doc) : null;
    },

    async setStatus(id, status) {
      checkUserStatus(status);
      const result = await translated('users', () => users.updateOne({ _id: id }, { $set: { status } }));
      if (result.matchedCount === 0) throw new StoreError('store/not_found', `no user ${id}`);
    },

    async search(prefix, limit) {
      checkUserSearch(prefix, limit);
      // An anchored, escaped regex on the unique usernameKey index is a range scan.
      const filter = prefix ? { usernameKey: { $regex: prefixPattern(usernameKey(prefix)) } } : {};
      const docs = await translated('read', () => users.find(filter).sort({ usernameKey: 1 }).limit(limit).toArray());
      return docs.map(toUser);
    },
    async listAfter(afterKey, limit) {
      checkUserSearch(afterKey ?? '', limit);
      const filter = afterKey === null ? {} : { usernameKey: { $gt: afterKey } };
      const docs = await translated('read', () => users.find(filter).sort({ usernameKey: 1 }).limit(limit).toArray());
      return docs.map(toUser);
    },
  };
}
