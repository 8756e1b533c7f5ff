/**
 * Property: whatever the interleaving of bets, round ends (settled or voided), client seeds,
 * sportsbook settlements, re-settlements and deposits for a few players across two roulette
 * tables and one live event, every player's round record quotes balances the ledger can account
 * for, every fairness record checks out, and the books reconcile.
 *
 * The tables are the real roulette actor (decide/evolve); their money and round facts go through
 * the rooms' own steps (moveRoundEndMoney, recordRoundFacts) in each table's order, as the journal
 * writer runs them; the event's money through moveEventMoney. Steps run concurrently in random
 * chunks against a real SQLite store (group-committed batches), so settlements at two tables and
 * the event interleave in the ledger.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import { openSqliteStore } from '../../server/store/sqlite/index.ts';
import { SYSTEM_ACCOUNTS, type Store, type Transfer } from '../../server/store/types.ts';
import { playerAccountId, WalletService } from '../../server/wallet/service.ts';
import { deriveRoulettePocket, hashServerSeed, roundClientSeed } from '../../actors/roulette/fairness.ts';
import { decide, nextDeadline, recoveryCommand, type RouletteEvent, type Spot } from '../../actors/roulette/index.ts';
import type { EventState, SportsEvent } from '../../actors/sportsbook/index.ts';
import { emptySharded } from '../../actors/sportsbook/sharded.ts';
import { moveRoundEndMoney, releaseOp, reserveOp } from '../../rooms/roulette/money.ts';
import { recordRoundFacts } from '../../rooms/roulette/persistence.ts';
import { moveEventMoney, reserveOp as marketReserveOp } from '../../rooms/market/money.ts';
import type { RoomServices } from '../../rooms/context.ts';
import { TableDriver, testConfig } from '../actors/roulette/helpers.ts';
import { makeTempDir } from '../store/tmpdir.ts';

const temp = makeTempDir('records-property');
after(() => temp.cleanup());

const PLAYERS = ['p0', 'p1', 'p2'];
const TABLES = ['roulette-a', 'roulette-b'];
const EVENT = 'ev-prop';
const START_MINOR = 5_000;

type Op =
  | { k: 'bet'; t: number; p: number; stake: number; spot: Spot }
  | { k: 'seed'; t: number; p: number; seed: string }
  | { k: 'advance'; t: number }
  | { k: 'advanceBoth' }
  | { k: 'void'; t: number }
  | { k: 'mbet'; p: number; stake: number }
  | { k: 'msettle'; wins: number }
  | { k: 'resettle'; flips: number }
  | { k: 'deposit'; p: number; amount: number };

const table = fc.integer({ min: 0, max: 1 });
const player = fc.integer({ min: 0, max: 2 });
const spots: Spot[] = [{ kind: 'red' }, { kind: 'black' }, { kind: 'straight', numbers: [7] }, { kind: 'dozen', index: 1 }, { kind: 'split', numbers: [0, 1] }];
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 8, arbitrary: fc.record({ k: fc.constant('bet' as const), t: table, p: player, stake: fc.integer({ min: 10, max: 2_500 }), spot: fc.constantFrom(...spots) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('seed' as const), t: table, p: player, seed: fc.stringMatching(/^[a-z0-9 ]{1,12}$/) }) },
  { weight: 4, arbitrary: fc.record({ k: fc.constant('advance' as const), t: table }) },
  { weight: 3, arbitrary: fc.record({ k: fc.constant('advanceBoth' as const) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('void' as const), t: table }) },
  { weight: 3, arbitrary: fc.record({ k: fc.constant('mbet' as const), p: player, stake: fc.integer({ min: 10, max: 3_000 }) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('msettle' as const), wins: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('resettle' as const), flips: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('deposit' as const), p: player, amount: fc.integer({ min: 1, max: 4_000 }) }) },
);
/** Each op, and whether everything started so far is awaited after it (a chunk boundary). */
const programArb = fc.array(fc.tuple(opArb, fc.boolean()), { minLength: 10, maxLength: 80 });

interface MarketBet {
  betId: string;
  playerId: string;
  stakeMinor: number;
  settled: boolean;
  payoutMinor: number;
}

class World {
  readonly tables = TABLES.map((id) => new TableDriver(testConfig({ maxBetMinor: 100_000 }), id));
  readonly clocks = TABLES.map(() => 1_000_000);
  /** Each table's money and facts, in decision order (the journal writer's `after` steps). */
  readonly tableChains: Array<Promise<void>> = TABLES.map(() => Promise.resolve());
  eventChain: Promise<void> = Promise.resolve();
  readonly marketBets: MarketBet[] = [];
  readonly holdOwner = new Map<string, string>();
  private nextBet = 0;
  private resettlements = 0;
  readonly svc: RoomServices;

