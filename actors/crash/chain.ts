/**
 * A table's hash chain held by the room (the seed is secret): h₀ = seed, hᵢ₊₁ = SHA-256(hᵢ) as hex
 * text, terminal = h_N. Round i of the chain (1-based) uses h_{N−i}. Checkpoints every
 * CHECKPOINT_EVERY elements keep a look-up to at most that many hashes without holding the chain.
 */
import { chainNext, isChainHash } from './fairness.ts';

const CHECKPOINT_EVERY = 1024;

export class HashChain {
  readonly terminalHash: string;
  private readonly checkpoints: string[] = [];

  constructor(
    seed: string,
    readonly length: number,
  ) {
    if (!isChainHash(seed)) throw new Error('chain seed must be 64 lowercase hex characters');
    if (!Number.isSafeInteger(length) || length < 1) throw new Error('chain length must be a positive integer');
    let h = seed;
    for (let i = 0; i < length; i++) {
      if (i % CHECKPOINT_EVERY === 0) this.checkpoints.push(h);
      h = chainNext(h);
    }
    this.terminalHash = h;
  }

  /** h_position (0 = the seed, length = the terminal hash). */
  element(position: number): string {
    if (!Number.isSafeInteger(position) || position < 0 || position > this.length) throw new Error(`chain has no element ${position}`);
    if (position === this.length) return this.terminalHash;
    const base = Math.floor(position / CHECKPOINT_EVERY);
    let h = this.checkpoints[base]!;
    for (let i = base * CHECKPOINT_EVERY; i < position; i++) h = chainNext(h);
    return h;
  }

  /** The hash of the chain's `chainIndex`-th round (1-based): h_{length − chainIndex}. */
  roundHash(chainIndex: number): string {
    if (!Number.isSafeInteger(chainIndex) || chainIndex < 1 || chainIndex > this.length) throw new Error(`chain has no round ${chainIndex}`);
    return this.element(this.length - chainIndex);
  }
}
