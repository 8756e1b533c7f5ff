import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { hashServerSeed } from '../../../actors/roulette/index.ts';
import { main } from '../../../scripts/verify-roulette-round.ts';
import { T0, TableDriver } from './helpers.ts';
import type { BettingClosed, ResultDrawn, RoundOpened } from '../../../actors/roulette/index.ts';

const ZEROS = '0'.repeat(64);
const ZEROS_HASH = '60e05bd1b195af2f94112fa7197a5c88289058840ce7c6df9693756bc6250f55';

async function run(argv: string[]): Promise<{ code: number; output: string }> {
  const lines: string[] = [];
  const code = await main(argv, (line) => lines.push(line));
  return { code, output: lines.join('\n') };
}

/** A finished round from the actor, shaped like GET /fairness/rounds/:roundId. */
function finishedRoundRecord() {
  const table = new TableDriver();
  table.tick(T0);
  table.ok({ type: 'submitClientSeed', playerId: 'bob', seed: 'b0b', now: T0 + 1 });
  table.ok({ type: 'submitClientSeed', playerId: 'al', seed: 'al!', now: T0 + 1 });
  table.advance();
  table.advance();
  const opened = table.journal.find((e): e is RoundOpened => e.type === 'RoundOpened')!;
  const closed = table.journal.find((e): e is BettingClosed => e.type === 'BettingClosed')!;
  const drawn = table.journal.find((e): e is ResultDrawn => e.type === 'ResultDrawn')!;
  return {
    tableId: opened.tableId,
    roundId: opened.roundId,
    nonce: opened.number,
    serverSeedHash: opened.serverSeedHash,
    serverSeed: drawn.serverSeed,
    clientSeed: drawn.clientSeed,
    clientSeeds: closed.clientSeeds,
    result: drawn.pocket,
    status: 'settled',
  };
}

describe('verify-roulette-round CLI', () => {
  it('verifies a round from its seeds, nonce, hash and pocket', async () => {
    const { code, output } = await run([ZEROS, 'lucky-7', '42', ZEROS_HASH, '7']);
    expect(code).to.equal(0);
    expect(output).to.contain('pocket           : 7 (red)').and.contain('VERDICT: VERIFIED');
  });

  it('fails on a wrong pocket or a hash that does not match the seed', async () => {
    expect((await run([ZEROS, 'lucky-7', '42', ZEROS_HASH, '8'])).code).to.equal(1);
    const tampered = await run([ZEROS, 'lucky-7', '42', hashServerSeed('1'.repeat(64)), '7']);
    expect(tampered.code).to.equal(1);
    expect(tampered.output).to.contain('DOES NOT MATCH').and.contain('VERDICT: FAILED');
  });

  it('computes the pocket when nothing is given to compare, and refuses bad usage', async () => {
    const computed = await run([ZEROS, 'lucky-7', '42']);
    expect(computed.code).to.equal(0);
    expect(computed.output).to.contain('VERDICT: COMPUTED pocket 7');
    expect((await run([ZEROS, 'x'])).code).to.equal(1);
    expect((await run([ZEROS, 'x', '0'])).code).to.equal(1);
    expect((await run([ZEROS, 'x', '1', ZEROS_HASH, '37'])).code).to.equal(1);
    expect((await run(['--url'])).code).to.equal(1);
  });

  describe('--url', () => {
    let server: Server;
    let base: string;
    const routes = new Map<string, { status: number; body: string }>();

    before(async () => {
      server = createServer((req, res) => {
        const route = routes.get(req.url ?? '') ?? { status: 404, body: '{"error":{"code":"round/not_found"}}' };
        res.writeHead(route.status, { 'content-type': 'application/json' }).end(route.body);
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/fairness/rounds/`;
      const record = finishedRoundRecord();
      routes.set('/fairness/rounds/good', { status: 200, body: JSON.stringify(record) });
      routes.set('/fairness/rounds/wrong-result', { status: 200, body: JSON.stringify({ ...record, result: (record.result + 1) % 37 }) });
      routes.set('/fairness/rounds/wrong-seeds', { status: 200, body: JSON.stringify({ ...record, clientSeeds: ['al!', 'b0b', 'extra'] }) });
      routes.set('/fairness/rounds/wrong-nonce', { status: 200, body: JSON.stringify({ ...record, nonce: 2 }) });
      routes.set('/fairness/rounds/voided', {
        status: 200,
        body: JSON.stringify({ ...record, clientSeed: null, clientSeeds: null, result: null, status: 'voided' }),
      });
      routes.set('/fairness/rounds/running', { status: 200, body: JSON.stringify({ ...record, serverSeed: null, clientSeed: null, result: null }) });
      routes.set('/fairness/rounds/garbage', { status: 200, body: 'not json' });
      const { clientSeeds: _omitted, ...withoutSeeds } = record;
      routes.set('/fairness/rounds/no-seeds', { status: 200, body: JSON.stringify(withoutSeeds) });
      routes.set('/fairness/rounds/no-hash', { status: 200, body: JSON.stringify({ ...record, serverSeedHash: null }) });
    });

    after(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it('fetches a finished round and verifies commitment, client seed rule, nonce and result', async () => {
      const { code, output } = await run(['--url', `${base}good`]);
      expect(output).to.contain('client seed rule : from 2 player seed(s)').and.contain('VERDICT: VERIFIED');
      expect(code).to.equal(0);
    });

    it('fails a round whose result, client seeds or nonce do not check out', async () => {
      for (const name of ['wrong-result', 'wrong-seeds', 'wrong-nonce']) {
        const { code, output } = await run(['--url', `${base}${name}`]);
        expect(code, name).to.equal(1);
        expect(output, name).to.contain('VERDICT: FAILED');
      }
    });

    it('fails a round record missing the players\' seeds or the commitment: a step that cannot be checked is not verified', async () => {
      const noSeeds = await run(['--url', `${base}no-seeds`]);
      expect(noSeeds.code).to.equal(1);
      expect(noSeeds.output).to.contain('client seed rule : CANNOT BE CHECKED').and.contain('VERDICT: FAILED').and.not.contain('VERIFIED');
      const noHash = await run(['--url', `${base}no-hash`]);
      expect(noHash.code).to.equal(1);
      expect(noHash.output).to.contain('CANNOT BE CHECKED: the record has no serverSeedHash');
    });

    it('verifies the commitment of a voided round and reports a running round as not verifiable yet', async () => {
      const voided = await run(['--url', `${base}voided`]);
      expect(voided.code).to.equal(0);
      expect(voided.output).to.contain('VOIDED ROUND, commitment verified');
      const running = await run(['--url', `${base}running`]);
      expect(running.code).to.equal(1);
      expect(running.output).to.contain('NOT VERIFIABLE YET');
    });

    it('fails clearly on a 404 or a body that is not JSON', async () => {
      const missing = await run(['--url', `${base}nope`]);
      expect(missing.code).to.equal(1);
      expect(missing.output).to.contain('answered 404');
      expect((await run(['--url', `${base}garbage`])).output).to.contain('response is not JSON');
    });
  });
});
