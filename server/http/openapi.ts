/**
 * The HTTP API's description: one entry per route, with the zod schemas the route validates with
 * (exported by its module), who may call it, its main reply and its own typed errors. The shared
 * conventions (error body, auth refusals, body limits, draining) are added by openapi-build.ts.
 * Served as `GET /openapi.json` and `GET /docs/api` (server/http/api-docs.ts).
 *
 * Adding a route? Add its entry here: test/server/openapi.test.ts compares this list with every
 * route the running server registers and names the ones missing on either side.
 */
import { monitor } from '@colyseus/monitor';
import { z } from 'zod';
import { feedMessageSchema, priceMessageSchema } from '../../actors/sportsbook/index.ts';
import { createSchema, eventId, eventPath, marketAction, marketId, resettleSchema, settleEventSchema } from '../../rooms/market/routes.ts';
import { ROUND_ID } from '../../rooms/roulette/routes.ts';
import { SHOE_ID } from '../../rooms/blackjack/routes.ts';
import { adjustmentBody, headerIdempotencyKey, monitoringQuery, pageQuery, pathId, playerSearchQuery } from '../admin/schemas.ts';
import { factorBody } from '../admin/stake-factors.ts';
import { vipTierBody } from '../profiles/routes.ts';
import { credentialsSchema } from '../auth/service.ts';
import { depositBody, idemKey, paymentIdParam, reconcileBody, reviewBody, searchQuery, withdrawalBody } from '../payments/routes.ts';
import { refitBody } from '../pricing/routes.ts';
import { deviceIdHeader, graphQuery, queueQuery, resolveBody } from '../risk/routes.ts';
import { builderQuoteSchema, cashOutSlipSchema, placeSlipSchema } from '../../protocol/slips.ts';
import { buildOpenApi, type RouteDoc } from './openapi-build.ts';
import * as reply from './openapi-responses.ts';
import { disabled, promotionDocs, protectionDocs, reasonOnly } from './openapi-care.ts';
import { METHODS, ROOM_NAME, optionsSchema } from './matchmake.ts';
import { ledgerQuery, loginSchema } from './routes.ts';

const TAGS = [
  { name: 'health', description: 'Liveness, readiness and metrics.' },
  { name: 'auth', description: 'Registration and login (docs/API.md#auth).' },
  { name: 'wallet', description: 'The player\'s balance and ledger.' },
  { name: 'tables', description: 'Casino tables: fairness proofs and game recall.' },
  { name: 'matchmaking', description: 'Seats in rooms, as the Colyseus SDK asks for them before opening the WebSocket.' },
  { name: 'events', description: 'Live events: the listing, and operators\' event creation, feeds and market controls.' },
  { name: 'slips', description: 'Multiples: accumulators, system bets and bet builders across events, with their cash-out (docs/SPORTSBOOK.md#multiples).' },
  { name: 'payments', description: 'The cashier: deposits, withdrawals, the PSP\'s webhook, operators\' review and reconciliation. `503 payments/disabled` when no PSP is configured.' },
  { name: 'promotions', description: 'Bonus money and campaigns (docs/PROMOTIONS.md): players\' offers, claims, bonus and free bets; operators\' campaigns and bonus corrections (audited).' },
  { name: 'protection', description: 'Player protection and compliance: limits, time-outs, self-exclusion, reality checks, KYC, AML cases, regulator reports, game recall (docs/COMPLIANCE.md).' },
  { name: 'admin', description: 'The operator console\'s API: monitoring, risk, players, pricing, platform controls, audit log.' },
  { name: 'web', description: 'The browser apps, this API\'s description, and the Colyseus monitor.' },
];

const roundIdParam = z.string().regex(ROUND_ID).meta({ description: '`<tableId>:<number>`' });
const shoeIdParam = z.string().regex(SHOE_ID).meta({ description: '`<tableId>:shoe-<number>`' });
const idempotencyHeader = { 'Idempotency-Key': { schema: idemKey, description: 'A repeat with the same key returns the first payment.' } };
/** The room calls of the market and event controls: the event's refusals come back as 409. */
const EVENT_REFUSALS = ['market/not_found', 'market/no_change', 'market/closed', 'market/not_settled', 'event/no_change', 'event/closed', 'event/score_conflict', 'command/invalid'];

