/**
 * A lean Colyseus client for high connection counts: matchmaking over HTTP, one `ws` socket,
 * request/response and room messages, and the room state decoded only when a root schema class
 * is given (then the server skips the handshake reflection, as it does for the SDK given a
 * class). Without a schema the state frames are only timestamped, which is what lets one bot
 * process hold thousands of connections.
 */
import WebSocket from 'ws';
import { Decoder, type Schema } from '@colyseus/schema';
import { SchemaSerializer } from '@colyseus/sdk';
import { JOIN_ACK, LEAVE, Protocol, decodeError, decodeJoin, decodeResponse, decodeRoomData, encodeRequest, type Response } from './protocol.ts';
import { HTTP_TIMEOUT_MS, JOIN_TIMEOUT_MS } from './context.ts';
import type { Recorder } from '../metrics/recorder.ts';

export interface LeanClientOptions {
  /** `http://host:port` of the server (matchmaking and the WebSocket share it). */
  httpUrl: string;
  token?: string;
  /** Root schema class to decode the room state with; omit to skip decoding. */
  stateClass?: new () => Schema;
  requestTimeoutMs?: number;
  /** Every state frame (full or patch), after it was decoded (when decoding). */
  onState?: (arrivedAtMs: number, frame: Buffer) => void;
  /** Room messages, decoded (msgpack); leave unset to skip decoding them. */
  onMessage?: (type: string | number, payload: unknown) => void;
  /** Every frame received after the join (cheap counting). */
  onFrame?: (frame: Buffer) => void;
  /** The socket closed without `leave()` (server kick, network loss, `drop()`). */
  onClose?: (code: number) => void;
}

interface SeatReservation {
  name: string;
  roomId: string;
  sessionId: string;
  processId: string;
  publicAddress?: string;
  reconnectionToken?: string;
}

interface Pending {
  resolve: (r: Response) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

export class JoinError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

/** Counts a received frame, and a state patch's size (what the fan-out figures broadcast). */
export function countFrame(recorder: Recorder, frame: Buffer): void {
  recorder.count('messagesIn');
  if (frame[0] !== Protocol.ROOM_STATE_PATCH) return;
  recorder.count('patchesIn');
  recorder.count('patchBytesIn', frame.length);
}

export class LeanClient {
  roomId = '';
  sessionId = '';
  reconnectionToken = '';
  private ws: WebSocket | null = null;
  private serializer: SchemaSerializer | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextRequestId = 0;
  private leaving = false;

  constructor(private readonly opts: LeanClientOptions) {}

  get state(): any {
    return this.serializer?.state ?? null;
  }

  get isOpen(): boolean {
    return this.ws?.readyState === WebSocket.OPEN;
  }

  async joinById(roomId: string, options: Record<string, unknown> = {}): Promise<void> {
    const seat = await this.matchmake(`joinById/${encodeURIComponent(roomId)}`, options);
    if (this.opts.stateClass) {
      this.serializer = new SchemaSerializer();
      this.serializer.state = new this.opts.stateClass();
      this.serializer.decoder = new Decoder(this.serializer.state);
    }
    await this.connect(seat, {});
  }

  /** Like `client.reconnect(room.reconnectionToken)`: a new socket into the same seat. */
  async reconnect(): Promise<void> {
    const token = this.reconnectionToken;
    const seat = await this.matchmake(`reconnect/${encodeURIComponent(this.roomId)}`, { reconnectionToken: token });
    await this.connect(seat, { reconnectionToken: token });
  }

  /** A plain socket (no matchmaking): used against the bare echo server. */
  connectRaw(wsUrl: string): Promise<void> {
    return this.open(wsUrl, () => true);
  }

