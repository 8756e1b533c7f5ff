import { expect } from 'chai';
import { createHash, createHmac } from 'node:crypto';
import fc from 'fast-check';
import { HashChain, chainNext, chainTerminal, crashElapsedMs, crashPointOf, msToReach, verifyChainLink } from '../../../actors/crash/index.ts';
import { CrashDriver, SALT, T0, testConfig, testSeed } from './helpers.ts';

/** Independent re-implementation of the documented formula (docs/FAIRNESS.md, crash), in floating point where it is exact. */
function referenceCrash(roundHash: string, salt: string): { cents: number; instant: boolean } {
  const hex = createHmac('sha256', Buffer.from(salt, 'utf8')).update(Buffer.from(roundHash, 'utf8')).digest('hex');
  const r = parseInt(hex.slice(0, 13), 16); // 52 bits: exact in a double
  const e = 2 ** 52;
  if (r < Math.ceil(e / 100)) return { cents: 100, instant: true };
  return { cents: Number((99n * BigInt(e)) / BigInt(e - r)), instant: false };
}

describe('crash provably fair chain', () => {
  it('chain elements are SHA-256 of the previous element as hex text; round i uses h(N−i)', () => {
    const seed = testSeed(1);
    const chain = new HashChain(seed, 3000);
    const sha = (s: string) => createHash('sha256').update(s).digest('hex');
    expect(chain.element(0)).to.equal(seed);
    expect(chain.element(1)).to.equal(sha(seed));
    expect(chain.terminalHash).to.equal(chainTerminal(seed, 3000));
    expect(chain.roundHash(3000)).to.equal(seed);
    expect(chain.roundHash(1)).to.equal(chain.element(2999));
    expect(chainNext(chain.roundHash(1))).to.equal(chain.terminalHash);
    for (const i of [2, 1024, 1025, 2048, 2999]) expect(chainNext(chain.roundHash(i))).to.equal(chain.roundHash(i - 1));
  });

  it('the chain verifies backwards: any revealed round hash, hashed i times, gives the published terminal hash', () => {
    const chain = new HashChain(testSeed(2), 500);
    fc.assert(fc.property(fc.integer({ min: 1, max: 500 }), (i) => {
      expect(verifyChainLink(chain.roundHash(i), chain.terminalHash, i).valid).to.equal(true);
      expect(verifyChainLink(chain.roundHash(i), chain.terminalHash, i - 1).valid).to.equal(false);
    }), { numRuns: 50 });
    // Played rounds reveal their hashes; each proves all earlier ones.
    const d = new CrashDriver(testConfig({ pauseMs: 0 }), testSeed(3), 20);
    const revealed: string[] = [];
    let now = T0;
    for (let n = 0; n < 5; n++) {
      d.open(now);
      now = d.round.startsAt + d.round.crashElapsedMs;
      const crashed = d.tick(now).at(-1) as { type: string; roundHash: string };
      expect(crashed.type).to.equal('RoundCrashed');
      revealed.push(crashed.roundHash);
    }
    expect(chainNext(revealed[0]!)).to.equal(d.chain.terminalHash);
    for (let i = 1; i < revealed.length; i++) expect(chainNext(revealed[i]!)).to.equal(revealed[i - 1]);
    expect(verifyChainLink(revealed[4]!, d.chain.terminalHash, 5).valid).to.equal(true);
  });

  it('derives crash points by the documented formula (independent implementation)', () => {
    const chain = new HashChain(testSeed(4), 2000);
    let instants = 0;
    for (let i = 1; i <= 2000; i++) {
      const h = chain.roundHash(i);
      const mine = crashPointOf(h, SALT);
      const ref = referenceCrash(h, SALT);
      expect({ cents: mine.crashCents, instant: mine.instant }).to.deep.equal(ref);
      expect(mine.crashCents).to.be.at.least(100);
      if (mine.instant) instants++;
    }
    expect(instants).to.be.within(5, 45); // 1% of 2,000
  });

  it('test vectors (docs/FAIRNESS.md): seed 64 × "0", 5 rounds, salt casino-live-crash-v1', () => {
    const chain = new HashChain('0'.repeat(64), 5);
    expect(chain.terminalHash).to.equal('74e28f4be99caf2180ed3724cfd20120ca6558db2fe7fe7b94a94078fd60afbc');
    const vectors: Array<[number, string, string, number]> = [
      [1, '9ec3061edcc690afd3cf98f217406c80a5a5400b729eb904010c6198f718cff0', '58854cf963b71', 151],
      [2, '399abe3835c28f3285d77431b8dba2b9c73319cd6d3dc8b70fef98f8cd8a870a', '4265a91d23b06', 133],
      [3, '632500b1742987815bf1e7ebc49d1da6ed2dd9659623bef3f9b96bf5e75ab702', '1c373773943d3', 111],
      [4, '60e05bd1b195af2f94112fa7197a5c88289058840ce7c6df9693756bc6250f55', '6e28e0c82ff7e', 173],
      [5, '0000000000000000000000000000000000000000000000000000000000000000', '242d2c9a9be91', 115],
    ];
    for (const [i, hash, first13, cents] of vectors) {
      expect(chain.roundHash(i)).to.equal(hash);
      const p = crashPointOf(hash, 'casino-live-crash-v1');
      expect(p.hmacHex.slice(0, 13)).to.equal(first13);
      expect(p.crashCents).to.equal(cents);
      expect(referenceCrash(hash, 'casino-live-crash-v1').cents).to.equal(cents);
    }
  });

  it('the crash instant is when the floored curve passes the crash point; instant crashes at 0 ms', () => {
    expect(crashElapsedMs({ crashCents: 100, instant: true })).to.equal(0);
    expect(crashElapsedMs({ crashCents: 100, instant: false })).to.equal(msToReach(101));
    expect(crashElapsedMs({ crashCents: 250, instant: false })).to.equal(msToReach(251));
  });
});
