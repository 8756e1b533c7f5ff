/**
 * fast-check generators of hostile and careless input for the fuzz suite (hostile.test.ts): HTTP
 * requests against every route family, matchmaking requests, room messages and raw WebSocket
 * frames. Values mix the structurally plausible (right field names, wrong values) with junk, and
 * the known troublemakers: inherited property names, lone surrogates, huge or empty strings,
 * numbers at the edges of safe integers, ids of other room kinds.
 */
import fc from 'fast-check';
import { pack } from 'msgpackr';

/**
 * The own property names of the built-in prototypes. The fuzz suites run the server in their own
 * process, so a prototype pollution anywhere in it shows as a change here.
 */
export function builtInPrototypeKeys(): string[][] {
  return [Object.prototype, Array.prototype, Function.prototype].map((p) => Object.getOwnPropertyNames(p).sort());
}

export const NASTY_NAMES = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'prototype', 'valueOf', 'lobby', 'roulette-1', 'roulette-999', 'sim-1', '..', '.', '%00', '', ' '];

/** Strings of every kind: any UTF-16 (lone surrogates included), the nasty names, long ones. */
export const text = (): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 4, arbitrary: fc.string({ maxLength: 24 }) },
    // UTF-16 code units, lone surrogates included (fast-check's own units never yield one alone).
    { weight: 2, arbitrary: fc.string({ unit: fc.oneof(fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), fc.constantFrom('\ud800', '\udfff')), maxLength: 24 }) },
    { weight: 2, arbitrary: fc.constantFrom(...NASTY_NAMES) },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 8 }) },
    { weight: 1, arbitrary: fc.integer({ min: 65, max: 6000 }).map((n) => 'x'.repeat(n)) },
  );

export const number = (): fc.Arbitrary<number> =>
  fc.oneof(fc.integer(), fc.double(), fc.constantFrom(0, -1, 1.5, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER + 2, -Number.MAX_SAFE_INTEGER, 1e308, -0));

/** Any JSON-ish value, shallow enough for a body or a message. */
export const value = (): fc.Arbitrary<unknown> =>
  fc.oneof(
    { weight: 3, arbitrary: fc.oneof(text(), number(), fc.boolean(), fc.constant(null)) },
    { weight: 2, arbitrary: fc.anything({ maxDepth: 3, maxKeys: 5, key: text() }) },
    { weight: 1, arbitrary: fc.array(fc.oneof(text(), number()), { maxLength: 5 }) },
  );

/** An object with some of `fields` (fuzzed values) and maybe extra keys. */
export function shaped(fields: Record<string, fc.Arbitrary<unknown>>): fc.Arbitrary<Record<string, unknown>> {
  const withJunk = Object.fromEntries(Object.entries(fields).map(([k, arb]) => [k, fc.oneof({ weight: 3, arbitrary: arb }, { weight: 2, arbitrary: value() })]));
  return fc.tuple(fc.record(withJunk, { requiredKeys: [] }), fc.dictionary(text(), value(), { maxKeys: 2 })).map(([known, extra]) => ({ ...extra, ...known }));
}

const segment = (): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 4, arbitrary: text().map((s) => encodeURIComponent(s.replace(/[\uD800-\uDFFF]/g, 'x'))) },
    { weight: 1, arbitrary: fc.constantFrom('%ZZ', '%E0%A4%A', '%ED%A0%80', '..%2F..', 'a%00b', '%25') },
    { weight: 2, arbitrary: fc.constantFrom('roulette-1', 'fuzz-ev', 'ou_2.5', '1x2', 'self', 'lock') },
  );

/** Route templates of every family; `:p` is replaced by a fuzzed segment. */
const ROUTES: Array<[string, string]> = [
  ['POST', '/auth/login'], ['POST', '/auth/register'], ['GET', '/wallet'], ['GET', '/wallet/ledger'],
  ['GET', '/fairness/rounds/:p'], ['GET', '/games/recent'], ['GET', '/events'], ['POST', '/admin/events'],
  ['POST', '/admin/feed'], ['POST', '/admin/events/:p/markets/:p/:p'], ['POST', '/admin/events/:p/:p'],
  ['POST', '/admin/events/:p/settle'], ['GET', '/admin/players'], ['GET', '/admin/players/:p'],
  ['GET', '/admin/players/:p/ledger'], ['POST', '/admin/players/:p/lock'], ['POST', '/admin/players/:p/adjustments'],
  ['GET', '/admin/platform'], ['POST', '/admin/platform/processes/:p/drain'], ['GET', '/admin/audit'],
  ['GET', '/admin/risk'], ['GET', '/admin/risk/events/:p'], ['GET', '/admin/monitoring'], ['GET', '/metrics'],
  ['GET', '/readyz'], ['GET', '/healthz'], ['GET', '/colyseus/api'], ['GET', '/:p'], ['POST', '/:p/:p'],
];

