/**
 * The accumulators load scenario, short: bettors of multiples over 20 live events spread over two
 * server processes (real processes, Redis under a private prefix, one shared store), then every
 * event settled and the run's books check — which holds every accepted slip against its journal,
 * stake hold, payouts and legs — must pass.
 */
import { expect } from 'chai';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runLoad } from '../../load-tests/run/runner.ts';
import { Progress } from '../../load-tests/report/progress.ts';
import { accumulators } from '../../load-tests/scenarios/accumulators.ts';
import { countOpenSlipHolds } from '../../load-tests/check/slip-books.ts';
import { openReadOnly } from '../../load-tests/check/books.ts';
import { LOAD_EDGE_LIMITS, type Scenario } from '../../load-tests/scenarios/types.ts';
import type { ServerProcess } from '../support/process.ts';
import { http } from '../support/server.ts';
import { cleanRedis, startClusterNode, testPrefix, waitFor } from '../support/cluster.ts';
import { roomsOn } from '../support/chaos.ts';

const EVENTS = 20;
/** `LOAD_FULL=1`: the scenario as shipped (120 s, 100 bettors of multiples, 200 watchers, a bot process) instead of the short CI version. */
const FULL = process.env.LOAD_FULL === '1';

describe('load: accumulators across 20 live events on two processes, books checked', function () {
  this.timeout(FULL ? 900_000 : 240_000);
  let prefix: string;
  let dataDir: string;
  let results: string;
  let nodes: ServerProcess[] = [];

  before(() => {
    prefix = testPrefix('acca-load');
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'casino-acca-load-'));
    results = fs.mkdtempSync(path.join(os.tmpdir(), 'casino-acca-results-'));
  });
  after(async () => {
    await Promise.all(nodes.map((n) => n.kill('SIGKILL')));
    await cleanRedis(prefix);
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.rmSync(results, { recursive: true, force: true });
  });

  it('every accepted slip is in the books, settled and paid as its journal says', async () => {
    const env = { ...LOAD_EDGE_LIMITS, REDIS_PREFIX: prefix, DATA_DIR: dataDir, ROULETTE_TABLES: '1', BET_DELAY_MS: '300', ADMIN_USERNAME: 'ops', ADMIN_PASSWORD: 'ops-pass-1', SLIP_SWEEP_MS: '500' };
    const a = await startClusterNode(env);
    nodes.push(a);
    const admin = (await http(a.url, 'POST', '/auth/login', { username: 'ops', password: 'ops-pass-1' })).body.token;
    const ids = Array.from({ length: EVENTS }, (_, i) => `load-ev-${i + 1}`);
    for (const eventId of ids) {
      const res = await http(a.url, 'POST', '/admin/events', { eventId, league: 'E0', home: `H${eventId}`, away: `A${eventId}`, lambdaHome: 1.4 + (ids.indexOf(eventId) % 5) / 10, lambdaAway: 1.1, startsAt: Date.now() - 1000 }, admin);
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
    }
    const b = await startClusterNode(env);
    nodes.push(b);
    await waitFor('events spread over both processes', async () => {
      const [x, y] = [await roomsOn(a), await roomsOn(b)];
      return x >= 3 && y >= 3 && x + y === EVENTS + 1;
    }, 90_000, 250);

    const scenario: Scenario = FULL ? accumulators : {
      ...accumulators, durationS: 10, rampUpS: 2, workers: 0,
      groups: [
        { kind: 'market-accumulator', count: 12, slipsPerSecond: 1, minLegs: 2, maxLegs: 8, systemShare: 0.25, builderShare: 0.25 },
        { kind: 'market-watcher', count: 4 },
      ],
      watcherAccounts: 2,
    };
    const { result } = await runLoad({
      scenario, url: a.url, dataDir, resultsRoot: FULL ? (process.env.LOAD_RESULTS ?? results) : results, settleTimeoutS: FULL ? 30 : 5, progress: new Progress(false, true),
      beforeBooksCheck: async ({ runTag }) => {
        // Every event ends: each leg gets its result at whichever process hosts its event.
        for (const [i, eventId] of ids.entries()) {
          const res = await http(a.url, 'POST', `/admin/events/${eventId}/settle`, { reason: 'load test', score: { home: i % 3, away: (i * 7) % 3 } }, admin);
          expect(res.status, JSON.stringify(res.body)).to.equal(200);
        }
        await waitFor('every slip of the run settled', async () => {
          const db = openReadOnly(path.join(dataDir, 'casino.sqlite'));
          try {
            return countOpenSlipHolds(db, `${runTag}-`) === 0;
          } finally {
            db.close();
          }
        }, 60_000, 250);
      },
    });
    console.log(`      ${FULL ? 'full scenario' : 'short run'}; slips: ${JSON.stringify(Object.fromEntries(Object.entries(result.books.stats).filter(([k]) => k.includes('lip'))))}, codes: ${JSON.stringify(result.totals.codes)}, slip ack p99 ${result.totals.latency.slipAck?.p99Ms ?? '?'} ms`);
    expect(result.books.problems, result.books.problems.join('\n')).to.deep.equal([]);
    expect(result.passed, result.failures.join('; ')).to.equal(true);
    expect(result.books.stats.ackedSlips).to.be.greaterThan(20);
    expect(result.books.stats.slips_settled).to.equal(result.books.stats.ackedSlips);
  });
});
