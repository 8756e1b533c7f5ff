/**
 * The HTTP edge: the first code every request meets, Colyseus' own routes included. Colyseus binds
 * its matchmaking route and its permissive CORS (any origin, with credentials) straight onto the
 * HTTP server, ahead of express; `installEdge` puts this in front of both, so that every response
 * carries the security headers, CORS follows `CORS_ORIGINS`, no body exceeds
 * `HTTP_BODY_LIMIT_BYTES`, and matchmaking (server/http/matchmake.ts) answers in the typed-error
 * contract. Everything else goes on to Colyseus' listener (and from there to express).
 */
import http from 'node:http';
import helmet from 'helmet';
import { matchMaker } from '@colyseus/core';
import type { Config } from '../config.ts';
import { errorBody } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { CSP } from './web.ts';
import { handleMatchmake, type MatchmakeDeps } from './matchmake.ts';

export interface EdgeDeps extends Omit<MatchmakeDeps, 'bodyLimitBytes'> {
  config: Config;
  log: Logger;
}

const CORS_ALLOW_HEADERS = 'Authorization, Content-Type, Accept, Idempotency-Key, X-Request-Id';
const CORS_ALLOW_METHODS = 'GET, HEAD, POST, OPTIONS';

/** Replaces the server's request listeners with the edge, which hands on to them. */
export function installEdge(server: http.Server, deps: EdgeDeps): void {
  // Colyseus would add `Access-Control-Allow-Origin: <any origin>` with credentials to every
  // response: the edge decides CORS instead, so Colyseus adds nothing.
  matchMaker.controller.DEFAULT_CORS_HEADERS = {} as typeof matchMaker.controller.DEFAULT_CORS_HEADERS;
  matchMaker.controller.getCorsHeaders = () => ({});

  const inner = server.listeners('request') as Array<(req: http.IncomingMessage, res: http.ServerResponse) => void>;
  server.removeAllListeners('request');
  const headers = helmet({ contentSecurityPolicy: false });
  const allowed = new Set(deps.config.http.corsOrigins);
  const bodyLimitBytes = deps.config.limits.httpBodyBytes;

  server.on('clientError', answerUnreadable);
  server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    headers(req, res, () => undefined);
    const path = (req.url ?? '/').split('?')[0]!;
    // The monitor's UI (admin only) is a third-party app with inline code of its own.
    if (!path.startsWith('/colyseus')) res.setHeader('content-security-policy', CSP);
    const corsOk = cors(req, res, allowed);
    if (req.method === 'OPTIONS') {
      res.statusCode = corsOk ? 204 : 403;
      return void res.end();
    }
    const declared = Number(req.headers['content-length'] ?? 0);
    // KYC documents are files: their route has its own limit (KYC_MAX_UPLOAD_BYTES).
    const limit = path === '/kyc/documents' ? Math.max(bodyLimitBytes, deps.config.kyc.maxUploadBytes) : bodyLimitBytes;
    if (declared > limit) return void refuseLargeBody(res, limit);
    if (path.startsWith('/matchmake/') || path === '/matchmake') {
      return void handleMatchmake(req, res, path, { ...deps, bodyLimitBytes }).catch((err) => {
        deps.log.error({ err }, 'matchmaking request failed');
        if (!res.headersSent) sendJson(res, 500, errorBody('server/internal', 'an internal error occurred; it has been logged'));
      });
    }
    for (const listener of inner) listener.call(server, req, res);
  });
}

/**
 * Same-origin requests need no CORS headers. A cross-origin one gets them only when its origin is
 * listed in CORS_ORIGINS (then with credentials: the listed origins are the operator's own apps);
 * any other origin gets none, so the browser keeps the response from it. Returns whether the
 * request may proceed as a preflight.
 */
function cors(req: http.IncomingMessage, res: http.ServerResponse, allowed: ReadonlySet<string>): boolean {
  const origin = req.headers.origin;
  res.setHeader('vary', 'Origin');
  if (!origin) return true;
  if (!allowed.has(origin)) return sameOrigin(req, origin);
  res.setHeader('access-control-allow-origin', origin);
  res.setHeader('access-control-allow-credentials', 'true');
  if (req.method === 'OPTIONS') {
    res.setHeader('access-control-allow-headers', CORS_ALLOW_HEADERS);
    res.setHeader('access-control-allow-methods', CORS_ALLOW_METHODS);
    res.setHeader('access-control-max-age', '600');
  }
  return true;
}

function sameOrigin(req: http.IncomingMessage, origin: string): boolean {
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

export function sendJson(res: http.ServerResponse, status: number, body: unknown, extraHeaders: Record<string, string> = {}): void {
  const json = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(json), ...extraHeaders });
  res.end(json);
}

/** Answers at once and closes the connection, so the rest of the body is never read. */
export function refuseLargeBody(res: http.ServerResponse, limit: number): void {
  if (res.headersSent) return void res.destroy();
  sendJson(res, 413, errorBody('http/body_too_large', `the body exceeds ${limit} bytes`), { connection: 'close' });
}

/**
 * A request Node's HTTP parser cannot read (headers or URL over the 16 KiB header limit, bytes that
 * are not HTTP, a request that stalled past the header timeout) never reaches a route: Node would
 * answer with a bare status line. The edge answers in the typed-error contract, then closes.
 */
export function answerUnreadable(err: NodeJS.ErrnoException, socket: import('node:stream').Duplex): void {
  if (err.code === 'ECONNRESET' || !socket.writable) return void socket.destroy();
  const [status, code, message] =
    err.code === 'HPE_HEADER_OVERFLOW' ? [431, 'http/headers_too_large', 'the request line and headers exceed 16 KiB'] as const
    : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? [408, 'http/timeout', 'the request was not received in time'] as const
    : [400, 'http/bad_request', 'the request could not be read'] as const;
  const body = JSON.stringify(errorBody(code, message));
  socket.end(`HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
}
