import { createHash, createHmac } from 'node:crypto';
import { expect } from 'chai';
import {
  ACCEPT_BELOW,
  deriveRoulettePocket,
  hashServerSeed,
  isValidServerSeed,
  roundClientSeed,
  traceRoulettePocket,
  verifyRound,
} from '../../../actors/roulette/index.ts';
import type { ResultDrawn, RoundOpened } from '../../../actors/roulette/index.ts';
import { pocketFromDigest } from '../../../actors/roulette/fairness.ts';
import { T0, TableDriver, testSeed } from './helpers.ts';

/** 2^32 = 4294967296 = 37 × 116080197 + 7, so the largest multiple of 37 that fits is 4294967289. */
const THRESHOLD = 4294967289;

/** Independent reference implementation of the documented derivation. */
function referencePocket(serverSeed: string, clientSeed: string, nonce: number): number {
  for (let i = 0; ; i++) {
    const digest = createHmac('sha256', serverSeed).update(`${clientSeed}:${nonce}:${i}`).digest();
    for (let j = 0; j < 32; j += 4) {
      const word = digest.readUInt32BE(j);
      if (word < THRESHOLD) return word % 37;
    }
  }
}

const ZEROS = '0'.repeat(64);
const DOC_SEED = 'cfec95caed42a30fbd4b33f0dba1a80bbefc90ae270c4d87289a27b713eec6b3';
const DOC_CLIENT_SEED = '5f116c121716a179685af3edb06255c97c4e8a2abfafa134683a813b091cf84e';

describe('roulette provable fairness', () => {
  it('rejects words from 2^32 − (2^32 mod 37) = 4294967289 up', () => {
    expect(4294967296 % 37).to.equal(7);
    expect(37 * 116080197).to.equal(4294967289);
    expect(ACCEPT_BELOW).to.equal(THRESHOLD);
  });

  it('commits to the server seed with SHA-256 of its hex string', () => {
    expect(hashServerSeed(ZEROS)).to.equal('60e05bd1b195af2f94112fa7197a5c88289058840ce7c6df9693756bc6250f55');
    for (let n = 0; n < 20; n++) expect(hashServerSeed(testSeed(n))).to.equal(createHash('sha256').update(testSeed(n)).digest('hex'));
  });

  it('derives the published test vectors (cross-checked with Python hmac)', () => {
    const vectors: Array<[string, string, number, number, string]> = [
      [ZEROS, 'table-1:1', 1, 31, '69a95d4652b2494f9262757047bc277b3356e6c14946c9d4091194367324bd84'],
      [ZEROS, 'lucky-7', 42, 7, 'c3a28ac39e7a03a9a56c559495ebeed4814ec6c7a0036e9fc9c6c3f75acb469f'],
      [ZEROS, 'table-1:2', 2, 19, 'f39cbe309cad3f7a5fcda27db6647f09b3f32ebc7cd44bbdd140aa5f0da863cd'],
      // the worked example of docs/FAIRNESS.md
      [DOC_SEED, DOC_CLIENT_SEED, 42, 3, 'c01c55e81e376dfc5d9d57c5f71436199e7f8dc5d3416359e12b9ba204878442'],
    ];
    for (const [serverSeed, clientSeed, nonce, pocket, digestHex] of vectors) {
      expect(traceRoulettePocket(serverSeed, clientSeed, nonce)).to.deep.equal({ pocket, digestIndex: 0, digestHex });
      expect(referencePocket(serverSeed, clientSeed, nonce)).to.equal(pocket);
    }
  });

  it('agrees with an independent implementation on 5,000 seed/nonce combinations', () => {
    for (let n = 0; n < 5_000; n++) {
      const serverSeed = testSeed(n % 50);
      const clientSeed = n % 3 === 0 ? `table:${n}` : createHash('sha256').update(`c${n}`).digest('hex');
      expect(deriveRoulettePocket(serverSeed, clientSeed, n + 1)).to.equal(referencePocket(serverSeed, clientSeed, n + 1));
    }
  });

  it('skips words at or above the threshold and takes the next word of the digest', () => {
    const digest = (...words: number[]) => {
      const bytes = Buffer.alloc(32, 0xff);
      words.forEach((w, i) => bytes.writeUInt32BE(w, 4 * i));
      return bytes;
    };
    expect(pocketFromDigest(digest(0))).to.equal(0);
    expect(pocketFromDigest(digest(THRESHOLD - 1))).to.equal(36);
    expect(pocketFromDigest(digest(0xffffffff, THRESHOLD, THRESHOLD - 1))).to.equal(36);
    expect(pocketFromDigest(digest(THRESHOLD + 6, 38))).to.equal(1);
    expect(pocketFromDigest(Buffer.alloc(32, 0xff))).to.equal(null); // all eight rejected: next HMAC counter
  });

  it('fixes the client seed by the documented rule', () => {
    expect(roundClientSeed('t:1', [])).to.equal('t:1');
    expect(roundClientSeed('t:1', ['alpha', 'bravo'])).to.equal('f8b8bb8a99c48715ef17a0c75ca4c74f6e97053e97076c3d28724de904b842b9');
    expect(roundClientSeed('roulette-1:42', ['my lucky seed', 'hello world'])).to.equal(DOC_CLIENT_SEED);
    expect(hashServerSeed(DOC_SEED)).to.equal('9aa8ec6f32bf386c42596243a1312ba76d0eda845667985bdc9529da374b6227');
  });

  it('verifies an honest round and catches a wrong seed, hash or result', () => {
    const proof = { serverSeed: ZEROS, serverSeedHash: hashServerSeed(ZEROS), clientSeed: 'lucky-7', nonce: 42, result: 7 };
    expect(verifyRound(proof)).to.include({ valid: true, hashMatches: true, resultMatches: true, computedPocket: 7 });
    expect(verifyRound({ ...proof, serverSeedHash: proof.serverSeedHash.toUpperCase() }).valid).to.equal(true);
    expect(verifyRound({ ...proof, result: 8 })).to.include({ valid: false, hashMatches: true, resultMatches: false });
    expect(verifyRound({ ...proof, serverSeed: testSeed(1) })).to.include({ valid: false, hashMatches: false });
    expect(verifyRound({ ...proof, nonce: 43 }).resultMatches).to.equal(deriveRoulettePocket(ZEROS, 'lucky-7', 43) === 7);
  });

  it('publishes a commitment at open that the revealed seed of every round verifies against', () => {
    const table = new TableDriver();
    table.tick(T0);
    table.ok({ type: 'submitClientSeed', playerId: 'p', seed: 'hello', now: T0 + 1 });
    for (let i = 0; i < 3 * 6; i++) table.advance();
    const opened = table.journal.filter((e): e is RoundOpened => e.type === 'RoundOpened');
    const drawn = table.journal.filter((e): e is ResultDrawn => e.type === 'ResultDrawn');
    expect(drawn).to.have.length(6);
    for (const result of drawn) {
      const commitment = opened.find((o) => o.roundId === result.roundId)!;
      expect(isValidServerSeed(result.serverSeed)).to.equal(true);
      const verdict = verifyRound({ serverSeed: result.serverSeed, serverSeedHash: commitment.serverSeedHash, clientSeed: result.clientSeed, nonce: commitment.number, result: result.pocket });
      expect(verdict.valid, result.roundId).to.equal(true);
    }
  });
});