function health(): RouteDoc[] {
  return [
    { method: 'get', path: '/healthz', tag: 'health', auth: 'none', summary: 'Liveness', duringDrain: true, ok: { status: 200, description: 'the process is alive', schema: reply.okReply, name: 'OkReply' } },
    {
      method: 'get', path: '/readyz', tag: 'health', auth: 'none', summary: 'Readiness: the store (and Redis, when configured) answer and the process is not draining', duringDrain: true,
      ok: { status: 200, description: 'ready', schema: reply.readinessReply, name: 'Readiness' },
      also: [{ status: 503, description: 'not ready: the failing check says why', schema: reply.readinessReply, name: 'Readiness' }],
    },
    { method: 'get', path: '/__healthcheck', tag: 'health', auth: 'none', stack: 'framework', summary: 'Colyseus\' own health check', ok: { status: 200, description: '`OK`', media: 'text/plain' } },
    { method: 'get', path: '/metrics', tag: 'health', auth: 'metrics', summary: 'Prometheus metrics (stakes and payouts: not public)', ok: { status: 200, description: 'Prometheus text format', media: 'text/plain' } },
  ];
}

function auth(): RouteDoc[] {
  // Published with the registration or login to the risk service, which links accounts by it (docs/FRAUD.md).
  const device = { 'X-Device-Id': { schema: deviceIdHeader, description: 'The client\'s device id (the web app keeps one per browser).' } };
  return [
    {
      method: 'post', path: '/auth/register', tag: 'auth', auth: 'none', summary: 'Registers a player (credited the demo balance once)', headers: device,
      body: credentialsSchema, bodyName: 'Credentials', ok: { status: 201, description: 'the new player\'s session', schema: reply.sessionReply, name: 'Session' },
      errors: { 409: ['auth/username_taken'], 429: ['http/rate_limited'] },
    },
    {
      method: 'post', path: '/auth/login', tag: 'auth', auth: 'none', summary: 'Logs in', body: loginSchema, bodyName: 'Login', headers: device,
      ok: { status: 200, description: 'a session', schema: reply.sessionReply, name: 'Session' },
      errors: { 401: ['auth/invalid_credentials'], 403: ['auth/account_locked'], 429: ['auth/too_many_failures', 'http/rate_limited'] },
    },
  ];
}

function wallet(): RouteDoc[] {
  return [
    { method: 'get', path: '/wallet', tag: 'wallet', auth: 'player', summary: 'The caller\'s balance', ok: { status: 200, description: 'balance = available + held', schema: reply.walletReply, name: 'Wallet' }, errors: { 404: ['wallet/unknown_account'] } },
    { method: 'get', path: '/wallet/ledger', tag: 'wallet', auth: 'player', summary: 'The caller\'s ledger transfers, newest first', query: ledgerQuery, ok: { status: 200, description: 'one page; `nextCursor` null on the last', schema: reply.ledgerPageReply, name: 'LedgerPage' } },
  ];
}

function tables(): RouteDoc[] {
  return [
    {
      method: 'get', path: '/fairness/rounds/{roundId}', tag: 'tables', auth: 'none', summary: 'A round\'s provably-fair record', params: { roundId: roundIdParam },
      ok: { status: 200, description: 'the seeds, their hash and the result (docs/FAIRNESS.md)', schema: reply.roundProofReply, name: 'RoundProof' }, errors: { 404: ['fairness/round_not_found'] },
    },
    {
      method: 'get', path: '/fairness/shoes/{shoeId}', tag: 'tables', auth: 'none', summary: 'A blackjack shoe\'s provably-fair record', params: { shoeId: shoeIdParam },
      ok: { status: 200, description: 'the commitment, the client seed and (once the shoe is finished) the server seed (docs/FAIRNESS.md#provably-fair-blackjack)', schema: reply.shoeProofReply, name: 'ShoeProof' }, errors: { 404: ['fairness/shoe_not_found'] },
    },
    { method: 'get', path: '/games/recent', tag: 'tables', auth: 'player', summary: 'The caller\'s last 10 finished casino rounds (roulette, crash, blackjack) with their proofs', ok: { status: 200, description: '`{ items: [round] }`: result, bets and proof per game (docs/API.md#get-gamesrecent)' } },
  ];
}

