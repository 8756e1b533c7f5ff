/** A minimal double-entry model of what the room does with the actor's events, to check money reconciles. */
import { expect } from 'chai';
import type { SportsEvent } from '../../../actors/sportsbook/index.ts';

export class WalletModel {
  readonly balances = new Map<string, number>();
  readonly held = new Map<string, number>();
  house = 0;
  settledBetIds = new Set<string>();
  /** Totals the settlement events claim (stake − payout = house result). */
  claimed = { stakeMinor: 0, payoutMinor: 0, correctionsMinor: 0 };

  constructor(readonly startingBalance = 10_000_000) {}

  private credit(playerId: string, amount: number): void {
    this.balances.set(playerId, (this.balances.get(playerId) ?? this.startingBalance) + amount);
  }

  apply(event: SportsEvent): void {
    switch (event.type) {
      case 'BetRequested':
        expect(this.held.has(event.betId), `double reserve ${event.betId}`).to.equal(false);
        this.credit(event.playerId, -event.stakeMinor); // reserve
        this.held.set(event.betId, event.stakeMinor);
        return;
      case 'BetRejected': {
        const stake = this.held.get(event.betId);
        expect(stake, `release without hold ${event.betId}`).to.equal(event.stakeMinor);
        this.held.delete(event.betId);
        this.credit(event.playerId, event.stakeMinor); // release
        return;
      }
      case 'CashOutExecuted':
        return this.settle([event.outcome]);
      case 'MarketSettled':
      case 'MarketVoided':
        this.claimed.stakeMinor += event.totals.stakeMinor;
        this.claimed.payoutMinor += event.totals.payoutMinor;
        return this.settle(event.outcomes);
      case 'MarketResettled':
        for (const c of event.corrections) {
          this.credit(c.playerId, c.deltaMinor);
          this.house -= c.deltaMinor;
          this.claimed.correctionsMinor += c.deltaMinor;
        }
        return;
      default:
        return;
    }
  }

  private settle(outcomes: ReadonlyArray<{ betId: string; playerId: string; stakeMinor: number; payoutMinor: number; outcome: string }>): void {
    for (const o of outcomes) {
      expect(this.settledBetIds.has(o.betId), `settled twice ${o.betId}`).to.equal(false);
      this.settledBetIds.add(o.betId);
      expect(this.held.get(o.betId), `settle without hold ${o.betId}`).to.equal(o.stakeMinor);
      this.held.delete(o.betId);
      if (o.outcome === 'void') {
        expect(o.payoutMinor).to.equal(o.stakeMinor);
        this.credit(o.playerId, o.stakeMinor); // release
        continue;
      }
      if (o.outcome === 'cashed_out') {
        this.claimed.stakeMinor += o.stakeMinor;
        this.claimed.payoutMinor += o.payoutMinor;
      }
      this.house += o.stakeMinor; // capture
      this.credit(o.playerId, o.payoutMinor); // pay
      this.house -= o.payoutMinor;
    }
  }

  /** Every hold resolved, money conserved, and the settlement totals explain the house result. */
  expectReconciled(): void {
    expect([...this.held.keys()], 'unresolved holds').to.deep.equal([]);
    let players = 0;
    for (const balance of this.balances.values()) players += balance - this.startingBalance;
    expect(players + this.house).to.equal(0);
    expect(this.house).to.equal(this.claimed.stakeMinor - this.claimed.payoutMinor - this.claimed.correctionsMinor);
  }
}
