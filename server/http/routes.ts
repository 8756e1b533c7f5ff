/**
 * The HTTP API (docs/API.md): auth, wallet, health. Later capabilities add their own routers
 * through `extraRoutes`, mounted before the 404 handler.
 */
import express, { type Application, type NextFunction, type Request, type Response, type Router } from 'express';
import { nanoid } from 'nanoid';
import { z } from 'zod';
import { pageQuery } from '../admin/schemas.ts';
import { AppError, errorBody } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { GeoGate } from '../geo/gate.ts';
import type { AuthService } from '../auth/service.ts';
import { credentialsSchema } from '../auth/service.ts';
import type { TokenSigner } from '../auth/tokens.ts';
import type { WalletService } from '../wallet/service.ts';
import { bearerToken, requireAuth } from './auth.ts';
import type { EdgeLimits } from './limits.ts';
import { parseInput } from './validate.ts';
import { registry } from '../metrics.ts';
import { findIllFormedText } from '../text.ts';
import { publishRisk } from '../risk/publish.ts';
import { authRiskEvent, deviceIdOf } from '../risk/producers.ts';
import { timingSafeEqual } from 'node:crypto';

export interface ReadinessCheck {
  name: string;
  check: () => Promise<void>;
}

export interface HttpDeps {
  log: Logger;
  auth: AuthService;
  tokens: TokenSigner;
  wallet: WalletService;
  bodyLimitBytes: number;
  limits: EdgeLimits;
  /** `trust proxy` (TRUST_PROXY): which X-Forwarded-For hops to believe for the client's address. */
  trustProxy: boolean | number | string[];
  /** Bearer token a metrics scraper may send (METRICS_TOKEN); operators' tokens work too. */
  metricsToken: string | null;
  readiness: ReadinessCheck[];
  isDraining: () => boolean;
  /** Routers of later capabilities (fairness, events, admin…), mounted at `/`. */
  extraRoutes?: Router[];
  now?: () => number;
  /** Country rules at registration, login and deposits (server/geo/gate.ts). */
  geo?: GeoGate;
  /** Told of each registration and login with the address's country (player profiles); never fails the request. */
  onAuthenticated?: (kind: 'registration' | 'login', userId: string, country: string | null) => Promise<void>;
}

export const loginSchema = z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(256) });
/** The player's ledger pages as the operator's: the same limit and cursor. */
export const ledgerQuery = pageQuery;

