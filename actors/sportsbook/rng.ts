/** Seeded PRNG for the simulator: FNV-1a to hash a seed to 32 bits, mulberry32 to draw from it. */

export type Rng = () => number;

/** 32-bit FNV-1a hash of a string seed (numbers are hashed by their decimal form). */
export function hashSeed(seed: string | number): number {
  const text = String(seed);
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** mulberry32: uniform floats in [0, 1), fully determined by the seed. */
export function mulberry32(seed32: number): Rng {
  let a = seed32 >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function rngFromSeed(seed: string | number): Rng {
  return mulberry32(hashSeed(seed));
}

/** Uniform integer in [0, n). */
export function pickIndex(rng: Rng, n: number): number {
  return Math.min(n - 1, Math.floor(rng() * n));
}
