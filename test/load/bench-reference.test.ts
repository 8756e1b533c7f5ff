import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import WebSocket from 'ws';
import { freePort } from '../support/process.ts';
import { waitFor } from '../support/cluster.ts';
import { schedstatSeconds, statCpuSeconds, threadCpu } from '../../load-tests/metrics/threads.ts';
import { Aggregator } from '../../load-tests/run/aggregate.ts';
import { COUNTERS, type IntervalStats } from '../../load-tests/metrics/recorder.ts';

const ECHO = fileURLToPath(new URL('../../load-tests/bench/echo-server.ts', import.meta.url));

describe('benchmark: the plain ws fan-out reference', function () {
  this.timeout(30_000);
  let child: ChildProcess;
  let url: string;
  const sockets: WebSocket[] = [];

  before(async () => {
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    child = spawn(process.execPath, ['--import', 'tsx', ECHO, String(port)], { stdio: 'ignore' });
    await waitFor('the echo server', () => fetch(`${url}/healthz`).then((r) => r.ok), 15_000);
  });
  after(async () => {
    for (const s of sockets) s.terminate();
    child.kill();
  });

  it('sends every subscriber a valid binary frame of the asked size, in rooms that burst at their own instants', async () => {
    const got: Array<Array<{ bytes: number; sentAt: number }>> = [];
    for (let i = 0; i < 6; i++) {
      const ws = new WebSocket(url.replace('http', 'ws'));
      got.push([]);
      ws.on('message', (data: Buffer, isBinary: boolean) => {
        expect(isBinary).to.equal(true);
        got[i]!.push({ bytes: data.length, sentAt: data.readDoubleLE(1) });
      });
      await new Promise((resolve) => ws.once('open', resolve));
      sockets.push(ws);
    }
    await fetch(`${url}/broadcast?everyMs=300&bytes=84&group=2`, { method: 'POST' });
    await waitFor('a frame at every subscriber', async () => got.every((g) => g.length > 0), 10_000, 20);
    await fetch(`${url}/broadcast/stop`, { method: 'POST' });
    expect(got.map((g) => g[0]!.bytes)).to.deep.equal([84, 84, 84, 84, 84, 84]);
    const stamp = got.map((g) => g[0]!.sentAt);
    // One frame per room: the two subscribers of a room share its stamp, the rooms' stamps differ.
    expect(stamp[0]).to.equal(stamp[1]);
    expect(stamp[2]).to.equal(stamp[3]);
    expect(stamp[4]).to.equal(stamp[5]);
    expect(new Set(stamp).size).to.equal(3);
  });
});

describe('benchmark: CPU per thread from /proc', () => {
  it('reads utime + stime from a stat line whose thread name holds spaces and parentheses', () => {
    const stat = '4242 (a (b) c) S 1 2 3 4 5 6 7 8 9 10 250 50 0 0 20 0 1 0 100 0 0';
    expect(statCpuSeconds(stat)).to.equal(3);
  });

  it('reads on-CPU and run-queue wait from a schedstat line (nanoseconds)', () => {
    expect(schedstatSeconds('1500000000 250000000 42\n')).to.deep.equal([1.5, 0.25]);
  });

  it('attributes a busy named worker thread to the writer, not to the main thread', async function () {
    if (process.platform !== 'linux') this.skip();
    // Spins until the thread itself has used 300 ms of CPU (whatever else the machine does), then stays alive until terminated.
    const w = new Worker('const t = process.threadCpuUsage(); while (process.threadCpuUsage(t).user < 300000) {} require("node:worker_threads").parentPort.postMessage(1); setInterval(() => {}, 1000);', { eval: true, name: 'bench-writer' });
    await new Promise((resolve) => w.once('message', resolve));
    const cpu = threadCpu(process.pid, 'bench-writer')!;
    await w.terminate();
    expect(cpu.writerS).to.be.at.least(0.25);
    expect(cpu.mainS).to.be.greaterThan(0);
  });
});

describe('benchmark: bot CPU per second', () => {
  const interval = (at: number, cpuMs: number, wallMs: number): IntervalStats => ({
    at, counters: Object.fromEntries(COUNTERS.map((c) => [c, 0])) as IntervalStats['counters'], codes: {}, histograms: {}, connections: 0,
    process: { rssBytes: 0, cpuMs, wallMs },
  });

  it('counts a late interval of a starved bot process at its rate, not all in one second', () => {
    const agg = new Aggregator(0);
    agg.add(0, interval(500, 400, 1000));
    agg.add(0, interval(5500, 4000, 5000));
    const points = agg.closeSeconds(10_000, 0);
    expect(points.map((p) => [p.t, p.bots.cpuPct])).to.deep.equal([[0, 40], [5, 80]]);
  });
});
