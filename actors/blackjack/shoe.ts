/**
 * The provably fair shoe (docs/FAIRNESS.md, "Blackjack"). Per shoe:
 *   commitment:  serverSeedHash = hex(SHA-256(utf8(serverSeed)))           (published before its first hand)
 *   client seed: the shoe id when no player submitted one, else hex(SHA-256(seeds ordered by playerId, joined '\n'))
 *   stream:      digest k = HMAC-SHA256(key = utf8(serverSeed), msg = utf8(`${clientSeed}:${nonce}:${k}`)), k = 0, 1, …,
 *                each read as 8 big-endian uint32 words, in order; nonce = the shoe number
 *   uniform(n):  the next word w with w < 2^32 − (2^32 mod n) gives w mod n (other words are skipped)
 *   shuffle:     start from position p holding card p mod 52 (deck after deck, each in card order 0..51);
 *                for i = N−1 down to 1: j = uniform(i + 1), swap positions i and j (Fisher–Yates)
 * Cards are then dealt from position 0 up. node:crypto's hash functions are pure; no clock, no RNG.
 */
import { createHash, type Hash } from 'node:crypto';
import type { Card } from './cards.ts';

const TWO_32 = 4294967296;

/**
 * An endless stream of uint32 words from HMAC-SHA256(serverSeed, `${clientSeed}:${nonce}:${k}`).
 * HMAC is computed from its definition (RFC 2104) with the key's inner and outer hash states
 * prepared once per stream: the same digests as createHmac, without a key object per digest.
 */
export class WordStream {
  private digest: Buffer | null = null;
  private offset = 32;
  /** Digests used so far. */
  digests = 0;
  private readonly inner: Hash;
  private readonly outer: Hash;

  constructor(serverSeed: string, private readonly clientSeed: string, private readonly nonce: number) {
    let key = Buffer.from(serverSeed, 'utf8');
    if (key.length > 64) key = createHash('sha256').update(key).digest();
    const block = Buffer.alloc(64);
    key.copy(block);
    this.inner = createHash('sha256').update(block.map((b) => b ^ 0x36));
    this.outer = createHash('sha256').update(block.map((b) => b ^ 0x5c));
  }

  /** HMAC-SHA256 of digest k. */
  digestAt(k: number): Buffer {
    const inner = this.inner.copy().update(`${this.clientSeed}:${this.nonce}:${k}`, 'utf8').digest();
    return this.outer.copy().update(inner).digest();
  }

  next(): number {
    if (this.offset >= 32) {
      this.digest = this.digestAt(this.digests);
      this.digests++;
      this.offset = 0;
    }
    const word = this.digest!.readUInt32BE(this.offset);
    this.offset += 4;
    return word;
  }

  /** A uniform integer in 0..n−1 (n ≤ 2^32) by rejection sampling. */
  uniform(n: number): number {
    const limit = TWO_32 - (TWO_32 % n);
    for (;;) {
      const w = this.next();
      if (w < limit) return w % n;
    }
  }
}

/** The shoe's card order: position → card (0..51). */
export function shuffleShoe(serverSeed: string, clientSeed: string, nonce: number, decks: number): Card[] {
  const n = decks * 52;
  const order = new Array<number>(n);
  for (let p = 0; p < n; p++) order[p] = p % 52;
  const stream = new WordStream(serverSeed, clientSeed, nonce);
  for (let i = n - 1; i >= 1; i--) {
    const j = stream.uniform(i + 1);
    const t = order[i]!;
    order[i] = order[j]!;
    order[j] = t;
  }
  return order;
}

export function shoeIdOf(tableId: string, number: number): string {
  return `${tableId}:shoe-${number}`;
}

export function roundIdOf(tableId: string, number: number): string {
  return `${tableId}:${number}`;
}
