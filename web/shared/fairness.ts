/**
 * The provably-fair roulette and crash derivations (docs/FAIRNESS.md, actors/roulette and actors/crash) re-done
 * in the browser with WebCrypto, so a player checks a round without trusting the server:
 *   commitment: hex(SHA-256(utf8(serverSeed))) must equal the hash published before betting;
 *   draw:       HMAC-SHA256(key = utf8(serverSeed), msg = utf8(`${clientSeed}:${nonce}:${i}`)),
 *               8 big-endian uint32 words, the first word < 2^32 − (2^32 mod 37) gives word mod 37.
 * WebCrypto needs a secure context (https, or http on localhost).
 */
const POCKETS = 37;
const ACCEPT_BELOW = 4294967296 - (4294967296 % POCKETS);
const MAX_DIGESTS = 1000;
const utf8 = new TextEncoder();

function subtle(): SubtleCrypto {
  const s = globalThis.crypto?.subtle;
  if (!s) throw new Error('verification needs WebCrypto: open the site over https or on localhost');
  return s;
}

function hex(bytes: ArrayBuffer): string {
  return Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, '0')).join('');
}

export async function sha256Hex(text: string): Promise<string> {
  return hex(await subtle().digest('SHA-256', utf8.encode(text)));
}

export function pocketFromDigest(digest: Uint8Array): number | null {
  const view = new DataView(digest.buffer, digest.byteOffset, digest.byteLength);
  for (let offset = 0; offset + 4 <= digest.length; offset += 4) {
    const word = view.getUint32(offset, false);
    if (word < ACCEPT_BELOW) return word % POCKETS;
  }
  return null;
}

