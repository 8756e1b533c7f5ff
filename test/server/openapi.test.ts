/**
 * The OpenAPI document (server/http/openapi.ts) against the running server: every route the real
 * app registers (express, mounted routers, static mounts, the Colyseus monitor, Colyseus' own
 * router) is described and every description names a registered route; the document is
 * well-formed OpenAPI 3.1; the documented reply shapes match real replies; `/openapi.json` and
 * `/docs/api` are served, public and rate-limited.
 */
import { expect } from 'chai';
import type { Application } from 'express';
import type { z } from 'zod';
import { API_DOCS_PER_MINUTE } from '../../server/http/api-docs.ts';
import { openApiDocument } from '../../server/http/openapi.ts';
import * as reply from '../../server/http/openapi-responses.ts';
import { colyseusRoutes, expressRoutes, type ColyseusRouter, type RegisteredRoute } from '../../server/http/route-list.ts';
import { bootTestServer, http, registerPlayer, type TestServer } from '../support/server.ts';
import { until, waitForState } from '../support/wait.ts';

type Json = Record<string, any>;
const ADMIN = { username: 'openapi_admin', password: 'openapi-admin-1' };
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

function registeredRoutes(srv: TestServer): RegisteredRoute[] {
  const express = (srv.app.server.transport as unknown as { getExpressApp(): Application }).getExpressApp();
  return [...expressRoutes(express), ...colyseusRoutes(srv.app.server.router as unknown as ColyseusRouter)];
}

function describedRoutes(doc: Json): RegisteredRoute[] {
  return Object.entries(doc.paths as Record<string, Json>).flatMap(([path, ops]) => Object.keys(ops).filter((m) => METHODS.includes(m)).map((m) => ({ method: m.toUpperCase(), path })));
}

const key = (r: RegisteredRoute) => `${r.method} ${r.path}`;

/** Every `$ref` in the document, with where it is. */
function refs(node: unknown, at = '#'): Array<{ ref: string; at: string }> {
  if (Array.isArray(node)) return node.flatMap((v, i) => refs(v, `${at}/${i}`));
  if (node === null || typeof node !== 'object') return [];
  return Object.entries(node).flatMap(([k, v]) => (k === '$ref' && typeof v === 'string' ? [{ ref: v, at }] : refs(v, `${at}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`)));
}

function resolve(doc: Json, ref: string): unknown {
  if (!ref.startsWith('#/')) return undefined;
  return ref.slice(2).split('/').map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~')).reduce<any>((n, p) => (n === undefined || n === null ? undefined : n[p]), doc);
}

/** The reply matches the schema and has no field the schema does not name (at the top level). */
function expectShape(schema: z.ZodType, body: unknown, what: string): void {
  const parsed = schema.safeParse(body);
  expect(parsed.success, `${what}: ${JSON.stringify(parsed.error?.issues)} in ${JSON.stringify(body)}`).to.equal(true);
  const shape = (schema as unknown as { shape?: Record<string, unknown> }).shape;
  if (shape && body && typeof body === 'object') expect(Object.keys(body), `${what}: fields the document does not name`).to.satisfy((ks: string[]) => ks.every((k) => k in shape));
}

