/**
 * The audit chain catches edits made behind the store's back (straight into the database):
 * an altered field, a removed entry in the middle, a removed tail.
 */
import { expect } from 'chai';
import { DatabaseSync } from 'node:sqlite';
import { MongoClient } from 'mongodb';
import { openSqliteStore } from '../../server/store/sqlite/index.ts';
import { openMongoStore } from '../../server/store/mongodb/index.ts';
import type { Store } from '../../server/store/types.ts';
import { makeTempDir } from './tmpdir.ts';
import { FakeMongoEngine } from './mongodb/fake-mongo-engine.ts';
import { FakeMongod } from './mongodb/fake-mongod.ts';

const temp = makeTempDir('audit-tamper');
after(() => temp.cleanup());

async function fill(store: Store, n: number): Promise<void> {
  for (let i = 1; i <= n; i++) {
    await store.audit.append({ actorId: 'op', actorName: 'op', action: 'player.adjust', target: `user:${i}`, reason: 'goodwill', details: { amountMinor: 100 * i }, at: 1_700_000_000_000 + i });
  }
}

describe('audit log tamper evidence (sqlite)', () => {
  const cases: Array<[string, string, number]> = [
    ['an altered amount', "UPDATE audit_log SET details = '{\"amountMinor\":999999}' WHERE seq = 2", 2],
    ['an altered reason', "UPDATE audit_log SET reason = 'nothing to see' WHERE seq = 3", 3],
    ['a removed entry in the middle', 'DELETE FROM audit_log WHERE seq = 2', 3],
    ['a removed tail', 'DELETE FROM audit_log WHERE seq = 4', 4],
  ];
  for (const [what, sql, badSeq] of cases) {
    it(`detects ${what}`, async () => {
      const file = temp.file('audit');
      const store = await openSqliteStore({ path: file });
      try {
        await fill(store, 4);
        expect((await store.audit.verify()).ok).to.equal(true);
        const raw = new DatabaseSync(file);
        raw.exec(sql);
        raw.close();
        const v = await store.audit.verify();
        expect(v.ok, JSON.stringify(v)).to.equal(false);
        expect(v.firstBadSeq).to.equal(badSeq);
        expect(v.problem).to.be.a('string');
      } finally {
        await store.close();
      }
    });
  }
});

describe('audit log tamper evidence (mongodb, modelled)', () => {
  it('detects an altered entry', async () => {
    const engine = new FakeMongoEngine();
    const fake = new FakeMongod({ replicaSet: true, respond: engine.respond });
    await fake.start();
    const store = await openMongoStore({ url: fake.url, dbName: 'tamper', serverSelectionTimeoutMS: 2_000 });
    const raw = new MongoClient(fake.url, { serverSelectionTimeoutMS: 2_000 });
    try {
      await fill(store, 3);
      expect((await store.audit.verify()).ok).to.equal(true);
      await raw.connect();
      await raw.db('tamper').collection('audit_log').updateOne({ _id: 2 as never }, { $set: { actorName: 'someone else' } });
      const v = await store.audit.verify();
      expect(v).to.include({ ok: false, firstBadSeq: 2 });
    } finally {
      await raw.close();
      await store.close();
      await fake.stop();
    }
  });
});
