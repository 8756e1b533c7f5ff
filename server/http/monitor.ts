/**
 * The @colyseus/monitor dashboard and its JSON API, for admins only. The monitor answers its own
 * refusals in its own shape (`{ message, code: 'VALIDATION_ERROR' }`, or plain text when a room
 * call throws), written straight to the socket by its router; they are rewritten here into the
 * typed error body every other route uses (docs/ERRORS.md), so an API client sees one error
 * contract everywhere. Successful answers pass through untouched.
 */
import { monitor } from '@colyseus/monitor';
import type { NextFunction, Request, RequestHandler, Response } from 'express';

/**
 * A refusal as the monitor wrote it → its status and the typed error body (at most 500 characters
 * of its message kept). The monitor answers 500 for a room that is gone or a call that fails on it
 * ("room … is not available anymore"): that is a 404 of the room, not a server fault.
 */
export function typedMonitorError(status: number, raw: string): { status: number; body: string } {
  let own: { message?: unknown; code?: unknown; error?: { code?: unknown } } = {};
  try {
    own = JSON.parse(raw) ?? {};
  } catch {
    own = { message: raw };
  }
  if (typeof own.error === 'object' && own.error !== null && typeof own.error.code === 'string') return { status, body: raw };
  const full = typeof own.message === 'string' && own.message ? own.message : 'the monitor refused the request';
  const gone = /is not available anymore/i.test(full);
  const message = full.slice(0, 500);
  const code = gone || status === 404 ? 'http/not_found' : status >= 500 ? 'server/internal' : status === 401 || status === 403 ? 'auth/forbidden' : 'http/invalid_query';
  const details = typeof own.code === 'string' ? { details: { monitorCode: own.code } } : {};
  return { status: gone ? 404 : status, body: JSON.stringify({ error: { code, message, ...details } }) };
}

/**
 * Runs `handler` (the monitor's router) with a refusal it writes (status ≥ 400) buffered and sent
 * typed instead. What the monitor passes on (`next`) runs with the response as it was.
 */
export function withTypedRefusals(handler: RequestHandler): RequestHandler {
  const wrapped: RequestHandler = (req: Request, res: Response, next: NextFunction) => {
    const originals = { writeHead: res.writeHead, write: res.write, end: res.end };
    const writeHead = res.writeHead.bind(res) as (...a: unknown[]) => Response;
    const write = res.write.bind(res) as (...a: unknown[]) => boolean;
    const end = res.end.bind(res) as (...a: unknown[]) => Response;
    let refusal = false;
    // Node's own end() writes its implicit header through writeHead: that one passes straight on.
    let passing = false;
    const chunks: Buffer[] = [];
    const keep = (chunk: unknown) => {
      if (typeof chunk === 'string' || chunk instanceof Uint8Array) chunks.push(Buffer.from(chunk));
    };
    res.writeHead = ((status: number, ...rest: unknown[]) => {
      if (passing || status < 400) return writeHead(status, ...rest);
      refusal = true;
      res.statusCode = status;
      return res;
    }) as Response['writeHead'];
    res.write = ((chunk: unknown, ...rest: unknown[]) => {
      if (!refusal) return write(chunk, ...rest);
      keep(chunk);
      return true;
    }) as Response['write'];
    res.end = ((chunk?: unknown, ...rest: unknown[]) => {
      passing = true;
      if (!refusal) return end(chunk, ...rest);
      if (typeof chunk !== 'function') keep(chunk);
      const typed = typedMonitorError(res.statusCode, Buffer.concat(chunks).toString('utf8'));
      res.removeHeader('content-length');
      res.setHeader('content-type', 'application/json; charset=utf-8');
      res.statusCode = typed.status;
      writeHead(typed.status);
      return end(typed.body);
    }) as Response['end'];
    handler(req, res, (err?: unknown) => {
      Object.assign(res, originals);
      next(err);
    });
  };
  // The monitor carries its endpoints as properties (server/http/route-list.ts reads them there).
  return Object.assign(wrapped, handler);
}

/** The monitor behind `adminOnly`, its refusals typed. */
export function monitorRouter(adminOnly: RequestHandler): RequestHandler[] {
  return [adminOnly, withTypedRefusals(monitor() as unknown as RequestHandler)];
}
