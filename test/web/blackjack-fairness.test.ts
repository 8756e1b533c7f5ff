/** The browser's WebCrypto port of the blackjack shoe agrees with the server's (node:crypto), and verifies a hand card by card. */
import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { cardCode as serverCardCode, shuffleShoe as serverShuffle } from '../../actors/blackjack/index.ts';
import { hashServerSeed, roundClientSeed } from '../../actors/roulette/fairness.ts';
import { shuffleShoe, verifyShoe } from '../../web/shared/fairness.ts';

describe('browser blackjack shoe verifier (WebCrypto port)', () => {
  it('shuffles the same shoe as the server for 20 seeds and deck counts', async () => {
    for (let i = 0; i < 20; i++) {
      const seed = createHash('sha256').update(`web-bj-${i}`).digest('hex');
      const decks = 1 + (i % 8);
      expect(await shuffleShoe(seed, `blackjack-1:shoe-${i + 1}`, i + 1, decks)).to.deep.equal(serverShuffle(seed, `blackjack-1:shoe-${i + 1}`, i + 1, decks));
    }
  });

  it('verifies a hand card by card and catches a wrong card, a wrong seed or a wrong client seed', async () => {
    const serverSeed = createHash('sha256').update('bj honest').digest('hex');
    const clientSeeds = ['my lucky seed'];
    const clientSeed = roundClientSeed('blackjack-1:shoe-3', clientSeeds);
    const order = serverShuffle(serverSeed, clientSeed, 3, 6);
    const proof = { shoeId: 'blackjack-1:shoe-3', serverSeed, serverSeedHash: hashServerSeed(serverSeed), clientSeed, clientSeeds: clientSeeds as string[] | null, nonce: 3, cards: 312 };
    const hand = [0, 2, 5].map((position) => ({ position, card: serverCardCode(order[position]!) }));
    expect(await verifyShoe(proof, hand)).to.include({ valid: true, hashMatches: true, clientSeedMatches: true });
    const wrong = [...hand.slice(0, 2), { position: 5, card: serverCardCode((order[5]! + 1) % 52) }];
    const bad = await verifyShoe(proof, wrong);
    expect(bad.valid).to.equal(false);
    expect(bad.dealt[2]).to.include({ matches: false, shoe: hand[2]!.card });
    expect(await verifyShoe({ ...proof, serverSeedHash: hashServerSeed('0'.repeat(64)) }, hand)).to.include({ valid: false, hashMatches: false });
    expect(await verifyShoe({ ...proof, clientSeeds: ['someone else'] }, hand)).to.include({ valid: false, clientSeedMatches: false });
    expect(await verifyShoe({ ...proof, clientSeeds: null }, hand)).to.include({ valid: false, clientSeedMatches: null });
  });
});
