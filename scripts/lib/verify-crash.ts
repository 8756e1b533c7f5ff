/**
 * Verifying a crash round (docs/FAIRNESS.md, crash): the round hash hashed `chainIndex` times must
 * give the chain's published terminal hash, and the crash point must follow from the round hash and
 * the salt by the documented formula.
 */
import { crashPointOf, formatMultiplier, isChainHash, verifyChainLink } from '../../actors/crash/index.ts';

/** A crash round's record as GET /fairness/rounds/:roundId serves it (rooms/crash/fairness-record.ts). */
export interface CrashRoundRecord {
  roundId?: string;
  chainIndex: number;
  terminalHash: string | null;
  roundHash: string | null;
  salt: string;
  crashCents: number | null;
  status?: string;
}

export function parseCrashRecord(r: Record<string, unknown>): CrashRoundRecord | string {
  const str = (v: unknown) => v === null || v === undefined || typeof v === 'string';
  if (!Number.isSafeInteger(r.chainIndex) || (r.chainIndex as number) < 1) return 'crash record has no valid chainIndex';
  if (!str(r.terminalHash) || !str(r.roundHash) || typeof r.salt !== 'string' || !str(r.roundId)) return 'crash record has a non-string hash, salt or roundId';
  if (r.crashCents !== null && r.crashCents !== undefined && !(Number.isSafeInteger(r.crashCents) && (r.crashCents as number) >= 100)) return 'crash record crashCents is not a crash point';
  return {
    roundId: (r.roundId as string | undefined) ?? undefined,
    chainIndex: r.chainIndex as number,
    terminalHash: (r.terminalHash as string | null | undefined) ?? null,
    roundHash: (r.roundHash as string | null | undefined) ?? null,
    salt: r.salt as string,
    crashCents: (r.crashCents as number | null | undefined) ?? null,
    status: typeof r.status === 'string' ? r.status : undefined,
  };
}

/** Runs every check of a crash round; true when all pass. */
export function checkCrashRound(r: CrashRoundRecord, print: (line: string) => void): boolean {
  if (r.roundId !== undefined) print(`round            : ${r.roundId} (crash)`);
  if (r.roundHash === null) {
    print('round hash       : not revealed yet (the round is still running)');
    print('VERDICT: NOT VERIFIABLE YET');
    return false;
  }
  if (!isChainHash(r.roundHash)) {
    print(`round hash       : ${r.roundHash} is not 64 lowercase hex characters`);
    print('VERDICT: FAILED');
    return false;
  }
  const checks: Array<{ ok: boolean; line: string }> = [];
  print(`round hash       : ${r.roundHash}`);
  print(`chain position   : ${r.chainIndex}`);
  if (r.terminalHash) {
    const link = verifyChainLink(r.roundHash, r.terminalHash, r.chainIndex);
    checks.push({ ok: link.valid, line: `chain            : SHA-256 applied ${r.chainIndex}× = ${link.reached} ${link.valid ? 'matches the terminal hash' : `DOES NOT MATCH ${r.terminalHash}`}` });
  } else {
    checks.push({ ok: false, line: 'chain            : CANNOT BE CHECKED: the record has no terminal hash' });
  }
  const p = crashPointOf(r.roundHash, r.salt);
  print(`salt             : ${JSON.stringify(r.salt)}`);
  print(`HMAC-SHA256      : ${p.hmacHex}`);
  print(`r (52 bits)      : 0x${p.hmacHex.slice(0, 13)} = ${p.r}`);
  print(`crash point      : ${formatMultiplier(p.crashCents)}×${p.instant ? ' (instant crash: floor(99·2^52/(2^52−r)) < 100)' : ''}`);
  if (r.status === 'voided') {
    checks.forEach((c) => print(c.line));
    const ok = checks.every((c) => c.ok);
    print(`VERDICT: ${ok ? `VOIDED ROUND, chain verified (it would have crashed at ${formatMultiplier(p.crashCents)}×; all stakes refunded)` : 'FAILED'}`);
    return ok;
  }
  if (r.crashCents !== null) {
    const ok = r.crashCents === p.crashCents;
    checks.push({ ok, line: `published crash  : ${formatMultiplier(r.crashCents)}× ${ok ? 'matches' : 'DOES NOT MATCH'}` });
  }
  checks.forEach((c) => print(c.line));
  const ok = checks.every((c) => c.ok);
  print(ok ? 'VERDICT: VERIFIED' : 'VERDICT: FAILED');
  return ok;
}

/** `--crash <roundHash> <salt> [<chainIndex> <terminalHash>] [expectedCrashPoint]`: a record from the command line, or a usage error. */
export function parseCrashArgs(args: string[]): CrashRoundRecord | string {
  const [roundHash, salt, a, b, c] = args;
  if (args.length < 2 || args.length > 5 || args.length === 3) return 'usage: --crash <roundHash> <salt> [<chainIndex> <terminalHash>] [expectedCrashPoint]';
  const chainIndex = a === undefined ? 1 : Number(a);
  if (!Number.isSafeInteger(chainIndex) || chainIndex < 1) return 'chainIndex must be a positive integer';
  const expected = c === undefined ? null : Math.round(Number(c) * 100);
  if (c !== undefined && !(Number.isFinite(Number(c)) && expected! >= 100)) return 'expectedCrashPoint must be a multiplier like 2.51';
  return { roundHash: roundHash!, salt: salt!, chainIndex, terminalHash: b ?? null, crashCents: expected, status: undefined };
}