function matchmaking(): RouteDoc[] {
  return [{
    method: 'post', path: '/matchmake/{method}/{roomName}', tag: 'matchmaking', auth: 'player', stack: 'edge',
    summary: 'Reserves a seat in a room (join, joinById, joinOrCreate, reconnect; create is refused)',
    description: 'Answered by the HTTP edge, not Colyseus\' default route. The token is checked by the room type\'s `onAuth` before any seat is reserved. Error bodies also carry a top-level `message` (the SDK shows it).',
    params: { method: z.enum([...METHODS, 'create']), roomName: z.string().regex(ROOM_NAME) },
    body: optionsSchema, bodyName: 'JoinOptions', bodyOptional: true, bodyError: 'matchmake/invalid_options',
    ok: { status: 200, description: 'a seat reservation', schema: reply.reservationReply, name: 'SeatReservation' },
    errors: {
      400: ['http/invalid_json', 'http/invalid_text'], 403: ['matchmake/create_forbidden'],
      404: ['http/not_found', 'matchmake/unknown_method', 'matchmake/unknown_room_type', 'matchmake/room_not_found', 'table/not_found', 'event/not_found'],
      409: ['matchmake/room_locked'], 410: ['matchmake/reconnect_failed'], 415: ['http/unsupported_encoding'],
      429: ['matchmake/rate_limited', 'room/flood_banned', 'room/too_many_connections'], 503: ['matchmake/room_full'],
    },
  }];
}

function events(): RouteDoc[] {
  const marketParams = { eventId, marketId };
  const control = (action: string, summary: string): RouteDoc => ({
    method: 'post', path: `/admin/events/{eventId}/markets/{marketId}/${action}`, tag: 'events', auth: 'operator', summary, params: marketParams,
    body: action === 'resettle' ? resettleSchema : marketAction, bodyName: action === 'resettle' ? 'ResettleBody' : 'MarketActionBody',
    ok: { status: 200, description: 'the journaled event types', schema: reply.commandReply, name: 'CommandReply' }, errors: { 404: ['event/not_found'], 409: EVENT_REFUSALS },
  });
  const eventControl = (action: string, summary: string, body: z.ZodType, bodyName: string): RouteDoc => ({
    method: 'post', path: `/admin/events/{eventId}/${action}`, tag: 'events', auth: 'operator', summary, params: eventPath.shape, body, bodyName,
    ok: { status: 200, description: 'the journaled event types', schema: reply.commandReply, name: 'CommandReply' }, errors: { 404: ['event/not_found'], 409: EVENT_REFUSALS },
  });
  return [
    { method: 'get', path: '/events', tag: 'events', auth: 'none', summary: 'Scheduled and in-play events, soonest kick-off first', ok: { status: 200, description: 'the listing', schema: reply.eventsReply, name: 'EventList' } },
    {
      method: 'post', path: '/admin/events', tag: 'events', auth: 'operator', summary: 'Creates an event and opens its room', body: createSchema, bodyName: 'CreateEvent',
      ok: { status: 201, description: 'the rates it prices from', schema: reply.createdEventReply, name: 'CreatedEvent' }, errors: { 400: ['event/unknown_league'], 409: ['event/exists'] },
    },
    {
      method: 'post', path: '/admin/feed', tag: 'events', auth: 'operator', summary: 'Ingests one match feed message', body: feedMessageSchema, bodyName: 'FeedMessage', bodyError: 'feed/malformed',
      description: 'Only `eventId` is checked here; the event\'s room validates the rest and orders messages by `seq`.',
      ok: { status: 202, description: 'appended to the event\'s feed', schema: reply.acceptedReply, name: 'Accepted' }, errors: { 404: ['event/not_found'] },
    },
    {
      method: 'post', path: '/admin/prices', tag: 'events', auth: 'operator', summary: 'Market prices of an event (the price feed over HTTP)', body: priceMessageSchema, bodyName: 'PriceMessage', bodyError: 'prices/malformed',
      ok: { status: 202, description: 'appended to the event\'s price feed', schema: reply.acceptedReply, name: 'Accepted' }, errors: { 404: ['event/not_found'], 503: ['prices/unavailable'] },
    },
    control('suspend', 'Suspends one market'),
    control('resume', 'Lifts an operator suspension of one market and re-prices'),
    control('void', 'Voids a market (stakes refunded); on a settled market, a re-settlement to void'),
    control('resettle', 'Corrects the result of a settled or void market'),
    eventControl('suspend', 'Suspends every market of the event', marketAction, 'MarketActionBody'),
    eventControl('resume', 'Lifts the event suspension (automatic ones too) and re-prices', marketAction, 'MarketActionBody'),
    eventControl('settle', 'Results an event by hand from its final score', settleEventSchema, 'SettleEventBody'),
  ];
}