  constructor(
    readonly store: Store,
    readonly wallet: WalletService,
  ) {
    this.svc = { store, wallet } as unknown as RoomServices;
    // Every table has a round open from the start (a player sat down).
    this.tables.forEach((d, t) => this.endOrOpen(t, d.tick(this.clocks[t]!)));
  }

  run(op: Op): Promise<unknown> {
    switch (op.k) {
      case 'bet': return this.bet(op.t, PLAYERS[op.p]!, op.stake, op.spot);
      case 'seed': {
        const d = this.tables[op.t]!;
        d.run({ type: 'submitClientSeed', playerId: PLAYERS[op.p]!, seed: op.seed, now: this.clocks[op.t]! });
        return Promise.resolve();
      }
      case 'advance': return this.advance(op.t);
      case 'advanceBoth': return Promise.all([this.advance(0), this.advance(1)]);
      case 'void': return this.void(op.t);
      case 'mbet': return this.marketBet(PLAYERS[op.p]!, op.stake);
      case 'msettle': return this.marketSettle(op.wins);
      case 'resettle': return this.resettle(op.flips);
      case 'deposit':
        return this.wallet.apply([{ type: 'transfer', key: `deposit-${this.nextBet++}`, fromAccountId: SYSTEM_ACCOUNTS.world, toAccountId: playerAccountId(PLAYERS[op.p]!), amountMinor: op.amount, kind: 'deposit' }]);
    }
  }

  /** As the room: reserve the stake, then let the table decide on its state at that moment. */
  private async bet(t: number, playerId: string, stakeMinor: number, spot: Spot): Promise<void> {
    const d = this.tables[t]!;
    const tableId = TABLES[t]!;
    const betId = `b${this.nextBet++}`;
    const cmd = { type: 'placeBet' as const, betId, playerId, spot, stakeMinor, now: this.clocks[t]! };
    if (!decide(d.state, cmd).ok) return; // the room's pre-check, before any money moves
    const [reserved] = await this.wallet.apply([reserveOp(tableId, cmd)]);
    if (!reserved!.ok) return;
    this.holdOwner.set(reserved!.hold!.id, playerId);
    const decision = d.run({ ...cmd, now: this.clocks[t]! });
    if (!decision.ok) await this.wallet.apply([releaseOp(tableId, betId)]);
  }

  private advance(t: number): Promise<void> {
    const d = this.tables[t]!;
    if (d.state.phase === 'idle') return Promise.resolve();
    const deadline = nextDeadline(d.state);
    if (deadline === null) return Promise.resolve();
    this.clocks[t] = Math.max(this.clocks[t]!, deadline);
    return this.endOrOpen(t, d.tick(this.clocks[t]!));
  }

  private void(t: number): Promise<void> {
    const d = this.tables[t]!;
    if (d.state.phase !== 'betting') return Promise.resolve();
    const decision = d.run(recoveryCommand(this.clocks[t]! + 1));
    return decision.ok ? this.endOrOpen(t, decision.events) : Promise.resolve();
  }

  private endOrOpen(t: number, events: RouletteEvent[]): Promise<void> {
    const tableId = TABLES[t]!;
    const step = this.tableChains[t]!.then(async () => {
      const balances = await moveRoundEndMoney(this.wallet, tableId, events);
      await recordRoundFacts(this.svc, tableId, events, balances);
    });
    this.tableChains[t] = step;
    return step;
  }

  private async marketBet(playerId: string, stakeMinor: number): Promise<void> {
    const betId = `m${this.nextBet++}`;
    const [reserved] = await this.wallet.apply([marketReserveOp(EVENT, { betId, playerId, stakeMinor })]);
    if (!reserved!.ok) return;
    this.holdOwner.set(reserved!.hold!.id, playerId);
    this.marketBets.push({ betId, playerId, stakeMinor, settled: false, payoutMinor: 0 });
  }

  marketSettle(wins: number): Promise<void> {
    const open = this.marketBets.filter((b) => !b.settled);
    if (open.length === 0) return Promise.resolve();
    const outcomes = open.map((b, i) => {
      b.settled = true;
      b.payoutMinor = (wins >> (i % 16)) & 1 ? b.stakeMinor * 2 : 0;
      return { betId: b.betId, playerId: b.playerId, stakeMinor: b.stakeMinor, payoutMinor: b.payoutMinor, outcome: b.payoutMinor > 0 ? 'won' : 'lost' };
    });
    const e = { type: 'MarketSettled', marketId: '1x2', result: { kind: 'winner', selectionId: 'home' }, outcomes, totals: { betCount: 0, stakeMinor: 0, payoutMinor: 0 }, at: 1 } as unknown as SportsEvent;
    return this.eventStep([e], null);
  }

