import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { main } from '../../../scripts/verify-roulette-round.ts';
import type { RoundCrashed } from '../../../actors/crash/index.ts';
import { CrashDriver, SALT, T0, testConfig } from './helpers.ts';

const VECTOR = {
  roundHash: '9ec3061edcc690afd3cf98f217406c80a5a5400b729eb904010c6198f718cff0',
  terminal: '74e28f4be99caf2180ed3724cfd20120ca6558db2fe7fe7b94a94078fd60afbc',
};

async function run(argv: string[]): Promise<{ code: number; output: string }> {
  const lines: string[] = [];
  const code = await main(argv, (line) => lines.push(line));
  return { code, output: lines.join('\n') };
}

describe('verifier script: crash rounds', () => {
  it('verifies the documented vector from the command line', async () => {
    const ok = await run(['--crash', VECTOR.roundHash, 'casino-live-crash-v1', '1', VECTOR.terminal, '1.51']);
    expect(ok.code).to.equal(0);
    expect(ok.output).to.include('crash point      : 1.51×').and.include('VERDICT: VERIFIED');
  });

  it('fails a wrong crash point, a wrong chain position and a wrong salt', async () => {
    expect((await run(['--crash', VECTOR.roundHash, 'casino-live-crash-v1', '1', VECTOR.terminal, '1.52'])).code).to.equal(1);
    expect((await run(['--crash', VECTOR.roundHash, 'casino-live-crash-v1', '2', VECTOR.terminal])).output).to.include('DOES NOT MATCH');
    expect((await run(['--crash', VECTOR.roundHash, 'casino-live-crash-v2', '1', VECTOR.terminal, '1.51'])).code).to.equal(1);
    expect((await run(['--crash', 'not-a-hash', 's'])).code).to.equal(1);
  });

  describe('--url with a crash record', () => {
    let server: Server;
    let body: unknown;
    before(async () => {
      server = createServer((_req, res) => res.setHeader('content-type', 'application/json').end(JSON.stringify(body)));
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    });
    after(() => server.close());
    const url = () => `http://127.0.0.1:${(server.address() as AddressInfo).port}/fairness/rounds/crash-1:3`;

    it('verifies a round the actor played (third round of its chain), and refuses one not revealed yet', async () => {
      const d = new CrashDriver(testConfig({ pauseMs: 0 }));
      let crashed: RoundCrashed | null = null;
      let now = T0;
      for (let i = 0; i < 3; i++) {
        d.open(now);
        now = d.round.startsAt + d.round.crashElapsedMs;
        crashed = d.tick(now).at(-1) as RoundCrashed;
      }
      const record = { game: 'crash', tableId: 'crash-1', roundId: 'crash-1:3', number: 3, chainIndex: 3, terminalHash: d.chain.terminalHash, roundHash: crashed!.roundHash, salt: SALT, crashCents: crashed!.crashCents, status: 'crashed' };
      body = record;
      expect((await run(['--url', url()])).code).to.equal(0);
      body = { ...record, crashCents: crashed!.crashCents + 1 };
      expect((await run(['--url', url()])).code).to.equal(1);
      body = { ...record, roundHash: null, crashCents: null, status: 'open' };
      const open = await run(['--url', url()]);
      expect(open.code).to.equal(1);
      expect(open.output).to.include('NOT VERIFIABLE YET');
    });
  });
});