function slips(): RouteDoc[] {
  const id = { slipId: pathId };
  const slip = 'a slip with its legs, lines, status and payout (docs/API.md#slips)';
  const refused = ['slip/same_event', 'slip/stake_limit', 'slip/payout_limit', 'slip/duplicate', 'slip/leg_refused'];
  return [
    {
      method: 'post', path: '/slips', tag: 'slips', auth: 'player', summary: 'Places an accumulator, a system bet or a bet-builder slip (stake held once; every leg accepted or the slip refused)', body: placeSlipSchema, bodyName: 'PlaceSlipBody',
      ok: { status: 201, description: `${slip}; 200 with \`replayed: true\` for a repeat of the same slip id` },
      errors: { 400: ['slip/invalid', 'builder/invalid_selection', 'builder/same_market', 'builder/impossible'], 409: [...refused, 'wallet/insufficient_funds'], 503: ['slip/busy', 'slip/leg_unavailable'] },
    },
    {
      method: 'post', path: '/slips/builder-quote', tag: 'slips', auth: 'player', summary: 'Prices a bet builder (selections of one event) from the model\'s joint score distribution', body: builderQuoteSchema, bodyName: 'BuilderQuoteBody',
      ok: { status: 200, description: '`{ eventId, priceMilli, probability }`' },
      errors: { 400: ['builder/invalid_selection', 'builder/same_market', 'builder/impossible'], 404: ['event/not_found'], 503: ['slip/leg_unavailable'] },
    },
    { method: 'get', path: '/slips', tag: 'slips', auth: 'player', summary: 'The caller\'s slips, newest first', ok: { status: 200, description: `\`{ items: [${slip}] }\`` } },
    { method: 'get', path: '/slips/{slipId}', tag: 'slips', auth: 'player', summary: 'One of the caller\'s slips', params: id, ok: { status: 200, description: `\`{ slip }\`: ${slip}` }, errors: { 404: ['slip/not_found'] } },
    { method: 'get', path: '/slips/{slipId}/cash-out', tag: 'slips', auth: 'player', summary: 'The current cash-out offer of an open slip', params: id, ok: { status: 200, description: '`{ slipId, offerMinor }`' }, errors: { 404: ['slip/not_found'], 409: ['cashout/unavailable'] } },
    {
      method: 'post', path: '/slips/{slipId}/cash-out', tag: 'slips', auth: 'player', summary: 'Cashes out an open slip at the offer the player saw (the single-bet delay rules apply)', params: id, body: cashOutSlipSchema, bodyName: 'SlipCashOutBody',
      ok: { status: 200, description: `\`{ slip, offerMinor }\`: ${slip}` }, errors: { 404: ['slip/not_found'], 409: ['cashout/unavailable', 'cashout/offer_changed', 'cashout/pending'] },
    },
  ];
}

