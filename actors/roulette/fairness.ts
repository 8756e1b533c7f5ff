/**
 * Provably fair roulette (the full scheme, for independent verifiers, is docs/FAIRNESS.md).
 *   commitment:  serverSeedHash = hex(SHA-256(utf8(serverSeed)))
 *   draw:        for i = 0, 1, …: digest = HMAC-SHA256(key = utf8(serverSeed), msg = utf8(`${clientSeed}:${nonce}:${i}`));
 *                read digest as 8 big-endian uint32 words; the first word w < ACCEPT_BELOW gives pocket = w mod 37.
 * createHash/createHmac are pure functions of their inputs; nothing here reads clocks or RNGs.
 */
import { createHash, createHmac } from 'node:crypto';
import { POCKET_COUNT } from './layout.ts';

/** 2^32 − (2^32 mod 37) = 4294967296 − 7: the words ≥ this would favour pockets 0..6, so they are skipped. */
export const ACCEPT_BELOW = 4294967296 - (4294967296 % POCKET_COUNT);

/** Words rejected in a row with probability (7/2^32)^8 per digest; this cap is never reached in practice. */
const MAX_DIGESTS = 1_000;

const SERVER_SEED = /^[0-9a-f]{64}$/;
const CLIENT_SEED = /^[\x20-\x7e]{1,64}$/;

export function isValidServerSeed(seed: unknown): seed is string {
  return typeof seed === 'string' && SERVER_SEED.test(seed);
}

/** 1..64 printable ASCII characters (0x20..0x7E). */
export function isValidClientSeed(seed: unknown): seed is string {
  return typeof seed === 'string' && CLIENT_SEED.test(seed);
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** The commitment published when a round opens. */
export function hashServerSeed(serverSeed: string): string {
  return sha256Hex(serverSeed);
}

/**
 * The round's client seed, fixed when betting closes: the roundId when no player submitted a
 * seed, otherwise hex(SHA-256(seeds ordered by playerId, joined with '\n')). Seeds are printable
 * ASCII, so '\n' never occurs inside one. `seedsInPlayerIdOrder` must already be in that order.
 */
export function roundClientSeed(roundId: string, seedsInPlayerIdOrder: readonly string[]): string {
  return seedsInPlayerIdOrder.length === 0 ? roundId : sha256Hex(seedsInPlayerIdOrder.join('\n'));
}

/** HMAC-SHA256 keyed with the UTF-8 bytes of the seed string (Node encodes a string key as UTF-8). */
export function drawDigest(serverSeed: string, clientSeed: string, nonce: number, i: number): Buffer {
  return createHmac('sha256', serverSeed).update(`${clientSeed}:${nonce}:${i}`, 'utf8').digest();
}

/** Pocket from the first acceptable word of a 32-byte digest, or null when all eight are rejected. */
export function pocketFromDigest(digest: Uint8Array): number | null {
  for (let offset = 0; offset + 4 <= digest.length; offset += 4) {
    // big-endian uint32; `>>> 0` keeps it unsigned
    const word = ((digest[offset] << 24) | (digest[offset + 1] << 16) | (digest[offset + 2] << 8) | digest[offset + 3]) >>> 0;
    if (word < ACCEPT_BELOW) return word % POCKET_COUNT;
  }
  return null;
}

export interface DrawTrace {
  pocket: number;
  /** HMAC counter i that produced the pocket. */
  digestIndex: number;
  digestHex: string;
}

function draw(serverSeed: string, clientSeed: string, nonce: number): { pocket: number; digestIndex: number; digest: Buffer } {
  for (let i = 0; i < MAX_DIGESTS; i++) {
    const digest = drawDigest(serverSeed, clientSeed, nonce, i);
    const pocket = pocketFromDigest(digest);
    if (pocket !== null) return { pocket, digestIndex: i, digest };
  }
  throw new Error(`roulette draw: no acceptable word in ${MAX_DIGESTS} digests (HMAC broken?)`);
}

/** The pocket with the digest that produced it (for docs and verifier output). */
export function traceRoulettePocket(serverSeed: string, clientSeed: string, nonce: number): DrawTrace {
  const { pocket, digestIndex, digest } = draw(serverSeed, clientSeed, nonce);
  return { pocket, digestIndex, digestHex: digest.toString('hex') };
}

/** The pocket 0..36 determined by the seeds and nonce. */
export function deriveRoulettePocket(serverSeed: string, clientSeed: string, nonce: number): number {
  return draw(serverSeed, clientSeed, nonce).pocket;
}

export interface RoundProof {
  serverSeed: string;
  serverSeedHash: string;
  clientSeed: string;
  nonce: number;
  /** The published pocket. */
  result: number;
}

export interface RoundVerification {
  /** True when the hash matches and the published result is the derived pocket. */
  valid: boolean;
  hashMatches: boolean;
  resultMatches: boolean;
  computedHash: string;
  computedPocket: number;
}

export function verifyRound(proof: RoundProof): RoundVerification {
  const computedHash = hashServerSeed(proof.serverSeed);
  const computedPocket = deriveRoulettePocket(proof.serverSeed, proof.clientSeed, proof.nonce);
  const hashMatches = computedHash === proof.serverSeedHash.toLowerCase();
  const resultMatches = computedPocket === proof.result;
  return { valid: hashMatches && resultMatches, hashMatches, resultMatches, computedHash, computedPocket };
}
