/**
 * The HTTP API (docs/API.md): auth, wallet, health. Later capabilities add their own routers
 * through `extraRoutes`, mounted before the 404 handler.
 */
import express, { type Application, type NextFunction, type Request, type Response, type Router } from 'express';
import { nanoid } from 'nanoid';
import { z } from 'zod';
import { AppError, errorBody } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { AuthService } from '../auth/service.ts';
import { credentialsSchema } from '../auth/service.ts';
import type { TokenSigner } from '../auth/tokens.ts';
import type { WalletService } from '../wallet/service.ts';
import { requireAuth } from './auth.ts';
import { RateLimiter } from './rateLimit.ts';
import { parseInput } from './validate.ts';
import { registry } from '../metrics.ts';

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
  authAttemptsPerMinute: number;
  readiness: ReadinessCheck[];
  isDraining: () => boolean;
  /** Routers of later capabilities (fairness, events, admin…), mounted at `/`. */
  extraRoutes?: Router[];
  now?: () => number;
}

const loginSchema = z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(256) });
const ledgerQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().regex(/^\d{1,20}$/, 'must be a cursor returned by a previous page').optional(),
});

export function mountHttp(app: Application, deps: HttpDeps): void {
  const { log } = deps;
  const authLimiter = new RateLimiter(deps.authAttemptsPerMinute, 60_000, deps.now);
  const authed = requireAuth(deps.tokens, deps.auth);

  app.disable('x-powered-by');
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
  app.use(express.json({ limit: deps.bodyLimitBytes, strict: true, type: ['application/json', 'application/*+json'] }));

  app.get('/healthz', (_req, res) => void res.json({ ok: true }));
  app.get('/metrics', async (_req, res) => {
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

  const limitAuth = (req: Request, _res: Response, next: NextFunction) => {
    if (!authLimiter.hit(req.ip ?? 'unknown')) {
      return next(new AppError('http/rate_limited', 'too many authentication attempts; wait a minute', 429));
    }
    next();
  };
  app.post('/auth/register', limitAuth, async (req, res) => {
    const creds = parseInput(credentialsSchema, req.body);
    const session = await deps.auth.register(creds);
    log.info({ reqId: req.id, userId: session.userId }, 'user registered');
    res.status(201).json({ userId: session.userId, token: session.token, role: session.role });
  });
  app.post('/auth/login', limitAuth, async (req, res) => {
    const creds = parseInput(loginSchema, req.body);
    const session = await deps.auth.login(creds);
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
    if (!res.headersSent) res.status(status).json(body);
  });
}

function toHttpError(err: unknown): { status: number; body: ReturnType<typeof errorBody> } {
  if (err instanceof AppError) return { status: err.status, body: errorBody(err.code, err.message, err.details) };
  const e = err as { type?: string; status?: number; limit?: number };
  // body-parser errors carry a `type`
  if (e?.type === 'entity.too.large') return { status: 413, body: errorBody('http/body_too_large', `the body exceeds ${e.limit} bytes`) };
  if (e?.type === 'entity.parse.failed') return { status: 400, body: errorBody('http/invalid_json', 'the body is not valid JSON') };
  if (e?.type === 'encoding.unsupported' || e?.type === 'charset.unsupported') return { status: 415, body: errorBody('http/unsupported_encoding', 'send UTF-8 JSON') };
  if (typeof e?.status === 'number' && e.status >= 400 && e.status < 500) return { status: e.status, body: errorBody('http/bad_request', 'the request could not be read') };
  return { status: 500, body: errorBody('server/internal', 'an internal error occurred; it has been logged') };
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    p.then((v) => (clearTimeout(t), resolve(v)), (e) => (clearTimeout(t), reject(e)));
  });
}