export function mountHttp(app: Application, deps: HttpDeps): void {
  const { log, limits } = deps;
  const authed = requireAuth(deps.tokens, deps.auth);
  const operator = requireAuth(deps.tokens, deps.auth, ['operator', 'admin']);

  app.disable('x-powered-by');
  app.set('trust proxy', deps.trustProxy);
  app.use((req: Request, res: Response, next: NextFunction) => {
    req.id = (req.headers['x-request-id'] as string | undefined)?.slice(0, 64) || nanoid(12);
    res.setHeader('x-request-id', req.id);
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      log.debug({ reqId: req.id, method: req.method, path: req.path, status: res.statusCode, ms, userId: req.auth?.userId }, 'http');
    });
    if (deps.isDraining() && !req.path.startsWith('/healthz') && !req.path.startsWith('/readyz')) {
      res.setHeader('connection', 'close');
      return void res.status(503).json(errorBody('server/draining', 'this process is shutting down; retry on another'));
    }
    next();
  });
  app.use(express.json({
    limit: deps.bodyLimitBytes, strict: true, type: ['application/json', 'application/*+json'],
    // A webhook's signature is over its exact bytes, so those routes keep them.
    verify: (req, _res, buf) => { if ((req as Request).url?.startsWith('/payments/webhook')) (req as Request).rawBody = Buffer.from(buf); },
  }));
  // Every string input must be well-formed UTF-16 (server/text.ts). Path parameters cannot hold a
  // lone surrogate (percent-decoding refuses one); JSON bodies can.
  app.use((req: Request, _res: Response, next: NextFunction) => {
    const bad = findIllFormedText(req.body);
    if (bad !== null) return next(new AppError('http/invalid_text', `${bad || 'the body'}: ill-formed UTF-16 (a lone surrogate)`, 400));
    const badQuery = findIllFormedText(req.query);
    if (badQuery !== null) return next(new AppError('http/invalid_text', `${badQuery || 'the query'}: ill-formed UTF-16 (a lone surrogate)`, 400));
    next();
  });

  // Geolocation (server/geo/gate.ts) on the address TRUST_PROXY lets us believe.
  if (deps.geo?.enabled) {
    const geo = deps.geo;
    app.post(['/auth/register', '/auth/login', '/payments/deposits'], (req: Request, _res: Response, next: NextFunction) => {
      try {
        geo.check(req.ip ?? req.socket.remoteAddress ?? 'unknown');
        next();
      } catch (e) {
        next(e);
      }
    });
  }

  app.get('/healthz', (_req, res) => void res.json({ ok: true }));
  // Stake and payout totals are business figures: a scraper's METRICS_TOKEN or an operator's token.
  app.get('/metrics', (req, res, next) => (isMetricsToken(bearerToken(req), deps.metricsToken) ? next() : operator(req, res, next)), async (_req, res) => {
    res.setHeader('content-type', registry.contentType);
    res.send(await registry.metrics());
  });
  app.get('/readyz', async (_req, res) => {
    const checks: Record<string, string> = {};
    let ok = !deps.isDraining();
    if (!ok) checks.process = 'draining';
    for (const c of deps.readiness) {
      try {
        await withTimeout(c.check(), 2000);
        checks[c.name] = 'ok';
      } catch (e) {
        ok = false;
        checks[c.name] = (e as Error).message || 'unreachable';
      }
    }
    res.status(ok ? 200 : 503).json({ ok, checks });
  });

  // Abuse limits (server/http/limits.ts): every auth request counts against its address; only
  // failed logins count against the account and the address's failure budget, so the right
  // password still works from a busy address (a proxy, once TRUST_PROXY names it).
  const clientIp = (req: Request) => req.ip ?? req.socket.remoteAddress ?? 'unknown';
  const authenticated = async (kind: 'registration' | 'login', userId: string, ip: string) => {
    try {
      await deps.onAuthenticated?.(kind, userId, deps.geo?.countryOf(ip) ?? null);
    } catch (err) {
      log.warn({ err, userId, kind }, 'could not record the player\'s country');
    }
  };
  app.post('/auth/register', async (req, res) => {
    await limits.consume('authIp', clientIp(req));
    const creds = parseInput(credentialsSchema, req.body);
    await limits.consume('register', clientIp(req));
    const session = await deps.auth.register(creds);
    log.info({ reqId: req.id, userId: session.userId }, 'user registered');
    await authenticated('registration', session.userId, clientIp(req));
    publishRisk(authRiskEvent('registered', { playerId: session.userId, username: session.username, ip: clientIp(req), deviceId: deviceIdOf(req.headers['x-device-id']), at: Date.now(), requestId: nanoid(12) }));
    res.status(201).json({ userId: session.userId, token: session.token, role: session.role });
  });
  app.post('/auth/login', async (req, res) => {
    const ip = clientIp(req);
    await limits.consume('authIp', ip);
    const creds = parseInput(loginSchema, req.body);
    const account = creds.username.toLowerCase();
    await limits.check('loginAccount', account);
    await limits.check('loginIp', ip);
    let session: Awaited<ReturnType<typeof deps.auth.login>>;
    try {
      session = await deps.auth.login(creds);
    } catch (e) {
      publishRisk(authRiskEvent('login', { playerId: null, username: creds.username, ip, deviceId: deviceIdOf(req.headers['x-device-id']), ok: false, at: Date.now(), requestId: nanoid(12) }));
      if (e instanceof AppError && e.code === 'auth/invalid_credentials') {
        log.info({ reqId: req.id, ip, account }, 'login failed');
        await Promise.all([limits.consume('loginAccount', account), limits.consume('loginIp', ip)].map((p) => p.catch(() => undefined)));
      }
      throw e;
    }
    await limits.reset('loginAccount', account);
    await authenticated('login', session.userId, ip);
    publishRisk(authRiskEvent('login', { playerId: session.userId, username: session.username, ip, deviceId: deviceIdOf(req.headers['x-device-id']), ok: true, at: Date.now(), requestId: nanoid(12) }));
    res.json({ userId: session.userId, token: session.token, role: session.role });
  });

  app.get('/wallet', authed, async (req, res) => {
    res.json(await deps.wallet.view(req.auth!.userId));
  });
  app.get('/wallet/ledger', authed, async (req, res) => {
    const q = parseInput(ledgerQuery, req.query, 'http/invalid_query');
    res.json(await deps.wallet.ledger(req.auth!.userId, q.limit, q.cursor ?? null));
  });

  for (const r of deps.extraRoutes ?? []) app.use(r);

  app.use((req: Request, res: Response) => {
    res.status(404).json(errorBody('http/not_found', `no route for ${req.method} ${req.path}`));
  });
  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const { status, body } = toHttpError(err);
    if (status >= 500) log.error({ reqId: req.id, err }, 'request failed');
    else log.info({ reqId: req.id, code: body.error.code, userId: req.auth?.userId }, 'request rejected');
    if (res.headersSent) return;
    const retryAfter = (body.error.details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds;
    if (status === 429 && retryAfter) res.setHeader('retry-after', String(retryAfter));
    res.status(status).json(body);
  });
}

function isMetricsToken(given: string | undefined, expected: string | null): boolean {
  if (!given || !expected) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function toHttpError(err: unknown): { status: number; body: ReturnType<typeof errorBody> } {
  if (err instanceof AppError) return { status: err.status, body: errorBody(err.code, err.message, err.details) };
  const e = err as { type?: string; status?: number; limit?: number; message?: unknown };
  // body-parser errors carry a `type`
  if (e?.type === 'entity.too.large') return { status: 413, body: errorBody('http/body_too_large', `the body exceeds ${e.limit} bytes`) };
  if (e?.type === 'entity.parse.failed') return { status: 400, body: errorBody('http/invalid_json', 'the body is not valid JSON') };
  if (e?.type === 'encoding.unsupported' || e?.type === 'charset.unsupported') return { status: 415, body: errorBody('http/unsupported_encoding', 'send UTF-8 JSON') };
  // The router's own refusal of a path parameter that is not valid percent-encoding (`%ZZ`, a lone surrogate's bytes)
  if (e?.status === 400 && typeof e.message === 'string' && e.message.startsWith('Failed to decode param')) return { status: 400, body: errorBody('http/invalid_path', 'a path parameter is not valid percent-encoded UTF-8') };
  if (typeof e?.status === 'number' && e.status >= 400 && e.status < 500) return { status: e.status, body: errorBody('http/bad_request', 'the request could not be read') };
  return { status: 500, body: errorBody('server/internal', 'an internal error occurred; it has been logged') };
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    p.then((v) => (clearTimeout(t), resolve(v)), (e) => (clearTimeout(t), reject(e)));
  });
}