const BODIES: Record<string, fc.Arbitrary<unknown>> = {
  '/auth/login': shaped({ username: text(), password: text() }),
  '/auth/register': shaped({ username: text(), password: text() }),
  '/admin/events': shaped({ eventId: text(), league: fc.constantFrom('E0', 'SP1', 'constructor', '__proto__'), home: text(), away: text(), startsAt: number(), lambdaHome: number(), lambdaAway: number() }),
  '/admin/feed': shaped({ eventId: text(), seq: number(), at: number(), type: text(), team: text(), minute: number() }),
  '/admin/players/:p/adjustments': shaped({ amountMinor: number(), idempotencyKey: text() }),
};

export interface HttpCase {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string | undefined;
}

/** `tokens`: a player's and an operator's, used on some requests. Operator requests carry no `reason`, so they refuse before acting. */
export function httpCase(tokens: { player: string; admin: string }): fc.Arbitrary<HttpCase> {
  return fc
    .record({
      route: fc.constantFrom(...ROUTES),
      segments: fc.array(segment(), { minLength: 3, maxLength: 3 }),
      method: fc.oneof({ weight: 5, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS') }),
      query: fc.oneof(fc.constant(''), fc.dictionary(fc.constantFrom('limit', 'cursor', 'q', 'points', 'x'), text(), { maxKeys: 3 }).map((q) => `?${new URLSearchParams(q as Record<string, string>)}`)),
      auth: fc.constantFrom('none', 'garbage', 'player', 'admin', 'malformed'),
      contentType: fc.constantFrom('application/json', 'application/json', 'text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=latin1', ''),
      body: fc.oneof(
        { weight: 4, arbitrary: fc.constant('shaped') },
        { weight: 2, arbitrary: value().map((v) => JSON.stringify(v) ?? 'null') },
        { weight: 1, arbitrary: fc.string({ maxLength: 40 }) },
        { weight: 1, arbitrary: fc.constantFrom('{', '{"a":', '[[[[[[[[[[', '{"reason":"\\ud800"}', '\u0000', '') },
        { weight: 1, arbitrary: fc.integer({ min: 16_000, max: 40_000 }).map((n) => JSON.stringify({ pad: 'p'.repeat(n) })) },
      ),
    })
    .chain((c) => {
      const [method0, template] = c.route;
      let i = 0;
      const path = template.replace(/:p/g, () => c.segments[i++]!);
      const shapedBody = BODIES[template] ?? shaped({ reason: fc.constant(undefined), amountMinor: number() });
      return (c.body === 'shaped' ? shapedBody.map((b) => JSON.stringify(b) ?? '{}') : fc.constant(c.body)).map((body): HttpCase => {
        const method = c.method ?? method0;
        const headers: Record<string, string> = {};
        if (c.contentType) headers['content-type'] = c.contentType;
        if (c.auth === 'garbage') headers.authorization = 'Bearer v1.garbage.garbage';
        if (c.auth === 'malformed') headers.authorization = 'Basic Zm9vOmJhcg==';
        if (c.auth === 'player') headers.authorization = `Bearer ${tokens.player}`;
        // An operator token only where the request is refused before acting: reads, or bodies without a reason.
        if (c.auth === 'admin' && (method === 'GET' || !/"reason"/.test(body ?? ''))) headers.authorization = `Bearer ${tokens.admin}`;
        return { method, path: path + c.query, headers, body: method === 'GET' || method === 'OPTIONS' ? undefined : body };
      });
    });
}

export interface MatchmakeCase {
  method: string;
  room: string;
  body: string;
  token: 'none' | 'garbage' | 'player';
}

export function matchmakeCase(eventId: string): fc.Arbitrary<MatchmakeCase> {
  return fc.record({
    method: fc.oneof({ weight: 5, arbitrary: fc.constantFrom('joinOrCreate', 'join', 'joinById', 'reconnect', 'create') }, { weight: 1, arbitrary: text().map((s) => encodeURIComponent(s.replace(/[\uD800-\uDFFF]/g, 'x'))) }),
    room: fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom('lobby', 'roulette', 'market', 'roulette-1', 'roulette-2', eventId, 'no-such-event', 'crash', 'crash-1', 'blackjack', 'blackjack-1', 'blackjack-9') },
      { weight: 2, arbitrary: segment() },
    ),
    body: fc.oneof(
      { weight: 4, arbitrary: shaped({ tableId: text(), eventId: text(), reconnectionToken: text(), filter: value() }).map((b) => JSON.stringify(b)) },
      { weight: 2, arbitrary: value().map((v) => JSON.stringify(v) ?? 'null') },
      { weight: 1, arbitrary: fc.constantFrom('{', '', 'null', '[]', '{"tableId":"\\udc00"}', '"x"') },
      { weight: 1, arbitrary: fc.integer({ min: 16_500, max: 30_000 }).map((n) => JSON.stringify({ pad: 'p'.repeat(n) })) },
    ),
    token: fc.constantFrom('none', 'garbage', 'player', 'player'),
  });
}

