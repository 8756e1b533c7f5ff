/**
 * The API description's routes for promotions (docs/PROMOTIONS.md) and player protection and
 * compliance (docs/COMPLIANCE.md); the rest, and the conventions, are in openapi.ts.
 */
import { adjustmentBody, headerIdempotencyKey, pageQuery, pathId, reasonBody } from '../admin/schemas.ts';
import { assignBody, caseIdParam, closeBody, listQuery as amlListQuery, noteBody } from '../aml/routes.ts';
import { identityQuery, kycReviewBody, reviewQueueQuery } from '../kyc/routes.ts';
import { actionPath, campaignBody, claimBody } from '../promotions/routes.ts';
import { fundsReturnQuery } from '../protection/funds-return-routes.ts';
import { exclusionBody, limitBody, limitKey, realityBody, sessionBody, timeOutBody, userIdParam as protectedUser } from '../protection/routes.ts';
import { recallQuery, reportQuery } from '../reports/routes.ts';
import type { RouteDoc } from './openapi-build.ts';

/** Shared by openapi.ts: an operator action whose body is only its reason; a cashier route without a PSP. */
export const reasonOnly = { body: reasonBody, bodyName: 'ReasonBody' } as const;
export const disabled = { 503: ['payments/disabled'] };

export function promotionDocs(): RouteDoc[] {
  const campaign = { campaignId: pathId };
  const user = { userId: pathId };
  const bonus = '`{ bonus: null | bonus view }` (docs/API.md#promotions)';
  const claimErrors = ['promo/not_active', 'promo/not_started', 'promo/ended', 'promo/blocked', 'promo/already_claimed', 'promo/not_eligible', 'promo/deposit_too_small', 'promo/budget_spent', 'promo/nothing_due', 'promo/bonus_active', 'promo/automatic'];
  return [
    { method: 'get', path: '/promotions', tag: 'promotions', auth: 'player', summary: 'The campaigns running now, with their terms', ok: { status: 200, description: '`{ items: [{ id, name, optIn, endsAt, terms }] }`' } },
    {
      method: 'post', path: '/promotions/{campaignId}/claim', tag: 'promotions', auth: 'player', summary: 'Claims a campaign (a deposit match on one of the caller\'s deposits)', params: campaign, body: claimBody, bodyName: 'ClaimBody', bodyOptional: true,
      ok: { status: 201, description: '`{ campaignId, award, replayed, bonus }`' }, errors: { 400: ['promo/deposit_required'], 404: ['promo/not_found'], 409: claimErrors, 501: ['promo/unsupported_award'] },
    },
    { method: 'get', path: '/promotions/bonus', tag: 'promotions', auth: 'player', summary: 'The caller\'s bonus: balance apart from cash, wagering progress, expiry', ok: { status: 200, description: bonus } },
    { method: 'get', path: '/promotions/tokens', tag: 'promotions', auth: 'player', summary: 'The caller\'s unused bet tokens (free bets, profit boosts)', ok: { status: 200, description: '`{ items: [{ tokenId, kind, campaignId, name, minPriceMilli, expiresAt, stakeMinor (free_bet) | boostPct, maxExtraMinor (profit_boost) }] }`' } },
    { method: 'get', path: '/admin/promotions', tag: 'promotions', auth: 'operator', summary: 'Campaigns with their funded, spent and remaining budget', ok: { status: 200, description: '`{ items: [{ campaign, version, fundedMinor, spentMinor, remainingMinor }] }`' } },
    {
      method: 'post', path: '/admin/promotions', tag: 'promotions', auth: 'operator', summary: 'Creates a campaign and funds its budget (audited)', body: campaignBody, bodyName: 'CampaignBody',
      ok: { status: 201, description: 'the campaign' }, errors: { 400: ['promo/invalid_campaign'], 409: ['promo/campaign_exists'], 503: ['promo/budget_unfunded'] },
    },
    {
      method: 'put', path: '/admin/promotions/{campaignId}', tag: 'promotions', auth: 'operator', summary: 'Edits a campaign: same id and kind, the budget only grows (audited)', params: campaign, body: campaignBody, bodyName: 'CampaignBody',
      ok: { status: 200, description: 'the campaign' }, errors: { 400: ['promo/invalid_campaign'], 404: ['promo/not_found'], 503: ['promo/budget_unfunded'] },
    },
    {
      method: 'post', path: '/admin/promotions/{campaignId}/{action}', tag: 'promotions', auth: 'operator', summary: 'activate, pause, resume or end a campaign (audited)', params: { ...campaign, action: actionPath }, ...reasonOnly,
      ok: { status: 200, description: 'the campaign' }, errors: { 400: ['promo/invalid_campaign'], 404: ['promo/not_found'] },
    },
    {
      method: 'get', path: '/admin/promotions/{campaignId}/claims', tag: 'promotions', auth: 'operator', summary: 'A campaign\'s awards, newest first, with each player\'s bonus now', params: campaign, query: pageQuery,
      ok: { status: 200, description: '`{ items: [{ userId, awardedMinor, kind, claimedAt, bonus }], nextCursor, fundedMinor, spentMinor, remainingMinor }`' }, errors: { 404: ['promo/not_found'] },
    },
    { method: 'get', path: '/admin/players/{userId}/bonus', tag: 'promotions', auth: 'operator', summary: 'A player\'s bonus', params: user, ok: { status: 200, description: bonus } },
    {
      method: 'post', path: '/admin/players/{userId}/bonus/adjustments', tag: 'promotions', auth: 'operator', summary: 'Credits or debits a player\'s active bonus (idempotent, audited)', params: user,
      body: adjustmentBody, bodyName: 'AdjustmentBody', headers: { 'Idempotency-Key': { schema: headerIdempotencyKey, description: 'or `idempotencyKey` in the body' } },
      ok: { status: 201, description: '`{ replayed, bonus }`' }, also: [{ status: 200, description: 'a repeat of the same key' }],
      errors: { 400: ['admin/idempotency_key_required', 'http/invalid_header'], 404: ['wallet/unknown_account'], 409: ['wallet/bonus_inactive', 'wallet/insufficient_funds'] },
    },
    {
      method: 'post', path: '/admin/players/{userId}/bonus/forfeit', tag: 'promotions', auth: 'operator', summary: 'Ends a player\'s active bonus now (audited)', params: user, ...reasonOnly,
      ok: { status: 200, description: '`{ bonus, auditSeq }`' }, errors: { 409: ['wallet/bonus_inactive'] },
    },
  ];
}

