/**
 * Every route the API describes (server/http/openapi.ts), fuzzed from its own schemas
 * (schema-arbitraries.ts): generated bodies, queries and path parameters, every kind of auth,
 * against one real server with every game and the cashier (a sandbox PSP process) configured.
 * A route added to the description is covered without touching this test. Every answer must be
 * a success or a typed refusal (`{ error: { code, message } }`) whose code the description lists
 * for that route (its own or the shared ones), never a 5xx; afterwards the process still serves,
 * the books reconcile and the audit chain verifies. FUZZ_SEED / FUZZ_SCALE as in hostile.test.ts.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import { apiRoutes } from '../../server/http/openapi.ts';
import { sign } from '../../server/payments/signature.ts';
import type { RouteDoc } from '../../server/http/openapi-build.ts';
import { freePort } from '../support/process.ts';
import { startPsp, TEST_PSP_KEY, TEST_PSP_SECRET, type PspProcess } from '../support/psp.ts';
import { bootTestServer, http, registerPlayer, TEST_METRICS_TOKEN, type TestServer } from '../support/server.ts';
import { builtInPrototypeKeys } from './arbitraries.ts';
import { bodyFor, queryFor, segmentFor } from './schema-arbitraries.ts';

const SEED = Number(process.env.FUZZ_SEED ?? 20261204);
const SCALE = Number(process.env.FUZZ_SCALE ?? 1);
const PER_ROUTE = 40 * SCALE;
const ADMIN = { username: 'route_fuzz_admin', password: 'route-fuzz-admin-pass-1' };
const EVENT_ID = 'rfuzz-ev';
const TYPED = /^[a-z_]+\/[a-z_0-9]+$/;
const SACRIFICIAL = 12;

/** Operator actions that would take the server under test out of service or lock the fuzz players out. */
const NO_OPERATOR = /\/drain$|\/undrain$|\/lock$|\/unlock$|^\/colyseus/;
/** Player actions after which that player is refused everything: sent with throw-away players. */
const SELF_BLOCKING = /^\/protection\/(time-out|self-exclusion)$/;

type AuthKind = 'none' | 'garbage' | 'expired-shape' | 'player' | 'operator' | 'metrics' | 'cookie' | 'signed';

interface Case {
  route: RouteDoc;
  method: string;
  path: string;
  auth: AuthKind;
  contentType: string;
  body: string | undefined;
}

/** Codes a route may answer with: its own, those every route of its kind shares, and the edge's. */
function allowedCodes(doc: Record<string, any>, route: RouteDoc): Set<string> {
  const op = doc.paths?.[route.path]?.[route.method];
  const codes = new Set<string>(['http/not_found', 'http/method_not_allowed', 'http/rate_limited', 'auth/rate_limited', 'server/draining']);
  for (const res of Object.values<any>(op?.responses ?? {})) {
    const text = JSON.stringify(res);
    for (const m of text.matchAll(/`([a-z_]+\/[a-z_0-9]+)`/g)) codes.add(m[1]!);
    for (const m of text.matchAll(/"([a-z_]+\/[a-z_0-9]+)"/g)) codes.add(m[1]!);
  }
  return codes;
}

