import { expect } from 'chai';
import { BSON, Double, Int32, Long } from 'mongodb';
import type { GameRound, PlayerRoundRecord, Transfer, User } from '../../../server/store/types.ts';
import {
  accountDoc,
  eventDoc,
  toEvent,
  holdDoc,
  journalDoc,
  long,
  playerRoundDoc,
  prefixPattern,
  roundUpsert,
  toAccount,
  toAppliedKey,
  toHoldRecord,
  toInt,
  toJournalRecord,
  toPlayerRound,
  toRound,
  toTransfer,
  toUser,
  transferDoc,
  userDoc,
  walletKeyDoc,
  type AppliedKey,
  type HoldRecord,
} from '../../../server/store/mongodb/documents.ts';
import { expectStoreError } from '../contract/helpers.ts';

/** What a document looks like after a trip through BSON, as the driver reads it back (Int64 promoted to number). */
const viaBson = <T>(doc: T): T => BSON.deserialize(BSON.serialize(doc as BSON.Document)) as T;

const throwsStoreError = (fn: () => unknown, code: string) => expectStoreError(Promise.resolve().then(fn), code);

describe('mongodb document mapping', () => {
  describe('integers', () => {
    it('reads Int64, Int32, double, bigint and plain numbers as safe JS integers', () => {
      expect(toInt(Long.fromNumber(2 ** 40), 'x')).to.equal(2 ** 40);
      expect(toInt(new Int32(-7), 'x')).to.equal(-7);
      expect(toInt(new Double(12), 'x')).to.equal(12);
      expect(toInt(12n, 'x')).to.equal(12);
      expect(toInt(Number.MAX_SAFE_INTEGER, 'x')).to.equal(Number.MAX_SAFE_INTEGER);
    });

    it('calls anything else corruption', async () => {
      for (const bad of [1.5, '3', null, undefined, {}, 2n ** 60n, Long.fromString('9007199254740993'), Number.NaN]) {
        await throwsStoreError(() => toInt(bad, 'x'), 'store/corrupt');
      }
    });

    it('writes integers as Int64 and refuses non-integers as a caller error', async () => {
      const written = long(1_700_000_000_000);
      expect(Long.isLong(written)).to.equal(true);
      expect(written.toNumber()).to.equal(1_700_000_000_000);
      for (const bad of [1.5, Number.NaN, 2 ** 53, Number.POSITIVE_INFINITY]) {
        await throwsStoreError(() => long(bad, 'amountMinor'), 'store/invalid_argument');
      }
    });

    it('stores money as BSON Int64, never as a double', () => {
      const bytes = BSON.serialize(accountDoc({ id: 'p', kind: 'player', currency: 'EUR', balanceMinor: 5, heldMinor: 0, createdAt: 1 }));
      const raw = BSON.deserialize(bytes, { promoteLongs: false });
      expect(Long.isLong(raw.balanceMinor)).to.equal(true);
      expect(Long.isLong(raw.createdAt)).to.equal(true);
    });
  });

  it('round-trips an account', () => {
    const account = { id: 'player:1', kind: 'player' as const, currency: 'EUR', balanceMinor: -12, heldMinor: 30, createdAt: 1_700_000_000_123 };
    const doc = accountDoc(account);
    expect(doc._id).to.equal('player:1');
    expect(toAccount(viaBson(doc))).to.deep.equal(account);
  });

  it('round-trips a transfer, its seq being the _id and the id its decimal string', () => {
    const t: Transfer = {
      id: '42', seq: 42, key: 'bet:1:reserve', fromAccountId: 'a', toAccountId: 'sys:escrow', amountMinor: 500,
      kind: 'reserve', holdId: 'bet:1:reserve', memo: null, createdAt: 1_700_000_000_000, ownerAccountId: 'a', ownerBalanceAfterMinor: 1_234,
    };
    const doc = transferDoc(t);
    expect((doc._id as Long).toNumber()).to.equal(42);
    expect(toTransfer(viaBson(doc))).to.deep.equal(t);
  });

  it('round-trips a hold with its reserve seq', () => {
    const record: HoldRecord = {
      hold: { id: 'bet:1', accountId: 'a', amountMinor: 300, status: 'captured', capturedMinor: 120, createdAt: 10, resolvedAt: 20 },
      reserveSeq: 7,
    };
    expect(toHoldRecord(viaBson(holdDoc(record)))).to.deep.equal(record);
    const open: HoldRecord = { hold: { ...record.hold, status: 'open', capturedMinor: 0, resolvedAt: null }, reserveSeq: 8 };
    expect(toHoldRecord(viaBson(holdDoc(open)))).to.deep.equal(open);
  });

  it('round-trips an applied idempotency key', () => {
    const key: AppliedKey = { key: 'settle:1', fingerprint: '["capture"]', transferSeqs: [9, 10], holdId: 'bet:1', callId: 'abc-1', createdAt: 5 };
    expect(toAppliedKey(viaBson(walletKeyDoc(key)))).to.deep.equal(key);
  });

  it('round-trips a user and keys the username in lower case (full Unicode)', () => {
    const user: User = { id: 'u1', username: 'ÅsaÖberg', passwordHash: 'scrypt$x', role: 'operator', status: 'locked', createdAt: 1 };
    const doc = userDoc(user);
    expect(doc.usernameKey).to.equal('åsaöberg');
    expect(toUser(viaBson(doc))).to.deep.equal(user);
  });

  it('stores journal data as JSON text and returns its JSON round-trip', () => {
    const doc = journalDoc('roulette:t1', 3, 'bet_placed', JSON.stringify({ $weird: 1, 'a.b': [1, null], big: 2 ** 40 }), 99);
    expect(doc.data).to.be.a('string');
    expect(toJournalRecord(viaBson(doc))).to.deep.equal({ roomId: 'roulette:t1', seq: 3, type: 'bet_placed', data: { $weird: 1, 'a.b': [1, null], big: 2 ** 40 }, at: 99 });
  });

  describe('game rounds', () => {
    const round: GameRound = {
      roundId: 't:1', tableId: 't', game: 'roulette', nonce: 1, serverSeedHash: 'h', serverSeed: null, clientSeed: null,
      result: null, status: 'open', openedAt: 10, finishedAt: null,
    };

    it('sets non-null fields and status, and leaves nulls to the stored value (null on insert)', () => {
      const update = roundUpsert(round);
      expect(update.$set).to.deep.equal({ status: 'open', serverSeedHash: 'h', openedAt: Long.fromNumber(10) });
      expect(update.$setOnInsert).to.deep.equal({
        tableId: 't', game: 'roulette', nonce: Long.fromNumber(1), serverSeed: null, clientSeed: null, result: null, finishedAt: null, clientSeeds: null,
      });
    });

    it('never names a field in both $set and $setOnInsert (MongoDB refuses that)', () => {
      const reveal = roundUpsert({ ...round, serverSeedHash: null, serverSeed: 's', clientSeed: 'c', result: 17, status: 'drawn', openedAt: null, finishedAt: 20 });
      const both = Object.keys(reveal.$set!).filter((k) => k in reveal.$setOnInsert!);
      expect(both).to.deep.equal([]);
      expect(reveal.$set).to.deep.include({ serverSeed: 's', clientSeed: 'c', result: Long.fromNumber(17), status: 'drawn' });
    });

    it('reads a round back', () => {
      const doc = viaBson({ _id: 't:1', tableId: 't', game: 'roulette', nonce: Long.fromNumber(1), serverSeedHash: 'h', serverSeed: null, clientSeed: null, result: null, status: 'open' as const, openedAt: Long.fromNumber(10), finishedAt: null });
      expect(toRound(doc)).to.deep.equal({ ...round, clientSeeds: null });
      expect(toRound(viaBson({ ...doc, clientSeed: 'c', clientSeeds: ['a', 'b'] })).clientSeeds).to.deep.equal(['a', 'b']);
    });

    it('round-trips a player round, one row per (user, round)', () => {
      const row: PlayerRoundRecord = {
        userId: 'u:1', roundId: 't:2', tableId: 't', game: 'roulette', result: 0, bets: [{ betId: 'b1', picks: [1, 2] }],
        stakeMinor: 10, payoutMinor: 0, balanceBeforeMinor: 100, balanceAfterMinor: 90, settledAt: 1_700_000_000_000,
      };
      const doc = playerRoundDoc(row);
      expect(doc._id).to.equal(JSON.stringify(['u:1', 't:2']));
      expect(playerRoundDoc({ ...row, userId: 'u', roundId: ':1:t:2' })._id).to.not.equal(doc._id);
      expect(toPlayerRound(viaBson(doc))).to.deep.equal(row);
    });
  });

  it('keeps an event listing as JSON text, indexed by status and start time', () => {
    const event = {
      eventId: 'ev1', status: 'in_play' as const, league: 'E0', home: 'A', away: 'B', lambdaHome: 1.4, lambdaAway: 1.1,
      startsAt: 1_700_000_000_000, minute: 12, score: { home: 1, away: 0 }, updatedAt: 1_700_000_000_500,
    };
    const doc = eventDoc(event);
    expect(doc).to.deep.include({ _id: 'ev1', status: 'in_play', data: JSON.stringify(event) });
    expect(Long.isLong(doc.startsAt)).to.equal(true);
    expect(toEvent(viaBson(doc))).to.deep.equal(event);
  });

  describe('prefix patterns', () => {
    const prefixes = ['roulette:', 'a*[', 'a%_', 'x.y+z?', '(^$)|{1}\\/', 'tab\tand space ', 'nul\0', 'åäö:🎲', '', '-]#'];
    const samples = (p: string) => [p, `${p}1`, `${p}\n`, `X${p}`, p.slice(0, -1), p.toUpperCase(), `${p.slice(0, -1)}?`, `${p}${p}`];

    it('matches exactly the strings that start with the prefix', () => {
      for (const prefix of prefixes) {
        const re = new RegExp(prefixPattern(prefix));
        for (const s of samples(prefix)) expect(re.test(s), `${JSON.stringify(prefix)} vs ${JSON.stringify(s)}`).to.equal(s.startsWith(prefix));
      }
    });

    it('escapes every ASCII character that is not a letter or digit, and writes control characters as \\xhh', () => {
      expect(prefixPattern('a*[')).to.equal('^a\\*\\[');
      expect(prefixPattern('n\0')).to.equal('^n\\x00');
      expect(prefixPattern('é:')).to.equal('^é\\:');
      expect(prefixPattern('')).to.equal('^');
    });
  });
});