function payments(): RouteDoc[] {
  const id = { id: paymentIdParam };
  const payment = 'a payment (docs/API.md#payments)';
  return [
    {
      method: 'post', path: '/payments/webhook', tag: 'payments', auth: 'webhook', summary: 'The PSP\'s signed events',
      ok: { status: 200, description: '`{ received: true }`, with `ignored: <code>` for a well-signed event not acted on' },
      errors: { 400: ['payments/bad_webhook'], 401: ['payments/bad_signature'], 429: ['payments/rate_limited'], ...disabled },
    },
    {
      method: 'post', path: '/payments/deposits', tag: 'payments', auth: 'player', summary: 'Starts a card deposit (hosted checkout)', body: depositBody, bodyName: 'DepositBody', headers: idempotencyHeader,
      ok: { status: 201, description: `${payment}, pending, with its checkoutUrl` },
      errors: { 400: ['payments/amount_out_of_range', 'http/invalid_header'], 409: ['payments/daily_limit'], 429: ['payments/too_many_open', 'payments/too_many_today'], 503: ['payments/provider_unavailable', 'payments/disabled'] },
    },
    {
      method: 'post', path: '/payments/withdrawals', tag: 'payments', auth: 'player', summary: 'Requests a withdrawal to a card deposited with (held at once)', body: withdrawalBody, bodyName: 'WithdrawalBody', headers: idempotencyHeader,
      ok: { status: 201, description: payment },
      errors: { 400: ['payments/amount_out_of_range', 'payments/unknown_instrument', 'http/invalid_header'], 409: ['payments/insufficient_funds', 'risk/withdrawal_held'], 429: ['payments/too_many_open', 'payments/too_many_today'], ...disabled },
    },
    {
      method: 'post', path: '/payments/withdrawals/{id}/cancel', tag: 'payments', auth: 'player', summary: 'Cancels a withdrawal not yet sent to the PSP', params: id,
      ok: { status: 200, description: payment }, errors: { 404: ['payments/not_found'], 409: ['payments/not_cancellable', 'payments/reversal_disabled'], ...disabled },
    },
    { method: 'get', path: '/payments', tag: 'payments', auth: 'player', summary: 'The caller\'s latest 50 payments', ok: { status: 200, description: '`{ items: [payment] }`' }, errors: disabled },
    { method: 'get', path: '/payments/instruments', tag: 'payments', auth: 'player', summary: 'The cards the caller has deposited with', ok: { status: 200, description: '`{ items: [{ id, brand, last4 }] }`' }, errors: disabled },
    { method: 'get', path: '/payments/{id}', tag: 'payments', auth: 'player', summary: 'One of the caller\'s payments', params: id, ok: { status: 200, description: payment }, errors: { 404: ['payments/not_found'], ...disabled } },
    { method: 'get', path: '/admin/payments', tag: 'payments', auth: 'operator', summary: 'Searches payments (status=review: the withdrawal review queue)', query: searchQuery, ok: { status: 200, description: '`{ items: [payment] }`' }, errors: disabled },
    {
      method: 'post', path: '/admin/payments/{id}/review', tag: 'payments', auth: 'operator', summary: 'Approves or rejects a withdrawal in review (audited)', params: id, body: reviewBody, bodyName: 'ReviewBody',
      ok: { status: 200, description: payment }, errors: { 404: ['payments/not_found'], 409: ['payments/invalid_state'], ...disabled },
    },
    {
      method: 'post', path: '/admin/payments/reconcile', tag: 'payments', auth: 'operator', summary: 'Settlement reconciliation of one UTC day', body: reconcileBody, bodyName: 'ReconcileBody',
      ok: { status: 200, description: 'matched, missing and mismatched lines (docs/API.md#operator-routes-1)' }, errors: { 503: ['payments/provider_unavailable', 'payments/disabled'] },
    },
    { method: 'get', path: '/admin/payments/reconciliations', tag: 'payments', auth: 'operator', summary: 'The last 30 reconciliation results (this process)', ok: { status: 200, description: '`{ items: [result] }`' }, errors: disabled },
    { method: 'post', path: '/admin/payments/repair', tag: 'payments', auth: 'operator', summary: 'Runs the repair poller once', ok: { status: 200, description: '`{ checked, changed }`' }, errors: disabled },
  ];
}