describe('fuzz: every described route from its own schemas (issue 13)', function () {
  this.timeout(300_000);
  let srv: TestServer;
  let psp: PspProcess;
  let admin: string;
  let player: Awaited<ReturnType<typeof registerPlayer>>;
  let throwaway: Array<Awaited<ReturnType<typeof registerPlayer>>>;
  const builtIns = builtInPrototypeKeys();
  const known: string[] = [EVENT_ID, 'roulette-1', 'crash-1', 'blackjack-1', '1x2', 'ou_2.5', 'roulette-1:1', 'blackjack-1:shoe-1', 'activate', 'pause', 'end'];

  before(async () => {
    const pspPort = await freePort();
    srv = await bootTestServer({
      ROULETTE_TABLES: '1', CRASH_ROOMS: '1', BLACKJACK_TABLES: '1', BET_DELAY_MS: '0',
      ADMIN_USERNAME: ADMIN.username, ADMIN_PASSWORD: ADMIN.password,
      PSP_URL: `http://127.0.0.1:${pspPort}`, PSP_API_KEY: TEST_PSP_KEY, PSP_WEBHOOK_SECRET: TEST_PSP_SECRET, PAYMENTS_POLL_MS: '0',
      LOGIN_FAILURES_PER_IP: '40', REGISTRATIONS_PER_IP: '400', FLOOD_BAN_SECONDS: '0',
    });
    psp = await startPsp({ port: pspPort, webhookUrl: `${srv.url}/payments/webhook` });
    admin = (await http(srv.url, 'POST', '/auth/login', ADMIN)).body.token;
    const created = await http(srv.url, 'POST', '/admin/events', { eventId: EVENT_ID, league: 'E0', home: 'Arsenal', away: 'Everton', startsAt: Date.now() + 3_600_000 }, admin);
    expect(created.status, JSON.stringify(created.body)).to.equal(201);
    player = await registerPlayer(srv, 'rfuzzp');
    throwaway = await Promise.all(Array.from({ length: SACRIFICIAL }, (_, i) => registerPlayer(srv, `rfuzzt${i}`)));
    const deposit = await http(srv.url, 'POST', '/payments/deposits', { amountMinor: 5_000, method: 'card' }, player.token);
    expect(deposit.status, JSON.stringify(deposit.body)).to.equal(201);
    known.push(deposit.body.id, player.userId, player.username);
  });
  after(async () => {
    await psp?.stop();
    await srv?.stop();
  });

  it(`answers ${PER_ROUTE} generated requests on every described route with a success or a typed, described refusal`, async () => {
    const routes = apiRoutes().filter((r) => (r.stack ?? 'express') === 'express');
    const doc = (await http(srv.url, 'GET', '/openapi.json')).body as Record<string, any>;
    const cases: Case[] = [];
    routes.forEach((route, index) => {
      const segments = Object.fromEntries(Object.entries(route.params ?? {}).map(([name, schema]) => [name, segmentFor(schema, known)]));
      const arb = fc.record({
        params: fc.record(segments),
        query: queryFor(route),
        body: bodyFor(route),
        // `signed`: the PSP's valid signature over the generated body, so the webhook's own parsing is fuzzed too.
        auth: route.auth === 'webhook' ? fc.constantFrom<AuthKind>('none', 'garbage', 'signed', 'signed', 'signed') : fc.constantFrom<AuthKind>('none', 'garbage', 'expired-shape', 'player', 'player', 'operator', 'operator', 'metrics', 'cookie'),
        contentType: fc.constantFrom('application/json', 'application/json', 'application/json', 'text/plain', 'application/json; charset=latin1', ''),
        method: fc.oneof({ weight: 9, arbitrary: fc.constant(route.method.toUpperCase()) }, { weight: 1, arbitrary: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH') }),
      });
      for (const c of fc.sample(arb, { numRuns: PER_ROUTE, seed: SEED + index })) {
        const path = route.path.replace(/\{(\w+)\}/g, (_, name: string) => (c.params as Record<string, string>)[name] ?? 'x');
        cases.push({ route, method: c.method, path: path + c.query, auth: c.auth, contentType: c.contentType, body: c.method === 'GET' ? undefined : c.body });
      }
    });

    let sent = 0;
    let refused = 0;
    const undescribed = new Map<string, string>();
    const webhookCodes = new Map<string, number>();
    let next = 0;
    let turn = 0;
    await Promise.all(Array.from({ length: 8 }, async () => {
      while (next < cases.length) {
        const c = cases[next++]!;
        const headers: Record<string, string> = {};
        if (c.contentType) headers['content-type'] = c.contentType;
        const playerToken = SELF_BLOCKING.test(c.route.path) ? throwaway[turn++ % SACRIFICIAL]!.token : player.token;
        if (c.auth === 'garbage') headers.authorization = 'Bearer v1.garbage.garbage';
        if (c.auth === 'expired-shape') headers.authorization = 'Basic Zm9vOmJhcg==';
        if (c.auth === 'player') headers.authorization = `Bearer ${playerToken}`;
        if (c.auth === 'metrics') headers.authorization = `Bearer ${TEST_METRICS_TOKEN}`;
        if (c.auth === 'cookie') headers.cookie = `auth_token=${playerToken}`;
        if (c.auth === 'signed') headers['psp-signature'] = sign(TEST_PSP_SECRET, c.body ?? '', Math.floor(Date.now() / 1000));
        if (c.auth === 'garbage' && c.route.auth === 'webhook') headers['psp-signature'] = 't=1,v1=00';
        if (c.auth === 'operator' && !(NO_OPERATOR.test(c.route.path) && c.method !== 'GET')) headers.authorization = `Bearer ${admin}`;
        const res = await fetch(`${srv.url}${c.path}`, { method: c.method, headers, body: c.body }).catch((e: Error) => {
          throw new Error(`${c.method} ${c.path.slice(0, 160)} [${c.auth}] ${String(c.body).slice(0, 200)}: ${e.message} ${String((e.cause as Error)?.message ?? '')}`);
        });
        const text = await res.text();
        sent++;
        const what = `${c.method} ${c.path.slice(0, 160)} [${c.auth}] ${String(c.body).slice(0, 200)} → ${res.status} ${text.slice(0, 300)}`;
        expect(res.status, what).to.be.below(500);
        if (res.status < 400) {
          if (c.route.auth === 'webhook') webhookCodes.set(`${res.status}`, (webhookCodes.get(`${res.status}`) ?? 0) + 1);
          continue;
        }
        refused++;
        let body: any = null;
        try {
          body = JSON.parse(text);
        } catch {
          // checked below
        }
        expect(body?.error, `untyped refusal: ${what}`).to.be.an('object');
        expect(body.error.code, what).to.be.a('string').and.match(TYPED);
        expect(body.error.message, what).to.be.a('string');
        if (c.route.auth === 'webhook') webhookCodes.set(body.error.code, (webhookCodes.get(body.error.code) ?? 0) + 1);
        if (c.method.toLowerCase() === c.route.method && !allowedCodes(doc, c.route).has(body.error.code)) undescribed.set(`${c.route.method.toUpperCase()} ${c.route.path} ${body.error.code}`, what);
      }
    }));
    console.log(`      every-route fuzz: ${routes.length} routes, ${sent} requests, ${refused} refused; the PSP webhook answered ${JSON.stringify(Object.fromEntries(webhookCodes))}`);
    expect([...undescribed].map(([k, v]) => `${k}  (e.g. ${v.slice(0, 240)})`), 'refusal codes the API description does not list for their route').to.deep.equal([]);
  });

  it('still serves, reconciles and verifies its audit chain afterwards, with no built-in prototype polluted', async () => {
    expect(builtInPrototypeKeys(), 'no built-in prototype polluted').to.deep.equal(builtIns);
    expect((await http(srv.url, 'GET', '/readyz')).status).to.equal(200);
    const wallet = await http(srv.url, 'GET', '/wallet', undefined, (await registerPlayer(srv, 'rfuzzcalm')).token);
    expect(wallet.status).to.equal(200);
    const rec = await srv.app.services.store.wallet.reconcile();
    expect(rec.ok, JSON.stringify(rec)).to.equal(true);
    const audit = await http(srv.url, 'GET', '/admin/audit/verify', undefined, admin);
    expect(audit.status, JSON.stringify(audit.body)).to.equal(200);
    expect(audit.body.ok, JSON.stringify(audit.body)).to.equal(true);
  });
});
