/** Test driver for the crash actor: a table with a hash chain, freezing every state to catch mutation. */
import { createHash } from 'node:crypto';
import { expect } from 'chai';
import {
  HashChain, crashConfig, crashPointOf, decide, evolve, initialCrashState, nextDeadline, roundHashNeeded,
  type CrashCommand, type CrashConfig, type CrashEvent, type CrashTableState,
} from '../../../actors/crash/index.ts';
import type { Decision } from '../../../actors/decision.ts';
import { deepFreeze } from '../roulette/helpers.ts';

export const T0 = 1_700_000_000_000;
export const TABLE_ID = 'crash-1';
export const SALT = 'test-salt';

export function testSeed(n: number): string {
  return createHash('sha256').update(`crash test seed ${n}`).digest('hex');
}

export function testConfig(overrides: Partial<CrashConfig> = {}): CrashConfig {
  return crashConfig({ bettingWindowMs: 8_000, pauseMs: 3_000, ...overrides });
}

export class CrashDriver {
  state: CrashTableState;
  readonly journal: CrashEvent[] = [];
  readonly chain: HashChain;

  constructor(config: CrashConfig = testConfig(), seed = testSeed(0), length = 10) {
    this.chain = new HashChain(seed, length);
    this.state = deepFreeze(initialCrashState(TABLE_ID, config));
    this.must({ type: 'startChain', terminalHash: this.chain.terminalHash, length, salt: SALT, now: T0 });
  }

  run(command: CrashCommand): Decision<CrashEvent> {
    const d = decide(this.state, command);
    if (d.ok) for (const e of d.events) this.apply(e);
    return d;
  }

  must(command: CrashCommand): CrashEvent[] {
    const d = this.run(command);
    if (!d.ok) expect.fail(`expected ${command.type} to be accepted, got ${d.rejection.code}: ${d.rejection.message}`);
    return d.events;
  }

  apply(e: CrashEvent): void {
    this.journal.push(deepFreeze(structuredClone(e)));
    this.state = deepFreeze(evolve(this.state, e));
  }

  /** Opens the next round at `now` with the chain's next hash. */
  open(now: number): CrashEvent[] {
    const pos = roundHashNeeded(this.state);
    return this.must({ type: 'tick', now, playersPresent: true, roundHash: pos ? this.chain.roundHash(pos.chainIndex) : null });
  }

  tick(now: number): CrashEvent[] {
    return this.must({ type: 'tick', now, playersPresent: true, roundHash: null });
  }

  deadline(): number | null {
    return nextDeadline(this.state);
  }

  get round() {
    return this.state.round!;
  }
}

/** The first chain seed (by n) whose first round crashes at or above `minCents` (and not instantly). */
export function seedWithFirstCrashAtLeast(minCents: number, length = 10, maxCents = Infinity): string {
  for (let n = 0; n < 10_000; n++) {
    const chain = new HashChain(testSeed(n), length);
    const p = crashPointOf(chain.roundHash(1), SALT);
    if (!p.instant && p.crashCents >= minCents && p.crashCents <= maxCents) return testSeed(n);
  }
  throw new Error(`no seed found for crash ≥ ${minCents}`);
}

export function seedWithInstantFirstCrash(length = 10): string {
  for (let n = 0; n < 100_000; n++) {
    const chain = new HashChain(testSeed(n), length);
    if (crashPointOf(chain.roundHash(1), SALT).instant) return testSeed(n);
  }
  throw new Error('no instant crash found');
}