/** Player protection and compliance (docs/COMPLIANCE.md). */
export function protectionDocs(): RouteDoc[] {
  const view = { status: 200, description: 'the player\'s protection view (docs/API.md#player-protection)' } as const;
  const user = { id: protectedUser };
  const notFound = { 404: ['admin/player_not_found'] };
  const amlCase = { id: caseIdParam };
  const amlCaseOk = { status: 200, description: 'the case with its workflow' } as const;
  return [
    { method: 'get', path: '/protection', tag: 'protection', auth: 'player', summary: 'The caller\'s limits, pending raises, usage, block, reality-check interval and history', ok: view },
    { method: 'put', path: '/protection/limits', tag: 'protection', auth: 'player', summary: 'Sets a deposit, loss or wager limit (lower: at once; higher or removed: after cooling-off and confirmation)', body: limitBody, bodyName: 'LimitBody', ok: view },
    { method: 'post', path: '/protection/limits/confirm', tag: 'protection', auth: 'player', summary: 'Confirms a pending raise or removal once its cooling-off period has passed', body: limitKey, bodyName: 'LimitKey', ok: view, errors: { 404: ['protection/no_pending_change'], 409: ['protection/cooling_off'] } },
    { method: 'post', path: '/protection/limits/cancel', tag: 'protection', auth: 'player', summary: 'Withdraws a pending raise or removal', body: limitKey, bodyName: 'LimitKey', ok: view, errors: { 404: ['protection/no_pending_change'] } },
    { method: 'put', path: '/protection/session-limit', tag: 'protection', auth: 'player', summary: 'Sets the session time limit (same rule as limits)', body: sessionBody, bodyName: 'SessionLimitBody', ok: view },
    { method: 'post', path: '/protection/time-out', tag: 'protection', auth: 'player', summary: 'A time-out of 24 hours to 6 weeks, at once across the cluster', body: timeOutBody, bodyName: 'TimeOutBody', ok: view, errors: { 400: ['protection/invalid_duration'], 409: ['protection/cannot_shorten'] } },
    { method: 'post', path: '/protection/self-exclusion', tag: 'protection', auth: 'player', summary: 'Self-exclusion for 6 months to 5 years or permanently; cannot be shortened or lifted', body: exclusionBody, bodyName: 'SelfExclusionBody', ok: view, errors: { 400: ['protection/invalid_duration'], 409: ['protection/cannot_shorten'] } },
    { method: 'put', path: '/protection/reality-check', tag: 'protection', auth: 'player', summary: 'The reality-check interval (minutes, or null: off)', body: realityBody, bodyName: 'RealityCheckBody', ok: view, errors: { 400: ['protection/invalid_interval'] } },
    { method: 'post', path: '/protection/reality-check/ack', tag: 'protection', auth: 'player', summary: 'Acknowledges a reality check (play resumes)', ok: view },
    { method: 'get', path: '/admin/players/{id}/protection', tag: 'protection', auth: 'operator', summary: 'A player\'s protection view, read only', params: user, ok: view, errors: notFound },
    { method: 'get', path: '/kyc', tag: 'protection', auth: 'player', summary: 'The caller\'s identity-verification status', ok: { status: 200, description: '`{ status, reason, submissions, decidedAt, expiresAt }`' } },
    {
      method: 'post', path: '/kyc/documents', tag: 'protection', auth: 'player', summary: 'Submits an identity document (the raw JPEG, PNG or PDF as the body, the identity in the query)', query: identityQuery,
      ok: { status: 201, description: 'the new status' }, errors: { 400: ['kyc/invalid_identity'], 409: ['kyc/pending', 'kyc/already_verified', 'kyc/too_many_attempts'], 413: ['kyc/invalid_document'], 415: ['kyc/invalid_document'] },
    },
    { method: 'get', path: '/admin/players/{id}/kyc', tag: 'protection', auth: 'operator', summary: 'A player\'s KYC status and submitted identity', params: user, ok: { status: 200, description: 'the status with the identity' }, errors: notFound },
    { method: 'get', path: '/admin/players/{id}/recall', tag: 'protection', auth: 'operator', summary: 'Game recall: the player\'s last rounds with bets, balances and fairness records (audited)', params: user, query: recallQuery, ok: { status: 200, description: '`{ items }`' }, errors: notFound },
    { method: 'get', path: '/admin/kyc/reviews', tag: 'protection', auth: 'operator', summary: 'The KYC review queue: submissions the provider referred to an operator, still pending', query: reviewQueueQuery, ok: { status: 200, description: '`{ items: [ { userId, reason, referredAt, identity, submissions } ] }`' } },
    { method: 'post', path: '/admin/players/{id}/kyc/review', tag: 'protection', auth: 'operator', summary: 'Approves or rejects a pending KYC submission with a reason (audited)', params: user, body: kycReviewBody, bodyName: 'KycReviewBody', ok: { status: 200, description: 'the player\'s new KYC status' }, errors: { 404: ['admin/player_not_found'], 409: ['kyc/not_pending'] } },
    { method: 'get', path: '/admin/protection/funds-returns', tag: 'protection', auth: 'operator', summary: 'Self-exclusion returns of funds: waiting (stakes still open), flagged for an operator, completed', query: fundsReturnQuery, ok: { status: 200, description: '`{ items: [ { userId, exclusionAt, status, payments, failures, reason, flaggedMinor, returnedMinor, requestedAt, updatedAt } ] }`' }, errors: disabled },
    { method: 'get', path: '/admin/aml/cases', tag: 'protection', auth: 'operator', summary: 'AML cases, newest first, with their workflow (assignee, notes, outcome, SAR reference)', query: amlListQuery, ok: { status: 200, description: '`{ items: [ { caseId, userId, rule, details, at, status, assigneeId, notes, outcome, sarReference, closedBy, closedAt, closeReason } ] }`' } },
    { method: 'post', path: '/admin/aml/cases/{id}/assign', tag: 'protection', auth: 'operator', summary: 'Assigns an open AML case to an operator, with a reason (audited)', params: amlCase, body: assignBody, bodyName: 'AmlAssignBody', ok: amlCaseOk, errors: { 400: ['aml/invalid_assignee'], 404: ['aml/case_not_found'], 409: ['aml/case_closed', 'aml/no_change'] } },
    { method: 'post', path: '/admin/aml/cases/{id}/notes', tag: 'protection', auth: 'operator', summary: 'Adds a note to an open AML case (audited)', params: amlCase, body: noteBody, bodyName: 'AmlNoteBody', ok: amlCaseOk, errors: { 404: ['aml/case_not_found'], 409: ['aml/case_closed'] } },
    { method: 'post', path: '/admin/aml/cases/{id}/close', tag: 'protection', auth: 'operator', summary: 'Closes an AML case: no action, or reported (with the SAR reference), with a reason (audited)', params: amlCase, body: closeBody, bodyName: 'AmlCloseBody', ok: amlCaseOk, errors: { 400: ['aml/sar_reference_required', 'aml/sar_reference_unexpected'], 404: ['aml/case_not_found'], 409: ['aml/case_closed'] } },
    { method: 'get', path: '/admin/reports/daily', tag: 'protection', auth: 'operator', summary: 'The regulator\'s daily report as JSON or CSV; the export\'s SHA-256 goes into the audit chain', query: reportQuery, ok: { status: 200, description: 'the report (JSON) or `text/csv` rows' }, errors: { 400: ['reports/future_date'] } },
  ];
}

