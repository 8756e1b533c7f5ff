/**
 * The API's description, public: `GET /openapi.json` (OpenAPI 3.1, server/http/openapi.ts) and
 * `GET /docs/api`, a page rendering it (with `GET /docs/api.css`). Built once per process, then
 * served from memory; each client address may fetch them `API_DOCS_PER_MINUTE` times a minute
 * (`429 http/rate_limited` past it).
 */
import { Router, type RequestHandler } from 'express';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { AppError } from '../errors.ts';
import { API_PAGE_CSS, renderApiPage } from './api-docs-page.ts';
import { openApiDocument } from './openapi.ts';

/** Requests per minute per client address for the three routes together. */
export const API_DOCS_PER_MINUTE = 120;

export function apiDocsRoutes(perMinute = API_DOCS_PER_MINUTE): Router {
  const r = Router();
  const limiter = new RateLimiterMemory({ points: perMinute, duration: 60, keyPrefix: 'api-docs' });
  const limited: RequestHandler = (req, _res, next) => {
    limiter.consume((req.ip ?? 'unknown').slice(0, 128)).then(() => next(), (e: unknown) => {
      if (!(e instanceof RateLimiterRes)) return next(e);
      const retryAfterSeconds = Math.max(1, Math.ceil(e.msBeforeNext / 1000));
      next(new AppError('http/rate_limited', `too many requests for the API description from this address; retry in ${retryAfterSeconds} s`, 429, { retryAfterSeconds }));
    });
  };
  let page: string | null = null;
  r.get('/openapi.json', limited, (_req, res) => {
    res.setHeader('cache-control', 'no-cache');
    res.json(openApiDocument());
  });
  r.get('/docs/api', limited, (_req, res) => {
    res.setHeader('cache-control', 'no-cache');
    res.type('html').send((page ??= renderApiPage(openApiDocument())));
  });
  r.get('/docs/api.css', limited, (_req, res) => {
    res.setHeader('cache-control', 'no-cache');
    res.type('css').send(API_PAGE_CSS);
  });
  return r;
}
