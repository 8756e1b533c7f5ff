import { expect } from 'chai';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { bootTestServer, type TestServer } from '../support/server.ts';
import { runLoad } from '../../load-tests/run/runner.ts';
import { Progress } from '../../load-tests/report/progress.ts';
import { LOAD_EDGE_LIMITS, type Scenario } from '../../load-tests/scenarios/types.ts';

const tiny: Scenario = {
  name: 'smoke',
  description: 'a few bots of every kind for a few seconds',
  durationS: 4,
  rampUpS: 1,
  workers: 0,
  groups: [
    { kind: 'roulette-player', client: 'sdk', count: 3, betsPerSecond: 4, removeShare: 0.3, dropsPerMinute: 6 },
    { kind: 'roulette-player', client: 'lean', count: 2, betsPerSecond: 4 },
    { kind: 'roulette-player', client: 'lean', decode: false, count: 2, betsPerSecond: 4 },
    { kind: 'roulette-watcher', client: 'lean', decode: true, count: 3 },
  ],
  watcherAccounts: 2,
  serverEnv: {},
};

describe('load runner (smoke, against an in-process server)', function () {
  this.timeout(60_000);
  let srv: TestServer;
  let results: string;

  before(async () => {
    srv = await bootTestServer({ ...LOAD_EDGE_LIMITS, ROULETTE_TABLES: '2', ROULETTE_BETTING_WINDOW_MS: '1500', ROULETTE_SPIN_MS: '100', ROULETTE_PAUSE_MS: '200', CLIENT_MESSAGES_PER_SECOND: '200' });
    results = fs.mkdtempSync(path.join(os.tmpdir(), 'casino-load-results-'));
  });
  after(async () => {
    await srv?.stop();
    fs.rmSync(results, { recursive: true, force: true });
  });

  it('runs a tiny scenario, checks the books in the database and writes the JSON and HTML report', async () => {
    const { result, dir } = await runLoad({ scenario: tiny, url: srv.url, dataDir: srv.dataDir, resultsRoot: results, settleTimeoutS: 10, progress: new Progress(false, true) });
    expect(result.failures).to.deep.equal([]);
    expect(result.passed).to.equal(true);
    expect(result.books.mode).to.equal('database');
    expect(result.totals.counters.betsAcked).to.be.greaterThan(0);
    expect(result.books.stats.ackedBets).to.equal(new Set(fs.readFileSync(path.join(dir, 'acked-w0.ndjson'), 'utf8').split('\n').filter((l) => l.includes('"k":"bet"'))).size);
    expect(result.totals.latency.betAck!.p99Ms).to.be.greaterThan(0);
    expect(result.totals.latency.broadcast!.count).to.be.greaterThan(0);
    expect(result.series.length).to.be.greaterThan(2);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'result.json'), 'utf8')).passed).to.equal(true);
    expect(fs.readFileSync(path.join(dir, 'report.html'), 'utf8')).to.match(/<svg[\s\S]*Bet acknowledgement latency/);
  });

  it('fails the run when an acknowledged bet has vanished from the ledger', async () => {
    const { result } = await runLoad({
      scenario: tiny, url: srv.url, dataDir: srv.dataDir, resultsRoot: results, settleTimeoutS: 10, progress: new Progress(false, true),
      beforeBooksCheck: async ({ dir, dbFile }) => {
        const firstBet = JSON.parse(fs.readFileSync(path.join(dir, 'acked-w0.ndjson'), 'utf8').split('\n').find((l) => l.includes('"k":"bet"'))!);
        const db = new DatabaseSync(dbFile!, { timeout: 5000 });
        db.prepare('DELETE FROM holds WHERE id = ?').run(`roulette:${firstBet.t}:bet:${firstBet.b}`);
        db.close();
      },
    });
    expect(result.passed).to.equal(false);
    expect(result.failures).to.include('the books check failed');
    expect(result.books.problems.join('\n')).to.include('has no hold');
  });
});
