/**
 * `POST /matchmake/:method/:roomName`: the seat reservation the Colyseus SDK asks for before it
 * opens a room's WebSocket, served here instead of by Colyseus' own route (server/http/edge.ts)
 * so that the body is bounded, nothing is created by a client, and every refusal is a typed error
 * (docs/ERRORS.md, "matchmake/"). The token is checked, and the per-player and per-address caps
 * applied, by each room's static `onAuth` (rooms/auth.ts) before any seat is reserved.
 *
 * Methods: `joinOrCreate` and `join` join an existing room (clients create none: tables and
 * events are the server's, the lobby is created at start), `joinById` a room by id,
 * `reconnect` resumes a dropped session with its reconnection token. `create` is refused.
 */
import type http from 'node:http';
import { ErrorCode, matchMaker, ServerError, type AuthContext } from '@colyseus/core';
import { nanoid } from 'nanoid';
import { z } from 'zod';
import { describeIssues, errorBody } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { findIllFormedText } from '../text.ts';
import { refuseLargeBody, sendJson } from './edge.ts';

export interface MatchmakeDeps {
  log: Logger;
  bodyLimitBytes: number;
  isDraining: () => boolean;
  /** The client's address, as trusted per TRUST_PROXY. */
  clientIp: (req: http.IncomingMessage) => string;
  /** The transport's protocol name, echoed to the SDK when the transport has one. */
  protocol?: string;
}

export const METHODS = new Set(['joinOrCreate', 'join', 'joinById', 'reconnect']);
export const ROOM_NAME = /^[A-Za-z0-9_.-]{1,128}$/;

const idOption = z.string().min(1).max(64);
/**
 * Names an options object must not have: Object.prototype's members (and `__proto__`). Colyseus'
 * matchmaker calls `options.hasOwnProperty(field)` on what the client sent, so a client's
 * `{"hasOwnProperty": "x"}` made it throw (a 500), and a `"__proto__"` key became the copied
 * options' prototype, handing the matchmaker a `tableId` no schema had checked.
 */
const INHERITED = new Set([...Object.getOwnPropertyNames(Object.prototype), '__proto__']);

/** Join options: an object, bounded by the body limit; the fields the server reads are typed. */
export const optionsSchema = z.object({
  tableId: idOption.optional(),
  eventId: idOption.optional(),
  reconnectionToken: z.string().min(1).max(128).optional(),
}).passthrough();

export class MatchmakeError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly headers: Record<string, string> = {}) {
    super(message);
  }
}

export async function handleMatchmake(req: http.IncomingMessage, res: http.ServerResponse, path: string, deps: MatchmakeDeps): Promise<void> {
  const requestId = String(req.headers['x-request-id'] ?? '').slice(0, 64) || nanoid(12);
  res.setHeader('x-request-id', requestId);
  try {
    const reservation = await reserve(req, path, deps);
    sendJson(res, 200, deps.protocol === undefined ? reservation : { ...(reservation as object), protocol: deps.protocol });
  } catch (e) {
    if (e instanceof BodyTooLarge) return void refuseLargeBody(res, deps.bodyLimitBytes);
    const err = e instanceof MatchmakeError ? e : translate(e, path);
    if (err.status >= 500 && err.code === 'server/internal') deps.log.error({ reqId: requestId, err: e }, 'matchmaking failed');
    else deps.log.info({ reqId: requestId, code: err.code }, 'matchmaking refused');
    // `message` at the top level too: the SDK shows `data.message` as its join error's message.
    const body = { ...errorBody(err.code, err.message), message: `${err.code}: ${err.message}` };
    sendJson(res, err.status, body, err.headers);
  }
}

