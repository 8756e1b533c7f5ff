/**
 * The bots' record of what the server acknowledged, one JSON object per line, so the books
 * check can hold every acknowledged bet against the ledger and the journal after the run.
 *   {"k":"bet","t":tableId,"b":betId,"u":userId,"s":stakeMinor}   bet acknowledged
 *   {"k":"rmSent","t":…,"b":…}                                    removal requested
 *   {"k":"rm","t":…,"b":…}                                        removal acknowledged
 *   {"k":"slip","b":slipId,"u":userId,"s":totalStakeMinor}         slip accepted (multiples)
 */
import fs from 'node:fs';
import readline from 'node:readline';

export interface AckedBet {
  tableId: string;
  betId: string;
  userId: string;
  stakeMinor: number;
}

/** A slip (accumulator, system bet, bet builder) the server accepted. */
export interface AckedSlip {
  slipId: string;
  userId: string;
  stakeMinor: number;
}

export interface AckLog {
  bet(b: AckedBet): void;
  slip(s: AckedSlip): void;
  removalSent(tableId: string, betId: string): void;
  removed(tableId: string, betId: string): void;
  close(): Promise<void>;
}

export const NO_ACK_LOG: AckLog = { bet() {}, slip() {}, removalSent() {}, removed() {}, close: async () => {} };

export function openAckLog(path: string): AckLog {
  const out = fs.createWriteStream(path, { flags: 'a', highWaterMark: 1 << 20 });
  const line = (o: object) => void out.write(JSON.stringify(o) + '\n');
  return {
    bet: (b) => line({ k: 'bet', t: b.tableId, b: b.betId, u: b.userId, s: b.stakeMinor }),
    slip: (x) => line({ k: 'slip', b: x.slipId, u: x.userId, s: x.stakeMinor }),
    removalSent: (t, b) => line({ k: 'rmSent', t, b }),
    removed: (t, b) => line({ k: 'rm', t, b }),
    close: () => new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve()))),
  };
}

export function betKey(tableId: string, betId: string): string {
  return `${tableId}\u0000${betId}`;
}

export interface AckedSet {
  bets: Map<string, AckedBet>;
  slips: Map<string, AckedSlip>;
  removalsSent: Set<string>;
  removalsAcked: Set<string>;
  /** The same bet acknowledged twice with different contents (a bot bug or a server replay bug). */
  conflicts: string[];
}

export function emptyAckedSet(): AckedSet {
  return { bets: new Map(), slips: new Map(), removalsSent: new Set(), removalsAcked: new Set(), conflicts: [] };
}

export function addAcked(set: AckedSet, bet: AckedBet): void {
  const key = betKey(bet.tableId, bet.betId);
  const seen = set.bets.get(key);
  if (seen && (seen.userId !== bet.userId || seen.stakeMinor !== bet.stakeMinor)) set.conflicts.push(key);
  else set.bets.set(key, bet);
}

export async function readAckLogs(paths: string[]): Promise<AckedSet> {
  const set = emptyAckedSet();
  for (const path of paths) {
    if (!fs.existsSync(path)) continue;
    const rl = readline.createInterface({ input: fs.createReadStream(path), crlfDelay: Infinity });
    for await (const text of rl) {
      if (!text) continue;
      const o = JSON.parse(text) as { k: string; t: string; b: string; u?: string; s?: number };
      if (o.k === 'bet') addAcked(set, { tableId: o.t, betId: o.b, userId: o.u!, stakeMinor: o.s! });
      else if (o.k === 'slip') set.slips.set(o.b, { slipId: o.b, userId: o.u!, stakeMinor: o.s! });
      else if (o.k === 'rmSent') set.removalsSent.add(betKey(o.t, o.b));
      else if (o.k === 'rm') set.removalsAcked.add(betKey(o.t, o.b));
    }
  }
  return set;
}
