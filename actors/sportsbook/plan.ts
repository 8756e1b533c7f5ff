/** A decision under construction: events appended in order, with the state they lead to kept current. */
import { shadingFraction } from '../odds/index.ts';
import { evolve } from './evolve.ts';
import { repriceEvent } from './pricing.ts';
import type { EventState, SportsEvent } from './types.ts';

export class Plan {
  readonly events: SportsEvent[] = [];

  /**
   * Liabilities the current prices were shaded with: the state's at the start of the decision
   * (every decision ends with finish(), so prices always match liabilities between decisions).
   */
  private pricedLiability: Readonly<Record<string, number>> | undefined;

  constructor(public state: EventState) {
    this.pricedLiability = state?.liabilityMinor;
  }

  push(...events: SportsEvent[]): void {
    for (const event of events) {
      this.events.push(event);
      this.state = evolve(this.state, event);
    }
  }

  /** Appends a PricesUpdated if any quote changed. */
  reprice(at: number): void {
    const event = repriceEvent(this.state, at);
    if (event) this.push(event);
    this.pricedLiability = this.state.liabilityMinor;
  }

  /**
   * Ends a decision: bets, rejections and cash-outs change liabilities, which move a price only
   * when a shading threshold is crossed, so a full re-price is needed only then.
   */
  finish(at: number): void {
    const before = this.pricedLiability ?? {};
    const after = this.state.liabilityMinor;
    const shading = this.state.config.pricing.shading;
    for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
      if (shadingFraction(before[key] ?? 0, shading) !== shadingFraction(after[key] ?? 0, shading)) {
        this.reprice(at);
        return;
      }
    }
  }
}
