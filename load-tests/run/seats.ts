/**
 * Who plays where: every bot of every group gets a global number (groups interleaved, so the
 * ramp brings all kinds in together), an account (bettors their own, watchers a shared pool)
 * and a bot process.
 */
import { needsOwnAccount, type BotConfig } from '../bots/registry.ts';
import type { Seat } from './plan.ts';

export interface SeatingPlan {
  /** Accounts needed: own accounts first, then the watchers' pool. */
  accountsNeeded: number;
  /** Seats per bot process. */
  perWorker: Seat[][];
  totalBots: number;
}

export function planSeats(groups: BotConfig[], workers: number, watcherAccounts: number): SeatingPlan {
  const order: Array<{ group: number; k: number; pos: number }> = [];
  groups.forEach((g, group) => {
    for (let k = 0; k < g.count; k++) order.push({ group, k, pos: (k + 0.5) / g.count });
  });
  order.sort((a, b) => a.pos - b.pos || a.group - b.group);
  const own = groups.reduce((n, g) => n + (needsOwnAccount(g) ? g.count : 0), 0);
  const shared = groups.some((g) => !needsOwnAccount(g) && g.count > 0) ? Math.max(1, watcherAccounts) : 0;
  const perWorker: Seat[][] = Array.from({ length: Math.max(1, workers) }, () => []);
  let nextOwn = 0;
  let nextShared = 0;
  order.forEach((o, index) => {
    const account = needsOwnAccount(groups[o.group]!) ? nextOwn++ : own + (nextShared++ % shared);
    perWorker[index % perWorker.length]!.push({ group: o.group, index, account, pos: o.k / groups[o.group]!.count, rank: o.k });
  });
  return { accountsNeeded: own + shared, perWorker, totalBots: order.length };
}