async function reserve(req: http.IncomingMessage, path: string, deps: MatchmakeDeps): Promise<unknown> {
  if (req.method !== 'POST') throw new MatchmakeError(404, 'http/not_found', `no route for ${req.method} ${path.slice(0, 200)}`);
  const parts = path.split('/');
  if (parts.length !== 4 || parts[1] !== 'matchmake') throw new MatchmakeError(404, 'http/not_found', 'matchmaking routes are POST /matchmake/<method>/<roomName>');
  const method = parts[2]!;
  let roomName: string;
  try {
    roomName = decodeURIComponent(parts[3]!);
  } catch {
    throw new MatchmakeError(400, 'http/invalid_path', 'the room name is not valid percent-encoding');
  }
  if (method === 'create') throw new MatchmakeError(403, 'matchmake/create_forbidden', 'clients cannot create rooms: tables and live events are opened by the server; join one by id');
  if (!METHODS.has(method)) throw new MatchmakeError(404, 'matchmake/unknown_method', `no matchmaking method "${method.slice(0, 40)}" (joinOrCreate, join, joinById, reconnect)`);
  if (!ROOM_NAME.test(roomName)) throw new MatchmakeError(400, 'http/invalid_path', 'a room name or id is 1–128 of A–Z a–z 0–9 _ . -');
  if (deps.isDraining() || matchMaker.state === matchMaker.MatchMakerState.SHUTTING_DOWN) {
    throw new MatchmakeError(503, 'server/draining', 'this process is shutting down; retry on another', { connection: 'close' });
  }
  const options = parseOptions(await readBody(req, deps.bodyLimitBytes));
  const byName = method === 'join' || method === 'joinOrCreate';
  if (byName && !Object.hasOwn(matchMaker.getAllHandlers(), roomName)) {
    throw new MatchmakeError(404, 'matchmake/unknown_room_type', `no room type "${roomName.slice(0, 40)}" (lobby, roulette, market)`);
  }
  const context = authContext(req, deps);
  switch (method) {
    case 'joinById':
      return seatRetried(() => matchMaker.joinById(roomName, options, context));
    case 'reconnect':
      if (typeof options.reconnectionToken !== 'string') throw new MatchmakeError(400, 'matchmake/invalid_options', 'reconnect needs the reconnectionToken of the dropped session');
      return matchMaker.reconnect(roomName, options);
    default:
      // joinOrCreate is accepted for the SDK's sake, but only ever joins.
      return matchMaker.join(roomName, options, context);
  }
}

/**
 * Colyseus retries join/joinOrCreate when the room's process could not reserve the seat (a room
 * that is moving, a cross-process call that timed out under load) but not joinById: so it is
 * retried here, a little later, twice at most. A failed attempt reserved nothing.
 */
async function seatRetried<T>(reserve: () => Promise<T>, attempts = 3): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await reserve();
    } catch (e) {
      if (i >= attempts || !isSeatReservationError(e)) throw e;
      await new Promise((r) => setTimeout(r, 150 * i));
    }
  }
}

/** Colyseus' SeatReservationError (not exported by @colyseus/core), known by its messages. */
function isSeatReservationError(e: unknown): boolean {
  return e instanceof Error && /is already full|is not available|is no longer available/.test(e.message);
}

function authContext(req: http.IncomingMessage, deps: MatchmakeDeps): AuthContext {
  const header = req.headers.authorization;
  const m = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers.set(k, v);
  return { token: m?.[1], ip: deps.clientIp(req), headers, req };
}

class BodyTooLarge extends Error {}

function readBody(req: http.IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.off('data', onData);
        req.pause();
        return reject(new BodyTooLarge());
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => {
      const buf = Buffer.concat(chunks);
      const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
      try {
        resolve(text.decode(buf));
      } catch {
        reject(new MatchmakeError(415, 'http/unsupported_encoding', 'send UTF-8 JSON'));
      }
    });
    req.once('error', reject);
  });
}