  private resettle(flips: number): Promise<void> {
    const settled = this.marketBets.filter((b) => b.settled);
    const corrections = settled.flatMap((b, i) => {
      if (!((flips >> (i % 16)) & 1)) return [];
      const payoutMinor = b.payoutMinor > 0 ? 0 : b.stakeMinor * 2;
      const c = { betId: b.betId, playerId: b.playerId, stakeMinor: b.stakeMinor, previousOutcome: 'x', outcome: 'y', previousPayoutMinor: b.payoutMinor, payoutMinor, deltaMinor: payoutMinor - b.payoutMinor };
      b.payoutMinor = payoutMinor;
      return [c];
    });
    if (corrections.length === 0) return Promise.resolve();
    const n = ++this.resettlements;
    // The state before the re-settlement as far as the money step reads it: the market's count, and no bet with a promotion.
    const before = { markets: [{ marketId: '1x2', resettlements: n - 1 }], bets: emptySharded() } as unknown as EventState;
    const e = { type: 'MarketResettled', marketId: '1x2', previous: {}, result: {}, reason: 'r', by: 'op', corrections, at: 1 } as unknown as SportsEvent;
    return this.eventStep([e], before);
  }

  private eventStep(events: SportsEvent[], before: EventState | null): Promise<void> {
    const step = this.eventChain.then(async () => {
      await moveEventMoney(this.wallet, EVENT, events, before);
    });
    this.eventChain = step;
    return step;
  }

  /** Finishes every round and settles every open sportsbook bet, so every hold resolves. */
  async finish(): Promise<void> {
    for (const [t, d] of this.tables.entries()) {
      while (d.state.phase === 'betting' || d.state.phase === 'closed') await this.advance(t);
    }
    await this.marketSettle(0);
    await Promise.all([...this.tableChains, this.eventChain]);
  }
}

async function allTransfers(store: Store, accountId: string): Promise<Transfer[]> {
  const out: Transfer[] = [];
  for (let before: string | null = null; ; ) {
    const page = await store.wallet.listTransfers(accountId, { limit: 200, before });
    out.push(...page.items);
    if (!page.nextCursor) return out;
    before = page.nextCursor;
  }
}

/** How a transfer changes a player's balance (posted + held): reserves and releases do not. */
function effectOn(t: Transfer, account: string, holdOwner: Map<string, string>): number {
  if (t.kind === 'reserve' || t.kind === 'release') return 0;
  if (t.kind === 'capture') return holdOwner.get(t.holdId!) === account ? -t.amountMinor : 0;
  if (t.toAccountId === account) return t.amountMinor;
  if (t.fromAccountId === account) return -t.amountMinor;
  return 0;
}

