/**
 * Verifies a provably-fair roulette or crash round (schemes: docs/FAIRNESS.md).
 *
 *   npx tsx scripts/verify-roulette-round.ts <serverSeed> <clientSeed> <nonce> [serverSeedHash] [expectedPocket]
 *   npx tsx scripts/verify-roulette-round.ts --crash <roundHash> <salt> [<chainIndex> <terminalHash>] [expectedCrashPoint]
 *   npx tsx scripts/verify-roulette-round.ts --url http://host:port/fairness/rounds/<roundId>    (either game)
 *
 * Prints every check and a verdict; exit code 0 when verified, 1 otherwise (including bad usage).
 */
import { pathToFileURL } from 'node:url';
import { hashServerSeed, isValidServerSeed, pocketColor, roundClientSeed, traceRoulettePocket } from '../actors/roulette/index.ts';
import { checkCrashRound, parseCrashArgs, parseCrashRecord, type CrashRoundRecord } from './lib/verify-crash.ts';

const USAGE = `usage:
  npx tsx scripts/verify-roulette-round.ts <serverSeed> <clientSeed> <nonce> [serverSeedHash] [expectedPocket]
  npx tsx scripts/verify-roulette-round.ts --crash <roundHash> <salt> [<chainIndex> <terminalHash>] [expectedCrashPoint]
  npx tsx scripts/verify-roulette-round.ts --url http://host:port/fairness/rounds/<roundId>`;

const FETCH_TIMEOUT_MS = 10_000;
const MAX_BODY_CHARS = 100_000;

/** The JSON served by GET /fairness/rounds/:roundId (see docs/FAIRNESS.md). */
export interface RoundRecord {
  tableId?: string;
  roundId?: string;
  nonce: number;
  serverSeedHash?: string | null;
  serverSeed: string | null;
  clientSeed: string | null;
  clientSeeds?: string[] | null;
  /** The published pocket; null when no result was drawn (voided round); absent when not given. */
  result?: number | null;
  status?: string;
}

type Print = (line: string) => void;

interface Check {
  ok: boolean;
  line: string;
}

/** Runs every check of a round record; true when all pass. */
export function checkRound(record: RoundRecord, print: Print): boolean {
  const checks: Check[] = [];
  const { serverSeed, clientSeed, nonce } = record;
  if (record.roundId !== undefined) print(`round            : ${record.roundId}${record.tableId ? ` (table ${record.tableId})` : ''}`);
  if (typeof serverSeed !== 'string') {
    print('server seed      : not revealed yet (the round is still running)');
    print('VERDICT: NOT VERIFIABLE YET');
    return false;
  }
  print(`server seed      : ${serverSeed}`);
  if (!isValidServerSeed(serverSeed)) print('  note: not 64 lowercase hex characters; the table never issues such a seed');
  const computedHash = hashServerSeed(serverSeed);
  if (typeof record.serverSeedHash === 'string') {
    const ok = record.serverSeedHash.toLowerCase() === computedHash;
    checks.push({ ok, line: `commitment       : SHA-256(serverSeed) = ${computedHash} ${ok ? 'matches' : `DOES NOT MATCH ${record.serverSeedHash}`}` });
  } else if (record.roundId !== undefined) {
    // A round record from the server must carry its commitment: a step that cannot be checked fails.
    checks.push({ ok: false, line: `commitment       : SHA-256(serverSeed) = ${computedHash}; CANNOT BE CHECKED: the record has no serverSeedHash` });
  } else {
    print(`commitment       : SHA-256(serverSeed) = ${computedHash} (no hash given to compare)`);
  }
  if (record.roundId !== undefined) {
    const suffix = /:(\d+)$/.exec(record.roundId);
    if (suffix) {
      const ok = Number(suffix[1]) === nonce;
      checks.push({ ok, line: `nonce            : ${nonce} ${ok ? 'is the round number' : `DIFFERS FROM the round number ${suffix[1]}`}` });
    }
  }
  if (record.result === null || clientSeed === null) {
    checks.forEach((c) => print(c.line));
    const ok = checks.every((c) => c.ok);
    print(`VERDICT: ${ok ? 'VOIDED ROUND, commitment verified (no result was drawn; all stakes refunded)' : 'FAILED'}`);
    return ok;
  }
  if (Array.isArray(record.clientSeeds) && record.roundId !== undefined) {
    const expected = roundClientSeed(record.roundId, record.clientSeeds);
    const ok = expected === clientSeed;
    checks.push({ ok, line: `client seed rule : from ${record.clientSeeds.length} player seed(s) → ${expected} ${ok ? 'matches' : 'DOES NOT MATCH'}` });
    record.clientSeeds.forEach((seed, i) => print(`player seed ${String(i + 1).padEnd(5)}: ${JSON.stringify(seed)}`));
  } else if (record.roundId !== undefined) {
    // Without the players' seeds nobody can check that their seed went into the round.
    checks.push({ ok: false, line: 'client seed rule : CANNOT BE CHECKED: the record does not list the players\' seeds (clientSeeds)' });
  }
  const trace = traceRoulettePocket(serverSeed, clientSeed, nonce);
  print(`client seed      : ${clientSeed}`);
  print(`nonce            : ${nonce}`);
  print(`HMAC message     : ${clientSeed}:${nonce}:${trace.digestIndex}`);
  print(`HMAC-SHA256      : ${trace.digestHex}`);
  print(`pocket           : ${trace.pocket} (${pocketColor(trace.pocket)})`);
  if (typeof record.result === 'number') {
    const ok = record.result === trace.pocket;
    checks.push({ ok, line: `published result : ${record.result} ${ok ? 'matches' : 'DOES NOT MATCH'}` });
  }
  checks.forEach((c) => print(c.line));
  const ok = checks.every((c) => c.ok);
  if (!ok) print('VERDICT: FAILED');
  else if (checks.length === 0) print(`VERDICT: COMPUTED pocket ${trace.pocket} (nothing given to compare against)`);
  else print('VERDICT: VERIFIED');
  return ok;
}