function admin(): RouteDoc[] {
  const user = { userId: pathId };
  const notFound = { 404: ['admin/player_not_found'] };
  const playerChange = (action: 'lock' | 'unlock'): RouteDoc => ({
    method: 'post', path: `/admin/players/{userId}/${action}`, tag: 'admin', auth: 'operator', summary: action === 'lock' ? 'Locks an account (audited)' : 'Unlocks an account (audited)',
    params: user, ...reasonOnly, ok: { status: 200, description: '`{ user, changed, auditSeq }`' }, errors: { ...notFound, 403: ['admin/forbidden_target'] },
  });
  const roomLock = (action: 'lock' | 'unlock'): RouteDoc => ({
    method: 'post', path: `/admin/platform/rooms/{roomId}/${action}`, tag: 'admin', auth: 'operator', summary: action === 'lock' ? 'Locks a room against new joins (audited)' : 'Unlocks a room (audited)',
    params: { roomId: pathId }, ...reasonOnly, ok: { status: 200, description: '`{ roomId, locked, auditSeq }`' }, errors: { 404: ['admin/room_not_found'], 503: ['admin/room_unavailable'] },
  });
  const drain = (action: 'drain' | 'undrain'): RouteDoc => ({
    method: 'post', path: `/admin/platform/processes/{processId}/${action}`, tag: 'admin', auth: 'operator', summary: action === 'drain' ? 'Locks every room of a process (`self`: this one; audited)' : 'Unlocks the rooms of a process (audited)',
    params: { processId: pathId }, ...reasonOnly, ok: { status: 200, description: '`{ processId, rooms, failed, auditSeq }`' }, errors: { 404: ['admin/process_not_found'] },
  });
  return [
    { method: 'get', path: '/admin/monitoring', tag: 'admin', auth: 'operator', summary: 'Live figures of this process and the cluster\'s processes', query: monitoringQuery, ok: { status: 200, description: '`{ processId, intervalMs, current, processes, series }`' } },
    { method: 'get', path: '/admin/reconciliation', tag: 'admin', auth: 'operator', summary: 'The books, checked from the store', ok: { status: 200, description: '`ok` says whether they balance (docs/API.md#get-adminreconciliation)' } },
    { method: 'get', path: '/admin/audit', tag: 'admin', auth: 'operator', summary: 'The audit log, newest first', query: pageQuery, ok: { status: 200, description: '`{ items, nextCursor }`' } },
    { method: 'get', path: '/admin/audit/verify', tag: 'admin', auth: 'operator', summary: 'Re-hashes the audit log\'s chain', ok: { status: 200, description: '`{ ok, entries, headHash, firstBadSeq, problem }`' } },
    { method: 'get', path: '/admin/risk', tag: 'admin', auth: 'operator', summary: 'Every open event\'s exposure', ok: { status: 200, description: '`{ items }`' } },
    {
      method: 'get', path: '/admin/risk/events/{eventId}', tag: 'admin', auth: 'operator', summary: 'One event\'s book, from its room', params: { eventId: pathId },
      ok: { status: 200, description: 'liabilities, limits, top players, pricing (docs/API.md#get-adminriskeventseventid)' }, errors: { 404: ['event/not_found'], 503: ['admin/room_unavailable'] },
    },
    { method: 'get', path: '/admin/players', tag: 'admin', auth: 'operator', summary: 'Accounts by username prefix', query: playerSearchQuery, ok: { status: 200, description: '`{ items: [user] }`' } },
    { method: 'get', path: '/admin/players/{userId}', tag: 'admin', auth: 'operator', summary: 'A player: wallet, debt, ledger, stakes, rounds', params: user, ok: { status: 200, description: 'docs/API.md#get-adminplayersuserid' }, errors: notFound },
    { method: 'get', path: '/admin/players/{userId}/ledger', tag: 'admin', auth: 'operator', summary: 'A player\'s ledger, paged', params: user, query: pageQuery, ok: { status: 200, description: 'one page', schema: reply.ledgerPageReply, name: 'LedgerPage' }, errors: notFound },
    playerChange('lock'),
    playerChange('unlock'),
    {
      method: 'post', path: '/admin/players/{userId}/adjustments', tag: 'admin', auth: 'operator', summary: 'A manual balance adjustment (idempotent, audited)', params: user,
      body: adjustmentBody, bodyName: 'AdjustmentBody', headers: { 'Idempotency-Key': { schema: headerIdempotencyKey, description: 'Unique per adjustment; or `idempotencyKey` in the body (one of them is required).' } },
      ok: { status: 201, description: '`{ replayed: false, transferId, amountMinor, wallet, auditSeq }`' },
      also: [{ status: 200, description: 'the same request again: `replayed: true`, the first transfer, nothing moved' }],
      errors: { 400: ['admin/idempotency_key_required', 'http/invalid_header'], 403: ['admin/forbidden_target'], 404: ['admin/player_not_found', 'wallet/unknown_account'], 409: ['wallet/insufficient_funds', 'wallet/idempotency_conflict'] },
    },
    { method: 'get', path: '/admin/players/{userId}/stake-factor', tag: 'admin', auth: 'operator', summary: 'A player\'s stake factor', params: user, ok: { status: 200, description: 'the factor', schema: reply.stakeFactorReply, name: 'StakeFactor' }, errors: notFound },
    {
      method: 'put', path: '/admin/players/{userId}/stake-factor', tag: 'admin', auth: 'operator', summary: 'Sets a player\'s stake factor (audited)', params: user, body: factorBody, bodyName: 'StakeFactorBody',
      ok: { status: 200, description: 'the factor in force', schema: reply.stakeFactorReply, name: 'StakeFactor' }, errors: notFound,
    },
    { method: 'get', path: '/admin/players/{userId}/profile', tag: 'admin', auth: 'operator', summary: 'A player\'s profile: country, VIP tier', params: user, ok: { status: 200, description: 'docs/API.md#get-adminplayersuseridprofile' }, errors: notFound },
    {
      method: 'put', path: '/admin/players/{userId}/vip-tier', tag: 'admin', auth: 'operator', summary: 'Sets or clears a player\'s VIP tier (audited)', params: user, body: vipTierBody, bodyName: 'VipTierBody',
      ok: { status: 200, description: 'the profile after the change' }, errors: { ...notFound, 400: ['profile/invalid_tier'] },
    },
    ...fraud(),
    { method: 'get', path: '/admin/pricing/model', tag: 'admin', auth: 'operator', summary: 'The pricing model new events are priced with', ok: { status: 200, description: 'docs/API.md#get-adminpricingmodel' } },
    {
      method: 'post', path: '/admin/pricing/refit', tag: 'admin', auth: 'operator', summary: 'Refits the pricing model now (audited)', body: refitBody, bodyName: 'RefitBody',
      ok: { status: 200, description: 'the version in force', schema: reply.refitReply, name: 'Refit' }, errors: { 409: ['pricing/refit_unavailable'], 500: ['pricing/refit_failed'] },
    },
    { method: 'get', path: '/admin/platform', tag: 'admin', auth: 'operator', summary: 'Processes, rooms and table configuration', ok: { status: 200, description: 'docs/API.md#get-adminplatform' } },
    roomLock('lock'),
    roomLock('unlock'),
    drain('drain'),
    drain('undrain'),
  ];
}