  request(type: string, payload: unknown): Promise<Response> {
    const ws = this.ws;
    if (!ws || ws.readyState !== WebSocket.OPEN) return Promise.reject(new Error('connection is not open'));
    const id = this.nextRequestId;
    this.nextRequestId = (id + 1) >>> 0;
    return new Promise<Response>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`request "${type}" timed out`));
      }, this.opts.requestTimeoutMs ?? 10_000);
      this.pending.set(id, { resolve, reject, timer });
      ws.send(encodeRequest(id, type, payload));
    });
  }

  /** Loses the connection without a close handshake, as a dropped network would. */
  drop(): void {
    this.ws?.terminate();
  }

  async leave(): Promise<void> {
    const ws = this.ws;
    this.leaving = true;
    if (!ws || ws.readyState !== WebSocket.OPEN) return;
    await new Promise<void>((resolve) => {
      const t = setTimeout(() => (ws.terminate(), resolve()), 2000);
      ws.once('close', () => (clearTimeout(t), resolve()));
      ws.send(LEAVE);
    });
  }

  private async matchmake(path: string, body: Record<string, unknown>): Promise<SeatReservation> {
    const res = await fetch(`${this.opts.httpUrl}/matchmake/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', ...(this.opts.token ? { authorization: `Bearer ${this.opts.token}` } : {}) },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(HTTP_TIMEOUT_MS),
    });
    const data = (await res.json().catch(() => ({}))) as SeatReservation & { code?: number; error?: string };
    if (!res.ok) throw new JoinError(`matchmake/${data.code ?? res.status}`, data.error ?? res.statusText);
    return data;
  }

  private connect(seat: SeatReservation, extra: Record<string, string>): Promise<void> {
    this.roomId = seat.roomId;
    this.sessionId = seat.sessionId;
    const base = seat.publicAddress ? `ws://${seat.publicAddress}` : this.opts.httpUrl.replace(/^http/, 'ws');
    const q = new URLSearchParams({ sessionId: seat.sessionId, ...extra });
    if (this.opts.token) q.set('_authToken', this.opts.token);
    if (this.serializer) q.set('skipHandshake', '1');
    return this.open(`${base}/${seat.processId}/${seat.roomId}?${q}`, (buf) => this.onJoinFrame(buf));
  }

  /** Opens the socket; resolves when `joined(firstFrame)` says the join is complete. */
  private open(url: string, joined: (buf: Buffer) => boolean): Promise<void> {
    this.leaving = false;
    return new Promise<void>((resolve, reject) => {
      const ws = new WebSocket(url, { perMessageDeflate: false, handshakeTimeout: JOIN_TIMEOUT_MS });
      this.ws = ws;
      let settled = false;
      // The socket may open and then never complete the join (a room closing, a stalled process).
      const joinTimer = setTimeout(() => {
        settle(new JoinError('client/timeout', `join timed out after ${JOIN_TIMEOUT_MS} ms`));
        ws.terminate();
      }, JOIN_TIMEOUT_MS);
      const settle = (err?: Error) => {
        if (settled) return;
        settled = true;
        clearTimeout(joinTimer);
        if (err) reject(err);
        else resolve();
      };
      ws.on('open', () => {
        if (!url.includes('sessionId=')) settle(); // raw socket
      });
      ws.on('error', (e) => settle(new JoinError('ws/error', e.message)));
      ws.on('message', (data: Buffer) => {
        if (!settled) {
          if (data[0] === Protocol.ERROR) {
            const e = decodeError(data);
            return settle(new JoinError(`join/${e.code}`, e.message));
          }
          if (joined(data)) settle();
          return;
        }
        this.onFrame(data);
      });
      ws.on('close', (code) => {
        if (this.ws === ws) this.ws = null;
        this.failPending('connection closed');
        settle(new JoinError('ws/closed', `closed before joining (${code})`));
        if (!this.leaving) this.opts.onClose?.(code);
      });
    });
  }

  private onJoinFrame(buf: Buffer): boolean {
    if (buf[0] !== Protocol.JOIN_ROOM) return false;
    const join = decodeJoin(buf);
    this.reconnectionToken = join.reconnectionToken;
    this.ws!.send(JOIN_ACK);
    return true;
  }

  private onFrame(buf: Buffer): void {
    this.opts.onFrame?.(buf);
    switch (buf[0]) {
      case Protocol.ROOM_RESPONSE:
      case Protocol.ROOM_REQUEST: {
        const r = decodeResponse(buf);
        const p = r && this.pending.get(r.requestId);
        if (!p) return;
        this.pending.delete(r!.requestId);
        clearTimeout(p.timer);
        p.resolve(r!);
        return;
      }
      case Protocol.ROOM_STATE:
      case Protocol.ROOM_STATE_PATCH: {
        const at = Date.now();
        if (this.serializer) {
          if (buf[0] === Protocol.ROOM_STATE) this.serializer.setState(buf, { offset: 1 });
          else this.serializer.patch(buf, { offset: 1 });
        }
        this.opts.onState?.(at, buf);
        return;
      }
      case Protocol.ROOM_DATA: {
        if (!this.opts.onMessage) return;
        const m = decodeRoomData(buf);
        this.opts.onMessage(m.type, m.payload);
        return;
      }
      case Protocol.LEAVE_ROOM:
        this.ws?.close();
        return;
    }
  }

  private failPending(reason: string): void {
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      p.reject(new Error(reason));
    }
    this.pending.clear();
  }
}
