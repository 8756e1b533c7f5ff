/**
 * Model-based property: random sequences of wallet ops (transfers, reserves, captures, releases)
 * with keys drawn from a small pool (so retries and key reuse happen) give, op by op, the outcome
 * a plain in-memory ledger predicts, and leave every balance, held amount and open hold as the
 * model says; the books reconcile. Runs on every adapter (the contract suite).
 */
import { expect } from 'chai';
import fc from 'fast-check';
import { SYSTEM_ACCOUNTS, type WalletOp, type WalletOutcome } from '../../../server/store/types.ts';
import { opFingerprint } from '../../../server/store/wallet-input.ts';
import { uid, type ContractContext } from './helpers.ts';

const PLAYERS = 3;
const KEYS = 12;

type Abstract =
  | { type: 'transfer'; key: number; from: number; to: number; amount: number }
  | { type: 'reserve'; key: number; player: number; amount: number }
  | { type: 'capture'; key: number; hold: number; amount: number | null }
  | { type: 'release'; key: number; hold: number };

/** Account index PLAYERS is the run's house account; 0..PLAYERS-1 are players. */
const account = fc.integer({ min: 0, max: PLAYERS });
const key = fc.integer({ min: 0, max: KEYS - 1 });
const amount = fc.integer({ min: 1, max: 4_000 });
const abstractOp: fc.Arbitrary<Abstract> = fc.oneof(
  fc.record({ type: fc.constant('transfer' as const), key, from: account, to: account, amount }),
  fc.record({ type: fc.constant('reserve' as const), key, player: fc.integer({ min: 0, max: PLAYERS - 1 }), amount }),
  fc.record({ type: fc.constant('capture' as const), key, hold: key, amount: fc.option(amount, { nil: null }) }),
  fc.record({ type: fc.constant('release' as const), key, hold: key }),
);

interface Model {
  balance: Map<string, number>;
  held: Map<string, number>;
  holds: Map<string, { owner: string; amount: number; open: boolean }>;
  keys: Map<string, string>;
}

/** What the model says the op does: the outcome code (or ok), applying it to the model when ok. */
function step(m: Model, op: WalletOp, house: string): string {
  const seen = m.keys.get(op.key);
  if (seen !== undefined) return seen === opFingerprint(op) ? 'ok' : 'wallet/idempotency_conflict';
  const bal = (id: string) => m.balance.get(id)!;
  switch (op.type) {
    case 'transfer':
      if (op.fromAccountId === op.toAccountId) return 'wallet/same_account';
      if (bal(op.fromAccountId) < op.amountMinor) return 'wallet/insufficient_funds';
      m.balance.set(op.fromAccountId, bal(op.fromAccountId) - op.amountMinor);
      m.balance.set(op.toAccountId, bal(op.toAccountId) + op.amountMinor);
      break;
    case 'reserve':
      if (bal(op.accountId) < op.amountMinor) return 'wallet/insufficient_funds';
      m.balance.set(op.accountId, bal(op.accountId) - op.amountMinor);
      m.held.set(op.accountId, m.held.get(op.accountId)! + op.amountMinor);
      m.holds.set(op.key, { owner: op.accountId, amount: op.amountMinor, open: true });
      break;
    case 'capture':
    case 'release': {
      const hold = m.holds.get(op.holdId);
      if (!hold) return 'wallet/hold_not_found';
      if (!hold.open) return 'wallet/hold_resolved';
      const captured = op.type === 'capture' ? (op.amountMinor ?? hold.amount) : 0;
      if (captured > hold.amount) return 'wallet/invalid_amount';
      hold.open = false;
      m.held.set(hold.owner, m.held.get(hold.owner)! - hold.amount);
      m.balance.set(hold.owner, bal(hold.owner) + hold.amount - captured);
      m.balance.set(house, bal(house) + captured);
      break;
    }
    default:
      throw new Error('not modelled');
  }
  m.keys.set(op.key, opFingerprint(op));
  return 'ok';
}

export function modelContract(ctx: ContractContext): void {
  describe('wallet against a model ledger (property)', function () {
    this.timeout(180_000);

    it('every op sequence ends where a plain ledger says, op by op, and the books reconcile', async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(abstractOp, { minLength: 1, maxLength: 40 }), fc.array(fc.integer({ min: 0, max: 5_000 }), { minLength: PLAYERS, maxLength: PLAYERS }), async (ops, funds) => {
          const run = uid('m');
          const players = Array.from({ length: PLAYERS }, (_, i) => `${run}-p${i}`);
          const house = `${run}-house`;
          const accounts = [...players, house];
          const m: Model = { balance: new Map(), held: new Map(), holds: new Map(), keys: new Map() };
          for (const [i, id] of accounts.entries()) {
            await ctx.store.wallet.ensureAccount(id, i < PLAYERS ? 'player' : 'house', ctx.currency);
            const start = i < PLAYERS ? funds[i]! : 10_000;
            m.balance.set(id, start);
            m.held.set(id, 0);
            if (start > 0) {
              const [funded] = await ctx.store.wallet.apply([{ type: 'transfer', key: `${run}-fund-${i}`, fromAccountId: SYSTEM_ACCOUNTS.world, toAccountId: id, amountMinor: start, kind: 'deposit' }]);
              expect(funded!.ok).to.equal(true);
            }
          }
          const k = (n: number) => `${run}-k${n}`;
          for (const a of ops) {
            const op: WalletOp =
              a.type === 'transfer' ? { type: 'transfer', key: k(a.key), fromAccountId: accounts[a.from]!, toAccountId: accounts[a.to]!, amountMinor: a.amount, kind: 'adjustment' }
              : a.type === 'reserve' ? { type: 'reserve', key: k(a.key), accountId: players[a.player]!, amountMinor: a.amount }
              : a.type === 'capture' ? { type: 'capture', key: k(a.key), holdId: k(a.hold), toAccountId: house, ...(a.amount === null ? {} : { amountMinor: a.amount }) }
              : { type: 'release', key: k(a.key), holdId: k(a.hold) };
            const expected = step(m, op, house);
            const [outcome] = (await ctx.store.wallet.apply([op])) as [WalletOutcome];
            expect(outcome.ok ? 'ok' : outcome.code, `${JSON.stringify(op)} → ${JSON.stringify(outcome)}`).to.equal(expected);
          }
          for (const id of accounts) {
            const acc = (await ctx.store.wallet.getAccount(id))!;
            expect({ id, balance: acc.balanceMinor, held: acc.heldMinor }).to.deep.equal({ id, balance: m.balance.get(id), held: m.held.get(id) });
          }
          const open = (await ctx.store.wallet.listOpenHolds({ prefix: `${run}-`, limit: 100 })).map((h) => `${h.id}:${h.amountMinor}`).sort();
          expect(open).to.deep.equal([...m.holds].filter(([, h]) => h.open).map(([id, h]) => `${id}:${h.amount}`).sort());
          expect((await ctx.store.wallet.reconcile()).ok).to.equal(true);
        }),
        // Fewer runs on MongoDB: each op is a round trip (the modelled server in CI, a real one where MONGODB_URL is set).
        { numRuns: ctx.store.kind === 'sqlite' ? 60 : 15, seed: 20261203 },
      );
    });
  });
}
