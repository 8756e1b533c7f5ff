/**
 * The physical reference of the benchmark: a bare `ws` server on the same transport settings as
 * ours, doing nothing but echo each message back to its sender and, when asked, broadcasting a
 * timestamped frame. It exposes the same process figures as our server's `/metrics` (CPU, RSS),
 * so the bench reads both the same way.
 *   node --import tsx load-tests/bench/echo-server.ts <port>
 *   POST /broadcast?everyMs=1000&bytes=64&group=0   start broadcasting   POST /broadcast/stop
 *
 * A broadcast is the fastest a plain `ws` server can send the same bytes to many sockets: the
 * frame is encoded and framed once (`WebSocket.Sender.frame`, header and payload in one Buffer)
 * and that Buffer is written to each socket as it is — one `write` per socket, no per-client
 * framing, copying or corking. `group=0` sends it to every connection in one burst; `group=N`
 * splits the connections (in connection order) into rooms of N, each room bursting at its own
 * instant, the rooms spread evenly over the period: the shape of our tables' and events' own
 * clocks (a room's clients get its frame together; rooms do not change in step).
 */
import http from 'node:http';
import type { Socket } from 'node:net';
import * as wsModule from 'ws';
import { WebSocket, WebSocketServer } from 'ws';
import { Protocol } from '@colyseus/sdk';

const port = Number(process.argv[2] ?? 2570);
const clients = new Set<WebSocket>();
const timers = new Set<NodeJS.Timeout>();

function metrics(): string {
  const cpu = process.cpuUsage();
  return [
    `process_cpu_seconds_total ${(cpu.user + cpu.system) / 1e6}`,
    `process_resident_memory_bytes ${process.memoryUsage.rss()}`,
    `casino_clients ${clients.size}`,
    '',
  ].join('\n');
}

/** [ROOM_STATE_PATCH, float64 LE send time (epoch ms, sub-ms), zero padding], framed as one binary WebSocket frame. */
function frame(bytes: number): Buffer {
  const buf = Buffer.alloc(Math.max(9, bytes));
  buf[0] = Protocol.ROOM_STATE_PATCH;
  buf.writeDoubleLE(performance.timeOrigin + performance.now(), 1);
  return Buffer.concat(Sender.frame(buf, { fin: true, rsv1: false, opcode: 2, mask: false, readOnly: true }));
}

/** ws's frame encoder (exported by `ws`, not declared by @types/ws). */
const { Sender } = wsModule as unknown as { Sender: { frame(data: Buffer, options: object): Buffer[] } };

/** ws keeps the TCP socket private; writing the pre-framed bytes to it is what `ws.send` does last. */
const socketOf = (ws: WebSocket) => (ws as unknown as { _socket: Socket })._socket;

function burst(list: WebSocket[], bytes: number): void {
  const buf = frame(bytes);
  for (const ws of list) if (ws.readyState === WebSocket.OPEN) socketOf(ws).write(buf);
}

function stopBroadcast(): void {
  for (const t of timers) clearTimeout(t);
  timers.clear();
}

function startBroadcast(everyMs: number, bytes: number, group: number): void {
  stopBroadcast();
  const period = setInterval(() => {
    const list = [...clients];
    if (group <= 0) return burst(list, bytes);
    const rooms = Math.ceil(list.length / group);
    for (let k = 0; k < rooms; k++) {
      const t = setTimeout(() => (timers.delete(t), burst(list.slice(k * group, (k + 1) * group), bytes)), (k * everyMs) / rooms);
      timers.add(t);
    }
  }, everyMs);
  timers.add(period);
}

const server = http.createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://x');
  if (url.pathname === '/healthz') return void res.end('{"ok":true}');
  if (url.pathname === '/metrics') return void res.end(metrics());
  if (req.method === 'POST' && url.pathname === '/broadcast') {
    const everyMs = Number(url.searchParams.get('everyMs') ?? 1000);
    const bytes = Number(url.searchParams.get('bytes') ?? 64);
    startBroadcast(everyMs, bytes, Number(url.searchParams.get('group') ?? 0));
    return void res.end('{"ok":true}');
  }
  if (req.method === 'POST' && url.pathname === '/broadcast/stop') {
    stopBroadcast();
    return void res.end('{"ok":true}');
  }
  res.statusCode = 404;
  res.end();
});

const wss = new WebSocketServer({ server, perMessageDeflate: false, maxPayload: 8 * 1024 });
wss.on('connection', (ws) => {
  clients.add(ws);
  ws.on('message', (data: Buffer) => ws.send(data));
  ws.on('close', () => clients.delete(ws));
  ws.on('error', () => undefined);
});
server.listen(port, '127.0.0.1');
process.on('SIGTERM', () => process.exit(0));