export async function derivePocket(serverSeed: string, clientSeed: string, nonce: number): Promise<{ pocket: number; digestIndex: number }> {
  const key = await subtle().importKey('raw', utf8.encode(serverSeed), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  for (let i = 0; i < MAX_DIGESTS; i++) {
    const digest = new Uint8Array(await subtle().sign('HMAC', key, utf8.encode(`${clientSeed}:${nonce}:${i}`)));
    const pocket = pocketFromDigest(digest);
    if (pocket !== null) return { pocket, digestIndex: i };
  }
  throw new Error('no acceptable word in 1000 digests');
}

export interface RoundProof {
  roundId: string;
  serverSeed: string;
  serverSeedHash: string;
  clientSeed: string;
  /** The players' seeds in rule order (GET /fairness/rounds/:roundId); null when the record lacks them. */
  clientSeeds: string[] | null;
  nonce: number;
  result: number;
}

export interface Verification {
  /** True only when every step was checked and holds: a step that cannot be checked fails. */
  valid: boolean;
  hashMatches: boolean;
  /** The client seed is the rule applied to the players' seeds (FAIRNESS.md §3); null: cannot be checked. */
  clientSeedMatches: boolean | null;
  resultMatches: boolean;
  computedHash: string;
  computedClientSeed: string | null;
  computedPocket: number;
}

/** The round's client seed from the players' seeds (FAIRNESS.md §3). */
export async function roundClientSeed(roundId: string, seeds: readonly string[]): Promise<string> {
  return seeds.length === 0 ? roundId : sha256Hex(seeds.join('\n'));
}

export async function verifyRound(p: RoundProof): Promise<Verification> {
  const computedHash = await sha256Hex(p.serverSeed);
  const { pocket } = await derivePocket(p.serverSeed, p.clientSeed, p.nonce);
  const computedClientSeed = p.clientSeeds ? await roundClientSeed(p.roundId, p.clientSeeds) : null;
  const hashMatches = computedHash === p.serverSeedHash.toLowerCase();
  const clientSeedMatches = computedClientSeed === null ? null : computedClientSeed === p.clientSeed;
  const resultMatches = pocket === p.result;
  const valid = hashMatches && clientSeedMatches === true && resultMatches;
  return { valid, hashMatches, clientSeedMatches, resultMatches, computedHash, computedClientSeed, computedPocket: pocket };
}

// ------------------------------------------------------------------ crash (docs/FAIRNESS.md, crash)

/** Longest chain walk the browser does (a round's position in its chain). */
const MAX_CHAIN_STEPS = 10_000_000;
const TWO_52 = 2n ** 52n;

/** Crash point from the round hash and the salt: HMAC-SHA256(key = salt, msg = round hash), first 52 bits r, floor(99·2^52/(2^52−r)); below 100 is an instant crash (published 1.00×). */
export async function crashPoint(roundHash: string, salt: string): Promise<{ crashCents: number; instant: boolean; hmacHex: string }> {
  const key = await subtle().importKey('raw', utf8.encode(salt), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const hmacHex = hex(await subtle().sign('HMAC', key, utf8.encode(roundHash)));
  const r = BigInt(`0x${hmacHex.slice(0, 13)}`);
  const raw = (99n * TWO_52) / (TWO_52 - r);
  const instant = raw < 100n;
  return { crashCents: instant ? 100 : Number(raw > BigInt(Number.MAX_SAFE_INTEGER) ? BigInt(Number.MAX_SAFE_INTEGER) : raw), instant, hmacHex };
}

export interface CrashProof {
  roundHash: string;
  salt: string;
  /** The round's position in its chain: SHA-256 applied this many times gives the terminal hash. */
  chainIndex: number;
  terminalHash: string;
  /** The published crash point (hundredths). */
  crashCents: number;
}

export interface CrashVerification {
  valid: boolean;
  chainMatches: boolean;
  crashMatches: boolean;
  computedCrashCents: number;
}

export async function verifyCrashRound(p: CrashProof): Promise<CrashVerification> {
  if (!Number.isSafeInteger(p.chainIndex) || p.chainIndex < 1 || p.chainIndex > MAX_CHAIN_STEPS) throw new Error('chain position out of range');
  let h = p.roundHash;
  for (let i = 0; i < p.chainIndex; i++) h = await sha256Hex(h);
  const { crashCents } = await crashPoint(p.roundHash, p.salt);
  const chainMatches = h === p.terminalHash.toLowerCase();
  const crashMatches = crashCents === p.crashCents;
  return { valid: chainMatches && crashMatches, chainMatches, crashMatches, computedCrashCents: crashCents };
}

// ------------------------------------------------------------------ blackjack shoes

/**
 * The provably fair blackjack shoe (docs/FAIRNESS.md, "Blackjack"; actors/blackjack/shoe.ts) with
 * WebCrypto: Fisher–Yates from position N−1 down to 1, each j = uniform(i + 1) from the word stream
 * HMAC-SHA256(key = utf8(serverSeed), msg = utf8(`${clientSeed}:${nonce}:${k}`)), k = 0, 1, …, eight
 * big-endian uint32 words per digest, a word w used only when w < 2^32 − (2^32 mod n).
 * Cards: 0..51, rank = card mod 13 (A 2 … 9 T J Q K), suit = floor(card / 13) (C D H S).
 */
export async function shuffleShoe(serverSeed: string, clientSeed: string, nonce: number, decks: number): Promise<number[]> {
  const key = await subtle().importKey('raw', utf8.encode(serverSeed), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const n = decks * 52;
  const order = Array.from({ length: n }, (_, p) => p % 52);
  let words: DataView | null = null;
  let offset = 32;
  let k = 0;
  const next = async (): Promise<number> => {
    if (offset >= 32) {
      words = new DataView(await subtle().sign('HMAC', key, utf8.encode(`${clientSeed}:${nonce}:${k++}`)));
      offset = 0;
    }
    const w = words!.getUint32(offset, false);
    offset += 4;
    return w;
  };
  for (let i = n - 1; i >= 1; i--) {
    const limit = 4294967296 - (4294967296 % (i + 1));
    let w = await next();
    while (w >= limit) w = await next();
    const j = w % (i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}

export function cardCode(card: number): string {
  return 'A23456789TJQK'[card % 13]! + 'CDHS'[Math.floor(card / 13)]!;
}

export interface ShoeProof {
  shoeId: string;
  serverSeed: string;
  serverSeedHash: string;
  clientSeed: string;
  /** The players' seeds in rule order (GET /fairness/shoes/:shoeId); null when the record lacks them. */
  clientSeeds: string[] | null;
  nonce: number;
  /** Cards in the shoe (52 × decks). */
  cards: number;
}

export interface ShoeVerification {
  /** True only when every step was checked and holds. */
  valid: boolean;
  hashMatches: boolean;
  clientSeedMatches: boolean | null;
  /** Each dealt card checked against the shoe: its position, the code seen and the shoe's code there. */
  dealt: Array<{ position: number; card: string; shoe: string | null; matches: boolean }>;
}

/** Verifies a finished shoe and, card by card, the cards a player saw dealt from it (positions from the game recall). */
export async function verifyShoe(p: ShoeProof, dealt: ReadonlyArray<{ position: number; card: string }>): Promise<ShoeVerification> {
  const hashMatches = (await sha256Hex(p.serverSeed)) === p.serverSeedHash.toLowerCase();
  const expectedClientSeed = p.clientSeeds ? await roundClientSeed(p.shoeId, p.clientSeeds) : null;
  const clientSeedMatches = expectedClientSeed === null ? null : expectedClientSeed === p.clientSeed;
  const order = await shuffleShoe(p.serverSeed, p.clientSeed, p.nonce, p.cards / 52);
  const checked = dealt.map((d) => {
    const shoe = d.position < order.length ? cardCode(order[d.position]!) : null;
    return { position: d.position, card: d.card, shoe, matches: shoe === d.card };
  });
  return { valid: hashMatches && clientSeedMatches === true && checked.every((c) => c.matches), hashMatches, clientSeedMatches, dealt: checked };
}