/** The risk service's console (docs/FRAUD.md); in a cluster the server forwards these to the risk process. */
function fraud(): RouteDoc[] {
  const user = { userId: pathId };
  const unknown = { 404: ['risk/unknown_player'], 503: ['risk/unavailable'] };
  return [
    { method: 'get', path: '/admin/fraud/queue', tag: 'admin', auth: 'operator', summary: 'The risk review queue, newest first', query: queueQuery, ok: { status: 200, description: '`{ items: [{ playerId, at, policy, reasons, score, status }], open }`' }, errors: { 503: ['risk/unavailable'] } },
    { method: 'get', path: '/admin/fraud/players/{userId}', tag: 'admin', auth: 'operator', summary: 'A player\'s risk profile: features, links, score history, reasons, actions', params: user, ok: { status: 200, description: 'docs/API.md#get-adminfraudplayersuserid' }, errors: unknown },
    { method: 'get', path: '/admin/fraud/graph', tag: 'admin', auth: 'operator', summary: 'Linked groups of accounts with their edges', query: graphQuery, ok: { status: 200, description: '`{ groups: [{ size, members, edges }] }`' }, errors: { 503: ['risk/unavailable'] } },
    {
      method: 'post', path: '/admin/fraud/players/{userId}/resolve', tag: 'admin', auth: 'operator', summary: 'Resolves a player\'s open reviews (audited)', params: user, body: resolveBody, bodyName: 'ResolveBody',
      ok: { status: 200, description: '`{ playerId, resolved }`' }, errors: unknown,
    },
  ];
}