async function checkWorld(w: World): Promise<void> {
  const { store } = w;
  const owners = new Map([...w.holdOwner].map(([hold, p]) => [hold, playerAccountId(p)]));
  const bySeq = new Map<number, Transfer>();
  for (const id of [...PLAYERS.map(playerAccountId), SYSTEM_ACCOUNTS.escrow]) for (const t of await allTransfers(store, id)) bySeq.set(t.seq, t);
  const ledger = [...bySeq.values()].sort((a, b) => a.seq - b.seq);

  for (const p of PLAYERS) {
    const account = playerAccountId(p);
    // The player's balance after every transfer that touched it, recomputed from the ledger alone.
    const history: Array<{ seq: number; after: number; effect: number }> = [];
    let total = 0;
    for (const t of ledger) {
      const effect = effectOn(t, account, owners);
      total += effect;
      if (effect !== 0 || t.ownerAccountId === account) history.push({ seq: t.seq, after: total, effect });
    }
    expect((await w.wallet.view(p)).balanceMinor, `${p}: balance = the ledger's sum`).to.equal(total);
    const balanceBefore = (seq: number) => history.filter((h) => h.seq < seq).pop()?.after ?? 0;
    const balanceAfter = (seq: number) => history.filter((h) => h.seq <= seq).pop()?.after ?? 0;

    for (const r of await store.games.recentPlayerRounds(p, 100)) {
      const bets = r.bets as Array<{ betId: string; spot: unknown; stakeMinor: number; payoutMinor: number }>;
      const prefixes = bets.map((b) => `roulette:${r.tableId}:bet:${b.betId}:`);
      const group = ledger.filter((t) => prefixes.some((x) => t.key.startsWith(x)));
      expect(group.length, `${p} ${r.roundId}: its transfers`).to.be.at.least(bets.length);
      const first = group[0]!.seq;
      const last = group[group.length - 1]!.seq;
      expect(r.balanceBeforeMinor, `${p} ${r.roundId}: before, from the ledger`).to.equal(balanceBefore(first));
      expect(r.balanceAfterMinor, `${p} ${r.roundId}: after, from the ledger`).to.equal(balanceAfter(last));
      // One atomic step: nothing else moved the player's balance between its first and last transfer.
      const inside = history.filter((h) => h.seq >= first && h.seq <= last && h.effect !== 0);
      expect(inside.every((h) => group.some((t) => t.seq === h.seq)), `${p} ${r.roundId}: atomic`).to.equal(true);
      expect(r.stakeMinor).to.equal(bets.reduce((s, b) => s + b.stakeMinor, 0));
    }
  }

  // Fairness and recall against the tables' journals.
  for (const [t, d] of w.tables.entries()) {
    const tableId = TABLES[t]!;
    const closed = new Map<string, string[]>();
    const placed = new Map<string, Map<string, Spot>>();
    for (const e of d.journal) {
      if (e.type === 'BetPlaced') placed.set(e.betId, new Map([[e.playerId, e.spot]]));
      if (e.type === 'BettingClosed') closed.set(e.roundId, e.clientSeeds);
      if (e.type === 'ResultDrawn') {
        const round = (await store.games.getRound(e.roundId))!;
        expect(round, `${tableId} ${e.roundId}`).to.deep.include({ status: 'drawn', serverSeed: e.serverSeed, result: e.pocket, clientSeed: e.clientSeed });
        expect(hashServerSeed(round.serverSeed!)).to.equal(round.serverSeedHash);
        expect(deriveRoulettePocket(round.serverSeed!, round.clientSeed!, round.nonce)).to.equal(round.result);
        expect(round.clientSeeds, `${e.roundId}: the players' seeds`).to.deep.equal(closed.get(e.roundId));
        expect(roundClientSeed(round.roundId, round.clientSeeds!)).to.equal(round.clientSeed);
      }
      if (e.type === 'RoundVoided') {
        const round = (await store.games.getRound(e.roundId))!;
        expect(round).to.deep.include({ status: 'voided', serverSeed: e.serverSeed });
        expect(hashServerSeed(round.serverSeed!)).to.equal(round.serverSeedHash);
      }
      if (e.type === 'RoundSettled' || e.type === 'RoundVoided') {
        const bets = e.type === 'RoundSettled' ? e.settlements : e.refunds;
        for (const p of new Set(bets.map((b) => b.playerId))) {
          const record = (await store.games.recentPlayerRounds(p, 100)).find((r) => r.roundId === e.roundId);
          expect(record, `${p} has a record of ${e.roundId}`).to.not.equal(undefined);
          const spotsOf = (record!.bets as Array<{ betId: string; spot: unknown }>).map((b) => [b.betId, b.spot]);
          expect(spotsOf).to.deep.equal(bets.filter((b) => b.playerId === p).map((b) => [b.betId, placed.get(b.betId)!.get(p)]));
        }
      }
    }
  }

  const books = await store.wallet.reconcile();
  expect(books.ok, JSON.stringify(books)).to.equal(true);
  expect(books.openHoldCount, 'every hold resolved').to.equal(0);
}

describe('records players can trust, under random interleavings (property)', function () {
  this.timeout(300_000);

  it('keeps every round record and fairness record consistent with the ledger, and the books balanced', async () => {
    await fc.assert(
      fc.asyncProperty(programArb, fc.scheduler(), async (program, s) => {
        const store = await openSqliteStore({ path: temp.file('prop') });
        const raw = store.wallet;
        const apply = raw.apply.bind(raw);
        const getAccount = raw.getAccount.bind(raw);
        try {
          const wallet = new WalletService(store.wallet, 'EUR');
          await wallet.bootstrap({ houseFloatMinor: 100_000_000, promotionsBudgetMinor: 100_000_000 });
          for (const p of PLAYERS) await wallet.openPlayerAccount(p, START_MINOR);
          // Every ledger write and balance read starts, and answers, when the scheduler says: so one
          // table's settlement can land between another's money and its record, as when a player's
          // settlements at two tables land close together.
          raw.apply = async (ops, opts) => {
            await s.schedule(Promise.resolve(), 'wallet.apply starts');
            return s.schedule(apply(ops, opts), 'wallet.apply answers');
          };
          raw.getAccount = async (id) => {
            await s.schedule(Promise.resolve(), 'wallet.getAccount starts');
            return getAccount(id);
          };
          const w = new World(store, wallet);
          let pending: Array<Promise<unknown>> = [];
          for (const [op, boundary] of program) {
            pending.push(w.run(op));
            if (boundary) {
              await s.waitFor(Promise.all(pending));
              pending = [];
            }
          }
          await s.waitFor(Promise.all(pending));
          await s.waitFor(w.finish());
          raw.apply = apply;
          raw.getAccount = getAccount;
          await checkWorld(w);
        } finally {
          raw.apply = apply;
          raw.getAccount = getAccount;
          await store.close();
        }
      }),
      { numRuns: 40, seed: 1414, endOnFailure: true },
    );
  });
});
