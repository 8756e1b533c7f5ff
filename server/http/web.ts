/**
 * Serves the bundled browser apps (web/, built by scripts/build-web.ts into web/dist): the
 * player client at `/` and the operator console at `/admin`, their assets under `/assets/`.
 * Without a build the pages answer 503 with how to build it. Mounted with the other routers,
 * before the 404 handler.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { Router, type Response } from 'express';

export const WEB_DIST_DIR = fileURLToPath(new URL('../../web/dist', import.meta.url));

export const CSP = [
  "default-src 'self'",
  "connect-src 'self' ws: wss:",
  "img-src 'self' data:",
  "style-src 'self'",
  "script-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

const NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>Not built</title>
<h1>The web client is not built</h1><p>Run <code>npm run build:web</code> (or <code>npm start</code>, which builds it first) and reload.</p>`;

function securityHeaders(res: Response): void {
  res.setHeader('content-security-policy', CSP);
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('referrer-policy', 'no-referrer');
}

export function webRoutes(distDir: string = WEB_DIST_DIR): Router {
  const r = Router();
  const page = (file: string) => (_req: unknown, res: Response) => {
    securityHeaders(res);
    const full = path.join(distDir, file);
    if (!fs.existsSync(full)) return void res.status(503).type('html').send(NOT_BUILT);
    res.setHeader('cache-control', 'no-cache');
    res.sendFile(full);
  };
  r.get('/', page('index.html'));
  r.get('/admin', page('admin.html'));
  r.use('/assets', express.static(path.join(distDir, 'assets'), {
    index: false,
    fallthrough: true,
    setHeaders: (res) => {
      res.setHeader('cache-control', 'no-cache');
      res.setHeader('x-content-type-options', 'nosniff');
    },
  }));
  return r;
}