/** The monitor's query schemas are its own (zod, in @colyseus/monitor's endpoints). */
function monitorRoutes(): RouteDoc[] {
  const endpoints = monitor() as unknown as Record<string, { options: { query?: z.ZodObject } }>;
  const page = { status: 200, description: 'the monitor\'s single-page app', media: '*/*' } as const;
  const api = (path: string, key: string, summary: string): RouteDoc => ({
    method: 'get', path, tag: 'web', auth: 'admin', summary, query: endpoints[key]?.options.query, ok: { status: 200, description: 'JSON (the monitor\'s own shape)' },
  });
  return [
    { method: 'get', path: '/colyseus/', tag: 'web', auth: 'admin', summary: 'The @colyseus/monitor dashboard', ok: page },
    { method: 'get', path: '/colyseus/{splat}', tag: 'web', auth: 'admin', summary: 'The dashboard\'s static files (`splat` may hold slashes)', ok: page },
    api('/colyseus/api', 'monitor-api-rooms', 'The monitor\'s room list'),
    api('/colyseus/api/room', 'monitor-api-room', 'One room\'s inspection data'),
    api('/colyseus/api/room/call', 'monitor-api-room-call', 'Calls a room method (the dashboard\'s actions)'),
  ];
}

function web(): RouteDoc[] {
  const limited = { 429: ['http/rate_limited'] };
  return [
    { method: 'get', path: '/', tag: 'web', auth: 'none', summary: 'The player web app', ok: { status: 200, description: 'HTML (503 with how to build it when web/dist is missing)', media: 'text/html' } },
    { method: 'get', path: '/admin', tag: 'web', auth: 'none', summary: 'The operator console (its API calls need an operator token)', ok: { status: 200, description: 'HTML', media: 'text/html' } },
    { method: 'get', path: '/assets/{file}', tag: 'web', auth: 'none', summary: 'The web apps\' bundled scripts and styles', ok: { status: 200, description: 'a static file', media: '*/*' } },
    { method: 'get', path: '/openapi.json', tag: 'web', auth: 'none', summary: 'This document (OpenAPI 3.1)', ok: { status: 200, description: 'the OpenAPI document' }, errors: limited },
    { method: 'get', path: '/docs/api', tag: 'web', auth: 'none', summary: 'This document as a page', ok: { status: 200, description: 'HTML', media: 'text/html' }, errors: limited },
    { method: 'get', path: '/docs/api.css', tag: 'web', auth: 'none', summary: 'The page\'s stylesheet', ok: { status: 200, description: 'CSS', media: 'text/css' }, errors: limited },
    ...monitorRoutes(),
  ];
}

/** Every route of the HTTP API. */
export function apiRoutes(): RouteDoc[] {
  return [...health(), ...auth(), ...wallet(), ...tables(), ...matchmaking(), ...events(), ...slips(), ...payments(), ...promotionDocs(), ...protectionDocs(), ...admin(), ...web()];
}

let cached: Record<string, unknown> | null = null;

/** The OpenAPI 3.1 document (built once per process: the schemas do not change at run time). */
export function openApiDocument(): Record<string, unknown> {
  return (cached ??= buildOpenApi({
    title: 'casino-live-server HTTP API',
    version: '1',
    description: [
      'The HTTP side of the casino and sportsbook server (docs/API.md). Bodies are JSON, at most `HTTP_BODY_LIMIT_BYTES`; money is integer minor units.',
      'Every refusal is `{ error: { code, message, details? } }` with a code from docs/ERRORS.md; `429` answers carry `Retry-After`.',
      'Every response carries `x-request-id` and the security headers; CORS follows `CORS_ORIGINS` (preflights: `OPTIONS` on any path, 204 or 403).',
      'The game rooms themselves speak WebSocket messages, described in docs/PROTOCOL.md, not here.',
    ].join('\n\n'),
    tags: TAGS,
  }, apiRoutes()));
}