function parsePositional(args: string[]): RoundRecord | string {
  const [serverSeed, clientSeed, nonceText, serverSeedHash, expected] = args;
  if (args.length < 3 || args.length > 5) return USAGE;
  if (!/^[1-9]\d*$/.test(nonceText) || !Number.isSafeInteger(Number(nonceText))) return 'nonce must be a positive integer';
  if (expected !== undefined && !/^(\d|[12]\d|3[0-6])$/.test(expected)) return 'expectedPocket must be 0..36';
  return {
    nonce: Number(nonceText),
    serverSeed,
    clientSeed,
    serverSeedHash: serverSeedHash ?? null,
    ...(expected === undefined ? {} : { result: Number(expected) }),
  };
}

function parseRecord(body: unknown): RoundRecord | CrashRoundRecord | string {
  if (typeof body !== 'object' || body === null) return 'response is not a JSON object';
  const r = body as Record<string, unknown>;
  if (r.game === 'crash') return parseCrashRecord(r);
  const nullableString = (v: unknown) => v === null || v === undefined || typeof v === 'string';
  if (!Number.isSafeInteger(r.nonce) || (r.nonce as number) < 1) return 'response has no valid nonce';
  if (!nullableString(r.serverSeed) || !nullableString(r.clientSeed) || !nullableString(r.serverSeedHash) || !nullableString(r.roundId)) {
    return 'response has a non-string seed, hash or roundId';
  }
  if (r.result !== null && r.result !== undefined && !(Number.isInteger(r.result) && (r.result as number) >= 0 && (r.result as number) <= 36)) {
    return 'response result is not a pocket 0..36';
  }
  if (r.clientSeeds !== undefined && r.clientSeeds !== null && !(Array.isArray(r.clientSeeds) && r.clientSeeds.every((s) => typeof s === 'string'))) {
    return 'response clientSeeds is not a list of strings';
  }
  return {
    tableId: typeof r.tableId === 'string' ? r.tableId : undefined,
    roundId: (r.roundId as string | undefined) ?? undefined,
    nonce: r.nonce as number,
    serverSeedHash: (r.serverSeedHash as string | null | undefined) ?? null,
    serverSeed: (r.serverSeed as string | null | undefined) ?? null,
    clientSeed: (r.clientSeed as string | null | undefined) ?? null,
    clientSeeds: (r.clientSeeds as string[] | null | undefined) ?? null,
    result: (r.result as number | null | undefined) ?? null,
    status: typeof r.status === 'string' ? r.status : undefined,
  };
}

async function fetchRecord(url: string): Promise<RoundRecord | CrashRoundRecord | string> {
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS), headers: { accept: 'application/json' } });
  } catch (error) {
    return `could not fetch ${url}: ${(error as Error).message}`;
  }
  const text = await response.text();
  if (!response.ok) return `GET ${url} answered ${response.status}: ${text.slice(0, 300)}`;
  if (text.length > MAX_BODY_CHARS) return 'response too large';
  try {
    return parseRecord(JSON.parse(text));
  } catch {
    return 'response is not JSON';
  }
}

/** CLI entry point; returns the exit code. */
export async function main(argv: string[], print: Print = console.log): Promise<number> {
  let record: RoundRecord | CrashRoundRecord | string;
  if (argv[0] === '--crash') {
    record = parseCrashArgs(argv.slice(1));
  } else if (argv[0] === '--url') {
    if (argv.length !== 2) record = USAGE;
    else {
      print(`fetching         : ${argv[1]}`);
      record = await fetchRecord(argv[1]);
    }
  } else {
    record = parsePositional(argv);
  }
  if (typeof record === 'string') {
    print(record);
    print('VERDICT: FAILED');
    return 1;
  }
  if ('chainIndex' in record) return checkCrashRound(record, print) ? 0 : 1;
  return checkRound(record, print) ? 0 : 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv.slice(2));
}
