/** The browser's WebCrypto port of the roulette derivation agrees with the server's (node:crypto). */
import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { deriveRoulettePocket, hashServerSeed, roundClientSeed, traceRoulettePocket } from '../../actors/roulette/fairness.ts';
import { crashPoint, derivePocket, sha256Hex, verifyCrashRound, verifyRound } from '../../web/shared/fairness.ts';
import { HashChain, crashPointOf } from '../../actors/crash/index.ts';

describe('browser fairness verifier (WebCrypto port)', () => {
  it('derives the same pocket and commitment as the server for 300 seeds, clients seeds and nonces', async () => {
    for (let i = 0; i < 300; i++) {
      const serverSeed = createHash('sha256').update(`web-seed-${i}`).digest('hex');
      const clientSeed = i % 3 === 0 ? `roulette-1:${i}` : `player seed ${i} ~!`;
      const { pocket, digestIndex } = await derivePocket(serverSeed, clientSeed, i + 1);
      expect(pocket, `seed ${i}`).to.equal(deriveRoulettePocket(serverSeed, clientSeed, i + 1));
      expect(digestIndex).to.equal(traceRoulettePocket(serverSeed, clientSeed, i + 1).digestIndex);
      expect(await sha256Hex(serverSeed)).to.equal(hashServerSeed(serverSeed));
    }
  });

  it('verifies an honest round and refuses a wrong result or a seed that does not match the commitment', async () => {
    const serverSeed = createHash('sha256').update('honest').digest('hex');
    const proof = { roundId: 'roulette-1:7', serverSeed, serverSeedHash: hashServerSeed(serverSeed), clientSeed: 'roulette-1:7', clientSeeds: [] as string[] | null, nonce: 7, result: deriveRoulettePocket(serverSeed, 'roulette-1:7', 7) };
    expect(await verifyRound(proof)).to.include({ valid: true, hashMatches: true, clientSeedMatches: true, resultMatches: true });
    expect(await verifyRound({ ...proof, result: (proof.result + 1) % 37 })).to.include({ valid: false, hashMatches: true, resultMatches: false });
    expect(await verifyRound({ ...proof, serverSeedHash: hashServerSeed('0'.repeat(64)) })).to.include({ valid: false, hashMatches: false });
  });

  it('checks the client seed against the players\' seeds, and fails when it cannot be checked', async () => {
    const serverSeed = createHash('sha256').update('seeded').digest('hex');
    const seeds = ['my lucky seed', 'hello world'];
    const clientSeed = roundClientSeed('roulette-1:42', seeds);
    const proof = { roundId: 'roulette-1:42', serverSeed, serverSeedHash: hashServerSeed(serverSeed), clientSeed, clientSeeds: seeds as string[] | null, nonce: 42, result: deriveRoulettePocket(serverSeed, clientSeed, 42) };
    expect(await verifyRound(proof)).to.include({ valid: true, clientSeedMatches: true, computedClientSeed: clientSeed });
    expect(await verifyRound({ ...proof, clientSeeds: ['someone else'] })).to.include({ valid: false, clientSeedMatches: false });
    expect(await verifyRound({ ...proof, clientSeeds: null })).to.include({ valid: false, clientSeedMatches: null, hashMatches: true, resultMatches: true });
  });
});

describe('browser crash verifier (WebCrypto port)', () => {
  it('derives the same crash points as the server for 500 chain elements', async () => {
    const chain = new HashChain(createHash('sha256').update('web crash').digest('hex'), 500);
    for (let i = 1; i <= 500; i++) {
      const h = chain.roundHash(i);
      const mine = await crashPoint(h, 'casino-live-crash-v1');
      const server = crashPointOf(h, 'casino-live-crash-v1');
      expect({ c: mine.crashCents, i: mine.instant }, `round ${i}`).to.deep.equal({ c: server.crashCents, i: server.instant });
    }
  });

  it('verifies the documented vector, and refuses a wrong crash point or chain position', async () => {
    const proof = { roundHash: '9ec3061edcc690afd3cf98f217406c80a5a5400b729eb904010c6198f718cff0', salt: 'casino-live-crash-v1', chainIndex: 1, terminalHash: '74e28f4be99caf2180ed3724cfd20120ca6558db2fe7fe7b94a94078fd60afbc', crashCents: 151 };
    expect(await verifyCrashRound(proof)).to.deep.equal({ valid: true, chainMatches: true, crashMatches: true, computedCrashCents: 151 });
    expect(await verifyCrashRound({ ...proof, crashCents: 152 })).to.include({ valid: false, crashMatches: false });
    expect(await verifyCrashRound({ ...proof, chainIndex: 2 })).to.include({ valid: false, chainMatches: false });
  });
});