export interface MessageCase {
  room: 'table' | 'event' | 'lobby';
  type: string | number;
  payload: unknown;
}

const TABLE_TYPES = ['bet', 'removeBet', 'clearBets', 'clientSeed'];
const EVENT_TYPES = ['bet', 'cashOut', 'quote', 'myBets'];

export function messageCase(): fc.Arbitrary<MessageCase> {
  const spot = shaped({ kind: fc.constantFrom('straight', 'split', 'red', 'dozen', 'nope', 'constructor'), numbers: fc.array(fc.integer({ min: -2, max: 40 }), { maxLength: 8 }), index: fc.integer({ min: -1, max: 4 }) });
  const tablePayload = shaped({ betId: text(), spot, stakeMinor: number(), seed: text() });
  const eventPayload = shaped({ betId: text(), marketId: fc.constantFrom('1x2', 'ou_2.5', 'constructor', '__proto__', 'nope'), selectionId: fc.constantFrom('home', 'over', 'toString', 'x'), stakeMinor: number(), priceMilli: number(), acceptance: fc.constantFrom('exact', 'better', 'any', 'never'), offerMinor: number() });
  return fc.oneof(
    fc.record({ room: fc.constant('table' as const), type: fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...TABLE_TYPES) }, { weight: 1, arbitrary: text() }, { weight: 1, arbitrary: fc.integer({ min: -5, max: 300 }) }), payload: fc.oneof({ weight: 3, arbitrary: tablePayload }, { weight: 1, arbitrary: value() }) }),
    fc.record({ room: fc.constant('event' as const), type: fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...EVENT_TYPES) }, { weight: 1, arbitrary: text() }), payload: fc.oneof({ weight: 3, arbitrary: eventPayload }, { weight: 1, arbitrary: value() }) }),
    fc.record({ room: fc.constant('lobby' as const), type: fc.oneof(fc.constant('filter'), text()), payload: fc.oneof(shaped({ name: text(), metadata: value() }), value()) }),
  )
    .filter((m) => typeof m.type === 'number' || (m.type.length > 0 && m.type.length <= 64 && !/[\uD800-\uDFFF]/.test(m.type)))
    // A frame over WS_MESSAGE_LIMIT_BYTES (8 KiB) closes the connection (1009): the frame fuzz sends those.
    .filter((m) => pack(m.payload).length < 7 * 1024);
}

/** Protocol codes a room reads from clients (JOIN_ROOM 10, LEAVE_ROOM 12, ROOM_DATA 13, ROOM_DATA_BYTES 17, PING 9, ROOM_REQUEST and input codes) and some it does not. */
const CODES = [9, 10, 12, 13, 17, 18, 19, 20, 21, 22, 0, 1, 255];

export function frameCase(): fc.Arbitrary<{ bytes: Uint8Array; text: boolean }> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.tuple(fc.constantFrom(...CODES), fc.uint8Array({ maxLength: 64 })).map(([code, rest]) => ({ bytes: Uint8Array.from([code, ...rest]), text: false })) },
    // ROOM_DATA with a real message type (fixstr) and junk after it.
    { weight: 3, arbitrary: fc.tuple(fc.constantFrom('bet', 'removeBet', 'clearBets', 'clientSeed', 'nope'), fc.uint8Array({ maxLength: 48 })).map(([type, rest]) => ({ bytes: Uint8Array.from([13, 0xa0 | type.length, ...Buffer.from(type), ...rest]), text: false })) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 32 }).map((bytes) => ({ bytes, text: false })) },
    { weight: 1, arbitrary: fc.string({ maxLength: 40 }).map((s) => ({ bytes: Buffer.from(s), text: true })) },
    // Over the 8 KiB frame limit: the connection is closed (1009).
    { weight: 1, arbitrary: fc.integer({ min: 8 * 1024 + 1, max: 20_000 }).map((n) => ({ bytes: new Uint8Array(n).fill(13), text: false })) },
  );
}
