/**
 * The books check when the server's database is not at hand (a remote target): what each bot's
 * own wallet API shows. Every acknowledged bet must appear exactly once as a stake reserve in its
 * player's ledger, every acknowledged take-back as a release, no balance may be negative and no
 * money may still be held after settlement. Reconciliation of the whole ledger needs the
 * database (`--data-dir`).
 */
import type { WalletView } from '../../protocol/common.ts';
import { holdId } from '../../rooms/roulette/money.ts';
import type { Account } from '../bots/context.ts';
import { betKey, type AckedSet } from './ack-log.ts';
import { BooksVerdict, type BooksReport } from './books-report.ts';

export const HTTP_CHECKS = {
  noNegative: 'no negative balance (players of this run)',
  noHeld: 'no money held after settlement (players of this run)',
  reserveOnce: "every acknowledged bet is reserved exactly once in its player's ledger",
  removals: 'acknowledged take-backs were released',
  ackConsistent: 'no bet acknowledged twice with different contents',
} as const;


interface LedgerItem {
  kind: string;
  holdId: string | null;
  createdAt: string;
}

async function get<T>(httpUrl: string, route: string, token: string): Promise<T> {
  const res = await fetch(httpUrl + route, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(60_000) });
  if (!res.ok) throw new Error(`GET ${route}: ${res.status}`);
  return (await res.json()) as T;
}

async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  }));
  return out;
}

export function playersOf(acked: AckedSet, accounts: Map<string, Account>): Account[] {
  const ids = new Set([...acked.bets.values()].map((b) => b.userId));
  return [...ids].flatMap((id) => (accounts.has(id) ? [accounts.get(id)!] : []));
}

/** Resolves true once no player of the run has money held, false on timeout. */
export async function waitForWalletsSettled(httpUrl: string, players: Account[], timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  let pending = players;
  while (pending.length > 0 && Date.now() < deadline) {
    const held = await mapLimit(pending, 16, async (p) => (await get<WalletView>(httpUrl, '/wallet', p.token)).heldMinor > 0);
    pending = pending.filter((_, i) => held[i]);
    if (pending.length > 0) await new Promise((r) => setTimeout(r, 1000));
  }
  return pending.length === 0;
}

export async function checkBooksOverHttp(httpUrl: string, acked: AckedSet, accounts: Map<string, Account>, since: number): Promise<BooksReport> {
  const v = new BooksVerdict(Object.values(HTTP_CHECKS));
  v.notes.push('Checked through the players\' own wallet API; run with --data-dir <server DATA_DIR> on the server\'s machine to also reconcile the whole ledger and hold every bet against the journal.');
  for (const key of acked.conflicts) v.fail(HTTP_CHECKS.ackConsistent, key.replace('\u0000', ' '));
  const byUser = new Map<string, string[]>();
  for (const [key, b] of acked.bets) byUser.set(b.userId, [...(byUser.get(b.userId) ?? []), key]);
  await mapLimit(playersOf(acked, accounts), 8, async (player) => {
    const w = await get<WalletView>(httpUrl, '/wallet', player.token);
    if (w.balanceMinor < 0 || w.availableMinor < 0) v.fail(HTTP_CHECKS.noNegative, `${player.userId} at ${w.availableMinor}`);
    if (w.heldMinor !== 0) v.fail(HTTP_CHECKS.noHeld, `${player.userId} still has ${w.heldMinor} held`);
    const reserves = new Map<string, number>();
    const releases = new Set<string>();
    for (let cursor: string | null = null, more = true; more; ) {
      const page: { items: LedgerItem[]; nextCursor: string | null } = await get(httpUrl, `/wallet/ledger?limit=200${cursor ? `&cursor=${cursor}` : ''}`, player.token);
      for (const item of page.items) {
        if (!item.holdId) continue;
        if (item.kind === 'reserve') reserves.set(item.holdId, (reserves.get(item.holdId) ?? 0) + 1);
        if (item.kind === 'release') releases.add(item.holdId);
      }
      const oldest = page.items[page.items.length - 1];
      cursor = page.nextCursor;
      more = cursor !== null && oldest !== undefined && Date.parse(oldest.createdAt) >= since;
    }
    for (const key of byUser.get(player.userId) ?? []) {
      const bet = acked.bets.get(key)!;
      v.stat('ackedBets');
      const hid = holdId(bet.tableId, bet.betId);
      const n = reserves.get(hid) ?? 0;
      if (n !== 1) v.fail(HTTP_CHECKS.reserveOnce, `${bet.tableId}/${bet.betId} reserved ${n} times`);
      if (acked.removalsAcked.has(betKey(bet.tableId, bet.betId)) && !releases.has(hid)) v.fail(HTTP_CHECKS.removals, `${bet.tableId}/${bet.betId} taken back but not released`);
    }
  });
  return v.report('http');
}
