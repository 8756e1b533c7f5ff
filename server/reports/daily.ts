/**
 * The regulator's daily report (one UTC day): per game the bets settled, stakes, payouts and gross
 * gaming revenue; in total GGR, bonus cost and net gaming revenue (NGR = GGR − bonus cost); the
 * player-protection events of the day by type; and the large transactions (deposits and
 * withdrawals at or above the AML threshold). Read from the ledger's own accounts: every settled
 * stake is captured to the house and every payout comes from it, bonuses come from the
 * promotions account, payments pass through the PSP clearing account. Its SHA-256 (of the
 * canonical JSON) goes into the tamper-evident audit chain when an operator exports it.
 */
import { createHash } from 'node:crypto';
import { PSP_CLEARING } from '../../actors/payments/payment.ts';
import { canonicalJson } from '../store/audit-chain.ts';
import { isStakeHold } from '../store/limits.ts';
import { SYSTEM_ACCOUNTS, type Store, type Transfer } from '../store/types.ts';

/** Transfers read per account for one report (the day's busiest accounts): past this, `truncated`. */
export const MAX_TRANSFERS_PER_ACCOUNT = 50_000;
const DAY_MS = 86_400_000;

export interface GameLine { game: string; betsSettled: number; stakesMinor: number; payoutsMinor: number; ggrMinor: number }

export interface DailyReport {
  date: string;
  currency: string;
  games: GameLine[];
  totals: { stakesMinor: number; payoutsMinor: number; ggrMinor: number; bonusCostMinor: number; ngrMinor: number };
  protectionEvents: Record<string, number>;
  largeTransactions: Array<{ at: number; kind: 'deposit' | 'withdrawal'; accountId: string; amountMinor: number; transferId: string }>;
  /** True when an account had more than MAX_TRANSFERS_PER_ACCOUNT transfers that day (figures incomplete). */
  truncated: boolean;
}

/** The UTC day's transfers of an account, newest first, bounded. */
async function transfersOfDay(store: Store, accountId: string, from: number, to: number): Promise<{ items: Transfer[]; truncated: boolean }> {
  const items: Transfer[] = [];
  let before: string | null = null;
  while (items.length < MAX_TRANSFERS_PER_ACCOUNT) {
    const page = await store.wallet.listTransfers(accountId, { limit: 200, before });
    for (const t of page.items) {
      if (t.createdAt < from) return { items, truncated: false };
      if (t.createdAt < to) items.push(t);
    }
    if (!page.nextCursor) return { items, truncated: false };
    before = page.nextCursor;
  }
  return { items, truncated: true };
}

/** The product a stake's hold id names: `roulette`, `blackjack`, `sportsbook` (event bets), `multiples` (slips). */
const GAMES: Record<string, string> = { market: 'sportsbook', slip: 'multiples' };
/** Payout keys start with their game's domain (`<holdId>:payout`, `slip:<id>:…`). */
const PAYOUT_PREFIXES: ReadonlySet<string> = new Set(['roulette', 'blackjack', 'market', 'slip']);
const gameOf = (key: string): string => GAMES[key.split(':')[0]!] ?? key.split(':')[0]!;

/** The protection events of a day are journaled by the protection service under this id. */
export const protectionEventsJournal = (date: string): string => `protection-events:${date}`;

export async function dailyReport(store: Store, date: string, currency: string, largeTransactionMinor: number): Promise<DailyReport> {
  const from = Date.parse(`${date}T00:00:00Z`);
  const to = from + DAY_MS;
  const house = await transfersOfDay(store, SYSTEM_ACCOUNTS.house, from, to);
  const promotions = await transfersOfDay(store, SYSTEM_ACCOUNTS.promotions, from, to);
  const clearing = (await store.wallet.getAccount(PSP_CLEARING)) ? await transfersOfDay(store, PSP_CLEARING, from, to) : { items: [], truncated: false };

  const games = new Map<string, GameLine>();
  const line = (game: string) => games.get(game) ?? games.set(game, { game, betsSettled: 0, stakesMinor: 0, payoutsMinor: 0, ggrMinor: 0 }).get(game)!;
  for (const t of house.items) {
    if (t.kind === 'capture' && t.toAccountId === SYSTEM_ACCOUNTS.house && t.holdId && isStakeHold(t.holdId)) {
      const g = line(gameOf(t.holdId));
      g.betsSettled++;
      g.stakesMinor += t.amountMinor;
    } else if (t.kind === 'payout' && t.fromAccountId === SYSTEM_ACCOUNTS.house && PAYOUT_PREFIXES.has(t.key.split(':')[0]!)) {
      line(gameOf(t.key)).payoutsMinor += t.amountMinor;
    }
  }
  for (const g of games.values()) g.ggrMinor = g.stakesMinor - g.payoutsMinor;
  const sum = (f: (g: GameLine) => number) => [...games.values()].reduce((s, g) => s + f(g), 0);
  const bonusCostMinor = promotions.items.filter((t) => t.kind === 'promotion' && t.fromAccountId === SYSTEM_ACCOUNTS.promotions).reduce((s, t) => s + t.amountMinor, 0);
  const ggrMinor = sum((g) => g.ggrMinor);

  const protectionEvents: Record<string, number> = {};
  for (const r of await store.journal.read(protectionEventsJournal(date), { limit: 10_000 })) {
    const type = String((r.data as { type?: unknown }).type);
    protectionEvents[type] = (protectionEvents[type] ?? 0) + 1;
  }
  const largeTransactions = clearing.items
    .filter((t) => t.amountMinor >= largeTransactionMinor && ((t.kind === 'deposit' && t.fromAccountId === PSP_CLEARING) || (t.kind === 'withdrawal' && t.toAccountId === SYSTEM_ACCOUNTS.world)))
    .map((t) => ({ at: t.createdAt, kind: t.kind as 'deposit' | 'withdrawal', accountId: t.kind === 'deposit' ? t.toAccountId : (t.ownerAccountId ?? t.fromAccountId), amountMinor: t.amountMinor, transferId: t.id }))
    .reverse();

  return {
    date, currency,
    games: [...games.values()].sort((a, b) => a.game.localeCompare(b.game)),
    totals: { stakesMinor: sum((g) => g.stakesMinor), payoutsMinor: sum((g) => g.payoutsMinor), ggrMinor, bonusCostMinor, ngrMinor: ggrMinor - bonusCostMinor },
    protectionEvents,
    largeTransactions,
    truncated: house.truncated || promotions.truncated || clearing.truncated,
  };
}

export function reportSha256(report: DailyReport): string {
  return createHash('sha256').update(canonicalJson(report)).digest('hex');
}

const csvCell = (v: unknown): string => {
  const s = String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** One row per figure: `section,key,metric,value`. */
export function reportCsv(r: DailyReport): string {
  const rows: unknown[][] = [['section', 'key', 'metric', 'value'], ['report', r.date, 'currency', r.currency], ['report', r.date, 'truncated', r.truncated]];
  for (const g of r.games) for (const m of ['betsSettled', 'stakesMinor', 'payoutsMinor', 'ggrMinor'] as const) rows.push(['game', g.game, m, g[m]]);
  for (const [m, v] of Object.entries(r.totals)) rows.push(['total', 'all', m, v]);
  for (const [type, n] of Object.entries(r.protectionEvents)) rows.push(['protection', type, 'count', n]);
  for (const t of r.largeTransactions) rows.push(['large_transaction', t.transferId, `${t.kind}:${t.accountId}:${new Date(t.at).toISOString()}`, t.amountMinor]);
  return rows.map((row) => row.map(csvCell).join(',')).join('\n') + '\n';
}
