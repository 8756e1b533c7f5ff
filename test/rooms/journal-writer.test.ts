import { expect } from 'chai';
import { openSqliteStore } from '../../server/store/sqlite/index.ts';
import { StoreError, type Store } from '../../server/store/types.ts';
import { JournalWriter } from '../../rooms/journal-writer.ts';
import { claimOwnership, isStaleOwnership } from '../../rooms/ownership.ts';
import { makeTempDir } from '../store/tmpdir.ts';
import { waitFor } from '../support/cluster.ts';

/** The write-ahead order every room relies on for its money (docs/OPERATIONS.md#cluster). */
describe('journal writer: decisions durable before their money moves', () => {
  const tmp = makeTempDir('writer');
  let store: Store;
  beforeEach(async () => {
    store = await openSqliteStore({ path: tmp.file('w') });
  });
  afterEach(async () => store.close());
  after(() => tmp.cleanup());

  const types = async (roomId: string) => (await store.journal.read(roomId)).map((r) => r.type);

  it('runs an item\'s money step only once its events are durable, and appends nothing queued later before the step is done', async () => {
    const w = new JournalWriter(store.journal, 'r1', 0, () => undefined);
    const seen: string[][] = [];
    let release!: () => void;
    const stepDone = new Promise<void>((r) => (release = r));
    const a = w.append([{ type: 'A', data: {} }]);
    const b = w.append([{ type: 'B', data: {} }], async () => {
      seen.push(await types('r1'));
      await stepDone;
    });
    const c = w.append([{ type: 'C', data: {} }]);
    await a;
    await waitFor('the money step to start', async () => seen.length === 1, 5000, 5);
    expect(seen[0], 'when the money step starts').to.deep.equal(['A', 'B']);
    expect(await types('r1'), 'C waits for B\'s money').to.deep.equal(['A', 'B']);
    release();
    await Promise.all([b, c]);
    expect(await types('r1')).to.deep.equal(['A', 'B', 'C']);
  });

  it('breaks for good when a money step fails: later items are refused and never journaled', async () => {
    let broken: unknown = null;
    const w = new JournalWriter(store.journal, 'r2', 0, (err) => (broken = err));
    const failing = w.append([{ type: 'Settled', data: {} }], async () => {
      throw new StoreError('wallet/stale_fence', 'another owner');
    });
    const later = w.append([{ type: 'Later', data: {} }]);
    const [f, l] = await Promise.allSettled([failing, later]);
    expect(f.status).to.equal('rejected');
    expect(l.status).to.equal('rejected');
    expect(isStaleOwnership(broken)).to.equal(true);
    expect(await types('r2'), 'the decision is journaled; its money is completed by the next owner').to.deep.equal(['Settled']);
    await w.append([{ type: 'After', data: {} }]).then(() => expect.fail('a broken writer takes nothing'), () => undefined);
  });

  it('a new owner\'s claim refuses the old owner\'s appends and money from then on', async () => {
    const old = new JournalWriter(store.journal, 'r3', 0, () => undefined, () => 5);
    await old.append([{ type: 'OwnershipTaken', data: { fence: 5 } }]);
    await old.append([{ type: 'BetPlaced', data: {} }]);
    expect(await claimOwnership(store.journal, 'r3', 6, 'new', 1)).to.equal(3);
    const err = await old.append([{ type: 'Late', data: {} }]).then(() => null, (e: unknown) => e);
    expect(isStaleOwnership(err), String(err)).to.equal(true);
    const money = await store.wallet.apply([{ type: 'transfer', key: 'k', fromAccountId: 'sys:world', toAccountId: 'sys:house', amountMinor: 1, kind: 'funding' }], { fence: { roomId: 'r3', fence: 5 } }).then(() => null, (e: unknown) => e);
    expect(isStaleOwnership(money), String(money)).to.equal(true);
    expect(await types('r3')).to.deep.equal(['OwnershipTaken', 'BetPlaced', 'OwnershipTaken']);
  });
});
