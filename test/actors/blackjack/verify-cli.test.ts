import { expect } from 'chai';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cardCode, shuffleShoe } from '../../../actors/blackjack/index.ts';
import { hashServerSeed } from '../../../actors/roulette/fairness.ts';
import { main } from '../../../scripts/verify-blackjack-shoe.ts';

const ZEROS = '0'.repeat(64);

async function run(argv: string[]): Promise<{ code: number; output: string }> {
  const lines: string[] = [];
  const code = await main(argv, (line) => lines.push(line));
  return { code, output: lines.join('\n') };
}

describe('verify-blackjack-shoe CLI', () => {
  const order = shuffleShoe(ZEROS, 'blackjack-1:shoe-1', 1, 6);
  const cards = [0, 1, 4, 9].map((p) => `${p}:${cardCode(order[p]!)}`).join(',');

  it('verifies the commitment and each dealt card against the documented vector', async () => {
    const { code, output } = await run([ZEROS, 'blackjack-1:shoe-1', '1', '--hash', hashServerSeed(ZEROS), '--cards', cards]);
    expect(code).to.equal(0);
    expect(output).to.include('0:7D 1:KD 2:6S');
    expect(output).to.match(/VERDICT: VERIFIED$/);
  });

  it('fails a card the shoe does not have at that position, and bad usage', async () => {
    const wrong = await run([ZEROS, 'blackjack-1:shoe-1', '1', '--cards', '0:7H']);
    expect(wrong.code).to.equal(1);
    expect(wrong.output).to.include('DOES NOT MATCH (the shoe has 7D there)');
    expect((await run(['only-one-arg'])).code).to.equal(1);
    expect((await run([ZEROS, 'x', '1', '--cards', '4:ZZ'])).output).to.include('bad card');
  });

  describe('--url', () => {
    let server: Server;
    let body: unknown;
    before(async () => {
      server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body)));
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    });
    after(() => server.close());
    const url = () => `http://127.0.0.1:${(server.address() as AddressInfo).port}/fairness/shoes/blackjack-1:shoe-1`;

    it('checks a finished shoe record, its client seed rule, and refuses an open one', async () => {
      body = { shoeId: 'blackjack-1:shoe-1', nonce: 1, cards: 312, serverSeedHash: hashServerSeed(ZEROS), serverSeed: ZEROS, clientSeed: 'blackjack-1:shoe-1', clientSeeds: [], status: 'finished' };
      const ok = await run(['--url', url(), '--cards', cards]);
      expect(ok.code, ok.output).to.equal(0);
      expect(ok.output).to.include('client seed rule : from 0 player seed(s)');
      body = { ...(body as object), clientSeeds: null };
      expect((await run(['--url', url()])).output).to.include('CANNOT BE CHECKED');
      body = { ...(body as object), serverSeed: null, status: 'open' };
      const open = await run(['--url', url()]);
      expect(open.code).to.equal(1);
      expect(open.output).to.include('NOT VERIFIABLE YET');
    });
  });
});
