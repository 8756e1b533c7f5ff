/**
 * Settlement reconciliation: the PSP's daily settlement report against the ledger's PSP clearing
 * account, to the cent. Every clearing ↔ world transfer has a key `psp:<pspId>:<type>:world[:n]`
 * (actors/payments/payment.ts), so each report line is matched by (PSP id, type) and amount.
 * Timing differences (a PSP event near midnight booked on the other day by one side) show as
 * missing on one side and clear in the next day's run.
 */
import { Gauge } from 'prom-client';
import { parseWorldKey, PSP_CLEARING, SYSTEM_WORLD } from '../../actors/payments/payment.ts';
import { registry } from '../metrics.ts';
import type { WalletStore } from '../store/types.ts';
import type { PaymentProvider, SettlementLine } from './provider.ts';

export const reconciliationMismatches = new Gauge({
  name: 'casino_payments_reconciliation_mismatches',
  help: 'Lines of the last settlement reconciliation that did not match (missing on either side or different amounts)',
  registers: [registry],
});

export interface LedgerLine {
  pspId: string;
  type: SettlementLine['type'];
  amountMinor: number;
  at: number;
}

export interface ReconciliationReport {
  date: string;
  at: number;
  ok: boolean;
  matched: number;
  reportNetMinor: number;
  ledgerNetMinor: number;
  /** In the PSP's report, not in the ledger. */
  missingInLedger: SettlementLine[];
  /** In the ledger, not in the PSP's report. */
  missingAtPsp: LedgerLine[];
  /** In both with different amounts. */
  mismatched: Array<{ pspId: string; type: SettlementLine['type']; reportMinor: number; ledgerMinor: number }>;
}

const MAX_LEDGER_PAGES = 10_000;

/** The ledger's clearing ↔ world transfers booked on the UTC day `date`, summed per (PSP id, type). */
export async function ledgerLines(wallet: WalletStore, date: string): Promise<Map<string, LedgerLine>> {
  const start = Date.parse(`${date}T00:00:00Z`);
  const end = start + 86_400_000;
  const out = new Map<string, LedgerLine>();
  let before: string | null = null;
  for (let page = 0; page < MAX_LEDGER_PAGES; page++) {
    const p = await wallet.listTransfers(PSP_CLEARING, { limit: 200, before });
    for (const t of p.items) {
      if (t.createdAt < start || t.createdAt >= end) continue;
      const k = parseWorldKey(t.key);
      if (!k) continue;
      const signed = t.fromAccountId === SYSTEM_WORLD ? t.amountMinor : -t.amountMinor;
      const id = `${k.pspId}/${k.type}`;
      const line = out.get(id) ?? { pspId: k.pspId, type: k.type, amountMinor: 0, at: t.createdAt };
      line.amountMinor += signed;
      out.set(id, line);
    }
    const oldest = p.items[p.items.length - 1];
    if (!p.nextCursor || (oldest && oldest.createdAt < start)) break;
    before = p.nextCursor;
  }
  return out;
}

export async function reconcileSettlement(date: string, provider: PaymentProvider, wallet: WalletStore, now = Date.now()): Promise<ReconciliationReport> {
  const report = await provider.fetchSettlementReport(date);
  const ledger = await ledgerLines(wallet, date);
  const psp = new Map<string, SettlementLine>();
  for (const l of report.lines) {
    const id = `${l.pspId}/${l.type}`;
    const prev = psp.get(id);
    psp.set(id, prev ? { ...prev, amountMinor: prev.amountMinor + l.amountMinor } : { ...l });
  }
  const out: ReconciliationReport = {
    date, at: now, ok: true, matched: 0,
    reportNetMinor: report.lines.reduce((s, l) => s + l.amountMinor, 0),
    ledgerNetMinor: [...ledger.values()].reduce((s, l) => s + l.amountMinor, 0),
    missingInLedger: [], missingAtPsp: [], mismatched: [],
  };
  for (const [id, line] of psp) {
    const mine = ledger.get(id);
    if (!mine) out.missingInLedger.push(line);
    else if (mine.amountMinor !== line.amountMinor) out.mismatched.push({ pspId: line.pspId, type: line.type, reportMinor: line.amountMinor, ledgerMinor: mine.amountMinor });
    else out.matched++;
  }
  for (const [id, line] of ledger) if (!psp.has(id)) out.missingAtPsp.push(line);
  const bad = out.missingInLedger.length + out.missingAtPsp.length + out.mismatched.length;
  out.ok = bad === 0;
  reconciliationMismatches.set(bad);
  return out;
}
