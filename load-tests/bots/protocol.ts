/**
 * Just enough of the Colyseus 0.18 wire protocol for the lean client: the join handshake,
 * request/response frames (what `room.request` sends), and telling frame kinds apart. Payloads
 * are msgpack, as in the SDK, so the lean client and the SDK send the same bytes.
 */
import { decode, encode, type Iterator } from '@colyseus/schema';
import { Packr, unpack } from 'msgpackr';
import { Protocol } from '@colyseus/sdk';

export { Protocol };

const packr = new Packr();
const header = Buffer.alloc(256);

/** `[ROOM_REQUEST, varint requestId, type, msgpack payload]` */
export function encodeRequest(requestId: number, type: string, payload: unknown): Buffer {
  const it: Iterator = { offset: 1 };
  header[0] = Protocol.ROOM_REQUEST;
  encode.number(header, requestId, it);
  encode.string(header, type, it);
  const body = packr.pack(payload);
  const out = Buffer.allocUnsafe(it.offset + body.length);
  header.copy(out, 0, 0, it.offset);
  body.copy(out, it.offset);
  return out;
}

export interface Response {
  requestId: number;
  ok: boolean;
  payload: unknown;
}

/**
 * A ROOM_RESPONSE, or a ROOM_REQUEST coming back unchanged from the bare echo server (the
 * benchmark's reference), which counts as an `ok` answer without a payload.
 */
export function decodeResponse(buf: Buffer): Response | null {
  const it: Iterator = { offset: 1 };
  if (buf[0] === Protocol.ROOM_RESPONSE) {
    const requestId = decode.number(buf, it) as number;
    const status = buf[it.offset++];
    const payload = buf.length > it.offset ? unpack(buf.subarray(it.offset)) : undefined;
    return { requestId, ok: status === 0, payload };
  }
  if (buf[0] === Protocol.ROOM_REQUEST) return { requestId: decode.number(buf, it) as number, ok: true, payload: undefined };
  return null;
}

/** `[ROOM_DATA, type, msgpack payload]` → type and payload. */
export function decodeRoomData(buf: Buffer): { type: string | number; payload: unknown } {
  const it: Iterator = { offset: 1 };
  const type = decode.stringCheck(buf, it) ? decode.string(buf, it) : (decode.number(buf, it) as number);
  return { type, payload: buf.length > it.offset ? unpack(buf.subarray(it.offset)) : undefined };
}

/** `[JOIN_ROOM, len, reconnectionToken, len, serializerId, varint len, handshake…]` */
export function decodeJoin(buf: Buffer): { reconnectionToken: string; handshakeEnd: number; it: Iterator } {
  const it: Iterator = { offset: 1 };
  const reconnectionToken = decode.utf8Read(buf, it, buf[it.offset++]!);
  decode.utf8Read(buf, it, buf[it.offset++]!); // serializer id ("schema")
  const len = decode.number(buf, it) as number;
  return { reconnectionToken, handshakeEnd: it.offset + len, it };
}

export function decodeError(buf: Buffer): { code: number; message: string } {
  const it: Iterator = { offset: 1 };
  return { code: decode.number(buf, it) as number, message: decode.string(buf, it) };
}

export const JOIN_ACK = Buffer.from([Protocol.JOIN_ROOM]);
export const LEAVE = Buffer.from([Protocol.LEAVE_ROOM]);
