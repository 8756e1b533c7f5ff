/**
 * The physical reference of the benchmark: a bare `ws` server on the same transport settings as
 * ours, doing nothing but echo each message back to its sender and, when asked, broadcasting a
 * timestamped frame to every connection. It exposes the same process figures as our server's
 * `/metrics` (CPU, RSS), so the bench reads both the same way.
 *   node --import tsx load-tests/bench/echo-server.ts <port>
 *   POST /broadcast?everyMs=1000&bytes=64   start broadcasting   POST /broadcast/stop
 */
import http from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';
import { Protocol } from '@colyseus/sdk';

const port = Number(process.argv[2] ?? 2570);
const clients = new Set<WebSocket>();
let broadcast: NodeJS.Timeout | null = null;

function metrics(): string {
  const cpu = process.cpuUsage();
  return [
    `process_cpu_seconds_total ${(cpu.user + cpu.system) / 1e6}`,
    `process_resident_memory_bytes ${process.memoryUsage.rss()}`,
    `casino_clients ${clients.size}`,
    '',
  ].join('\n');
}

/** [ROOM_STATE_PATCH, float64 LE send time (epoch ms, sub-ms), zero padding] */
function frame(bytes: number): Buffer {
  const buf = Buffer.alloc(Math.max(9, bytes));
  buf[0] = Protocol.ROOM_STATE_PATCH;
  buf.writeDoubleLE(performance.timeOrigin + performance.now(), 1);
  return buf;
}

const server = http.createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://x');
  if (url.pathname === '/healthz') return void res.end('{"ok":true}');
  if (url.pathname === '/metrics') return void res.end(metrics());
  if (req.method === 'POST' && url.pathname === '/broadcast') {
    const everyMs = Number(url.searchParams.get('everyMs') ?? 1000);
    const bytes = Number(url.searchParams.get('bytes') ?? 64);
    if (broadcast) clearInterval(broadcast);
    broadcast = setInterval(() => {
      const buf = frame(bytes);
      for (const ws of clients) ws.send(buf);
    }, everyMs);
    return void res.end('{"ok":true}');
  }
  if (req.method === 'POST' && url.pathname === '/broadcast/stop') {
    if (broadcast) clearInterval(broadcast);
    broadcast = null;
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