describe('OpenAPI description of the HTTP API', function () {
  this.timeout(60_000);
  let srv: TestServer;
  let doc: Json;
  before(async () => {
    srv = await bootTestServer({ ADMIN_USERNAME: ADMIN.username, ADMIN_PASSWORD: ADMIN.password, ROULETTE_TABLES: '1', BET_DELAY_MS: '0' });
    doc = openApiDocument();
  });
  after(async () => srv?.stop());

  it('describes every route the server registers, and only those', () => {
    const registered = registeredRoutes(srv);
    const described = describedRoutes(doc);
    // Sanity of the walk itself: mounted routers, the static mount, the monitor and Colyseus' router are all seen.
    expect(registered.map(key)).to.include.members([
      'GET /wallet', 'GET /admin/players/{userId}/stake-factor', 'GET /assets/{file}', 'GET /colyseus/api/room', 'POST /matchmake/{method}/{roomName}', 'GET /__healthcheck', 'GET /openapi.json',
    ]);
    const have = new Set(described.map(key));
    const want = new Set(registered.map(key));
    const undescribed = [...want].filter((k) => !have.has(k)).sort();
    const stale = [...have].filter((k) => !want.has(k)).sort();
    expect(undescribed, `routes the server registers that server/http/openapi.ts does not describe (add an entry for each, with the zod schemas the route parses):\n  ${undescribed.join('\n  ')}\n`).to.deep.equal([]);
    expect(stale, `routes described in server/http/openapi.ts that the server does not register (remove or fix them):\n  ${stale.join('\n  ')}\n`).to.deep.equal([]);
  });

  it('is a well-formed OpenAPI 3.1 document: responses everywhere, unique operation ids, declared path parameters and tags, resolvable $refs', () => {
    expect(doc.openapi).to.equal('3.1.0');
    expect(doc.info.title).to.be.a('string').and.not.equal('');
    expect(doc.info.version).to.be.a('string').and.not.equal('');
    const tags = new Set((doc.tags as Array<{ name: string }>).map((t) => t.name));
    const schemes = new Set(Object.keys(doc.components.securitySchemes));
    const ids = new Set<string>();
    const problems: string[] = [];
    for (const [path, ops] of Object.entries(doc.paths as Record<string, Json>)) {
      if (!path.startsWith('/')) problems.push(`${path}: does not start with /`);
      const inPath = (path.match(/\{(\w+)\}/g) ?? []).map((m) => m.slice(1, -1));
      for (const [method, op] of Object.entries(ops)) {
        const where = `${method.toUpperCase()} ${path}`;
        if (!METHODS.includes(method)) problems.push(`${where}: not an HTTP method`);
        if (!op.responses || Object.keys(op.responses).length === 0) problems.push(`${where}: no responses`);
        for (const [status, r] of Object.entries(op.responses as Record<string, Json>)) {
          if (!/^[1-5]\d\d$/.test(status)) problems.push(`${where}: response ${status}`);
          if (typeof r.description !== 'string' || r.description === '') problems.push(`${where} ${status}: no description`);
          const ownBody = Object.keys(r.content?.['application/json']?.schema ?? {}).length > 0;
          if (Number(status) >= 400 && !(r['x-error-codes']?.length > 0) && !ownBody) problems.push(`${where} ${status}: an error without its codes or a body schema`);
        }
        if (!Object.keys(op.responses).some((s) => Number(s) < 400)) problems.push(`${where}: no success response`);
        if (ids.has(op.operationId)) problems.push(`${where}: operationId ${op.operationId} used twice`);
        ids.add(op.operationId);
        if (!op.summary) problems.push(`${where}: no summary`);
        for (const t of op.tags ?? []) if (!tags.has(t)) problems.push(`${where}: undeclared tag ${t}`);
        for (const req of op.security ?? []) for (const s of Object.keys(req)) if (!schemes.has(s)) problems.push(`${where}: unknown security scheme ${s}`);
        const pathParams = (op.parameters as Json[]).filter((p) => p.in === 'path');
        for (const name of inPath) if (!pathParams.some((p) => p.name === name && p.required === true)) problems.push(`${where}: path parameter ${name} not declared as required`);
        for (const p of pathParams) if (!inPath.includes(p.name)) problems.push(`${where}: path parameter ${p.name} not in the path`);
        if (method === 'get' && op.requestBody) problems.push(`${where}: a GET with a body`);
      }
    }
    for (const { ref, at } of refs(doc)) if (resolve(doc, ref) === undefined) problems.push(`${at}: $ref ${ref} does not resolve`);
    expect(problems).to.deep.equal([]);
    // Each typed error response refines the shared error body.
    expect(doc.paths['/auth/login'].post.responses['401'].content['application/json'].schema.allOf[0].$ref).to.equal('#/components/schemas/ErrorBody');
    expect(doc.paths['/auth/login'].post.responses['401']['x-error-codes']).to.include('auth/invalid_credentials');
  });

  it('takes request schemas from the routes\' zod schemas, as input', () => {
    const register = doc.components.schemas[doc.paths['/auth/register'].post.requestBody.content['application/json'].schema.$ref.split('/').pop()];
    expect(register.required).to.have.members(['username', 'password']);
    expect(register.properties.username).to.include({ minLength: 3, maxLength: 32 });
    const ledger = (doc.paths['/wallet/ledger'].get.parameters as Json[]).find((p) => p.name === 'limit')!;
    expect(ledger).to.deep.include({ in: 'query', required: false });
    expect(ledger.schema).to.include({ type: 'integer', minimum: 1, maximum: 200, default: 50 });
    const feed = doc.components.schemas.FeedMessage;
    expect(feed.oneOf ?? feed.anyOf).to.be.an('array').with.length.above(3);
    expect(doc.paths['/admin/players/{userId}/lock'].post.security).to.deep.equal([{ operatorToken: [] }]);
    expect(doc.paths['/admin/players'].get.security).to.deep.include({ authCookie: [] });
    expect(doc.paths['/events'].get.security).to.deep.equal([]);
  });

  it('documents reply shapes that real replies have', async () => {
    const player = await registerPlayer(srv, 'oa');
    const reg = await http(srv.url, 'POST', '/auth/register', { username: `oa_reg_${process.pid}`, password: 'wonderland42' });
    expectShape(reply.sessionReply, reg.body, 'POST /auth/register');
    const login = await http(srv.url, 'POST', '/auth/login', ADMIN);
    expectShape(reply.sessionReply, login.body, 'POST /auth/login');
    const admin = login.body.token as string;
    expectShape(reply.okReply, (await http(srv.url, 'GET', '/healthz')).body, 'GET /healthz');
    expectShape(reply.readinessReply, (await http(srv.url, 'GET', '/readyz')).body, 'GET /readyz');
    expectShape(reply.walletReply, (await http(srv.url, 'GET', '/wallet', undefined, player.token)).body, 'GET /wallet');
    const ledger = (await http(srv.url, 'GET', '/wallet/ledger', undefined, player.token)).body;
    expect(ledger.items).to.have.length.above(0);
    expectShape(reply.ledgerPageReply, ledger, 'GET /wallet/ledger');
    const eventId = `oa-${process.pid}`;
    const created = await http(srv.url, 'POST', '/admin/events', { eventId, league: 'OA', home: 'Home', away: 'Away', startsAt: Date.now() + 3_600_000, lambdaHome: 1.4, lambdaAway: 1.1 }, admin);
    expect(created.status).to.equal(201);
    expectShape(reply.createdEventReply, created.body, 'POST /admin/events');
    expectShape(reply.eventsReply, (await http(srv.url, 'GET', '/events')).body, 'GET /events');
    const feed = await http(srv.url, 'POST', '/admin/feed', { eventId, seq: 1, at: Date.now(), type: 'kick_off', minute: 0 }, admin);
    expectShape(reply.acceptedReply, feed.body, 'POST /admin/feed');
    const suspended = await until(async () => {
      const res = await http(srv.url, 'POST', `/admin/events/${eventId}/markets/1x2/suspend`, { reason: 'openapi test' }, admin);
      return res.status === 200 ? res : null;
    });
    expectShape(reply.commandReply, suspended.body, 'POST /admin/events/{eventId}/markets/{marketId}/suspend');
    const factor = await http(srv.url, 'PUT', `/admin/players/${player.userId}/stake-factor`, { factor: 0.5, reason: 'openapi test' }, admin);
    expectShape(reply.stakeFactorReply, factor.body, 'PUT /admin/players/{userId}/stake-factor');
    const seat = await fetch(`${srv.url}/matchmake/joinById/roulette-1`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${player.token}` }, body: '{}' });
    expect(seat.status).to.equal(200);
    expectShape(reply.reservationReply, await seat.json(), 'POST /matchmake/{method}/{roomName}');
    const room = await player.client.joinById('roulette-1');
    room.onMessage('*', () => undefined);
    const { roundId } = await waitForState(room, (s: any) => typeof s.roundId === 'string' && s.roundId !== '', 10_000, 'a round');
    const round = await until(async () => {
      const res = await http(srv.url, 'GET', `/fairness/rounds/${encodeURIComponent(roundId)}`);
      return res.status === 200 ? res : null;
    }, 10_000, 'the round record');
    expectShape(reply.roundProofReply, round.body, 'GET /fairness/rounds/{roundId}');
    await room.leave();
    // An error a route documents is what it answers.
    const bad = await http(srv.url, 'POST', '/auth/login', { username: 'nobody_here', password: 'wrong-password-1' });
    expect(bad.status).to.equal(401);
    expect(doc.paths['/auth/login'].post.responses['401']['x-error-codes']).to.include(bad.body.error.code);
  });

  it('serves the document at /openapi.json and a page at /docs/api, public and under the CSP', async () => {
    const json = await fetch(`${srv.url}/openapi.json`);
    expect(json.status).to.equal(200);
    expect(json.headers.get('content-type')).to.match(/^application\/json/);
    expect(await json.json()).to.deep.equal(JSON.parse(JSON.stringify(doc)));
    const page = await fetch(`${srv.url}/docs/api`);
    expect(page.status).to.equal(200);
    expect(page.headers.get('content-type')).to.match(/^text\/html/);
    expect(page.headers.get('content-security-policy')).to.include("script-src 'self'").and.include("style-src 'self'");
    const html = await page.text();
    expect(html).to.not.match(/<script|style=|<style/i);
    expect(html).to.include('href="/docs/api.css"');
    for (const ops of Object.values(doc.paths as Record<string, Json>)) for (const op of Object.values(ops)) expect(html, op.operationId).to.include(`id="${op.operationId}"`);
    for (const name of Object.keys(doc.components.schemas)) expect(html, name).to.include(`id="schema-${name}"`);
    const css = await fetch(`${srv.url}/docs/api.css`);
    expect(css.status).to.equal(200);
    expect(css.headers.get('content-type')).to.match(/^text\/css/);
  });

  it('limits how often one address fetches the description (429 http/rate_limited with Retry-After)', async () => {
    let refused: Response | null = null;
    for (let i = 0; i <= API_DOCS_PER_MINUTE && !refused; i++) {
      const res = await fetch(`${srv.url}/docs/api.css`);
      if (res.status === 429) refused = res;
      else await res.arrayBuffer();
    }
    expect(refused, `still served after ${API_DOCS_PER_MINUTE + 1} requests`).to.not.equal(null);
    expect(Number(refused!.headers.get('retry-after'))).to.be.at.least(1);
    expect(((await refused!.json()) as Json).error.code).to.equal('http/rate_limited');
    // Other public routes are not affected.
    expect((await http(srv.url, 'GET', '/events')).status).to.equal(200);
  });
});