function parseOptions(text: string): Record<string, unknown> {
  if (text.trim() === '') return {};
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new MatchmakeError(400, 'http/invalid_json', 'the body is not valid JSON');
  }
  const bad = findIllFormedText(raw);
  if (bad !== null) throw new MatchmakeError(400, 'http/invalid_text', `${bad || 'the body'} holds ill-formed UTF-16 (a lone surrogate)`);
  // Checked on the parsed JSON itself: JSON.parse keeps `"__proto__"` as an own key, which a copy would turn into the prototype.
  const inherited = raw !== null && typeof raw === 'object' ? Object.keys(raw).find((k) => INHERITED.has(k)) : undefined;
  if (inherited !== undefined) throw new MatchmakeError(400, 'matchmake/invalid_options', `join options may not be named like a built-in property ("${inherited}")`);
  const parsed = optionsSchema.safeParse(raw);
  if (!parsed.success) throw new MatchmakeError(400, 'matchmake/invalid_options', `join options must be a JSON object: ${describeIssues(parsed.error.issues)}`);
  return parsed.data;
}

/** Colyseus' matchmaking errors (numeric 52x codes, untyped text) as typed errors. */
function translate(e: unknown, path: string): MatchmakeError {
  const err = e as { code?: unknown; message?: unknown; name?: string };
  const message = typeof err?.message === 'string' ? err.message : '';
  // Ours, thrown by onAuth/onCreate/onJoin as ServerError(status, "<ns>/<code>: <message>").
  const typed = /^([a-z_]+\/[a-z_]+): ([\s\S]*)$/.exec(message);
  if (typed) {
    const status = typeof err.code === 'number' && err.code >= 400 && err.code < 600 ? err.code : 400;
    const headers: Record<string, string> = status === 429 ? retryAfter(typed[2]!) : {};
    return new MatchmakeError(status, typed[1]!, typed[2]!, headers);
  }
  const roomName = decodeSafe(path.split('/')[3] ?? '');
  const method = path.split('/')[2];
  if (isSeatReservationError(e)) {
    return new MatchmakeError(503, 'matchmake/room_full', 'the room has no free seat; retry shortly');
  }
  switch (err?.code) {
    case ErrorCode.MATCHMAKE_NO_HANDLER:
      return new MatchmakeError(404, 'matchmake/unknown_room_type', `no room type "${roomName.slice(0, 40)}"`);
    case ErrorCode.MATCHMAKE_INVALID_CRITERIA:
      return notFound(method === 'joinById' ? null : roomName, roomName);
    case ErrorCode.MATCHMAKE_INVALID_ROOM_ID:
      if (/is locked/.test(message)) return new MatchmakeError(409, 'matchmake/room_locked', `room ${roomName} is locked: it takes no new players now (operators' lock, drain or hand-over)`);
      if (method === 'reconnect') return new MatchmakeError(410, 'matchmake/reconnect_failed', 'the room of this session has closed; join again');
      return notFound(null, roomName);
    case ErrorCode.MATCHMAKE_EXPIRED:
      return new MatchmakeError(410, 'matchmake/reconnect_failed', 'the reconnection token is invalid or its grace period has ended; join again');
    case ErrorCode.AUTH_FAILED:
      return new MatchmakeError(401, 'auth/invalid_token', 'the token was refused');
  }
  if (e instanceof ServerError && /reconnectionToken/.test(message)) return new MatchmakeError(400, 'matchmake/invalid_options', message);
  return new MatchmakeError(500, 'server/internal', 'an internal error occurred; it has been logged');
}

/** A missing room, named by what the client asked for: a table, a live event, or a room. */
function notFound(roomType: string | null, roomId: string): MatchmakeError {
  const kind = roomType ?? (/^roulette-/i.test(roomId) ? 'roulette' : /^lobby/i.test(roomId) ? 'lobby' : 'market');
  if (kind === 'roulette') return new MatchmakeError(404, 'table/not_found', roomType ? 'no such table' : `no table ${roomId}`);
  if (kind === 'market') return new MatchmakeError(404, 'event/not_found', roomType ? 'no such live event is open' : `no open event ${roomId}`);
  return new MatchmakeError(404, 'matchmake/room_not_found', `no room ${roomId}`);
}

function retryAfter(message: string): Record<string, string> {
  const m = /retry in (\d+) s/.exec(message);
  return m ? { 'retry-after': m[1]! } : {};
}

function decodeSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
