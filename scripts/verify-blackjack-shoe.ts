/**
 * Verifies a provably fair blackjack shoe and, card by card, the hands dealt from it (scheme:
 * docs/FAIRNESS.md, "Blackjack").
 *
 *   npx tsx scripts/verify-blackjack-shoe.ts <serverSeed> <clientSeed> <nonce> [--decks 6] [--hash <serverSeedHash>] [--cards 4:7D,5:KS,…] [--show 20]
 *   npx tsx scripts/verify-blackjack-shoe.ts --url http://host:port/fairness/shoes/<shoeId> [--cards 4:7D,5:KS,…] [--show 20]
 *
 * `--cards` lists dealt cards as <shoe position>:<card code> (a player's game recall gives every card
 * of their round with its position). Prints every check and a verdict; exit code 0 when verified,
 * 1 otherwise (including bad usage).
 */
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { hashServerSeed, isValidServerSeed, roundClientSeed } from '../actors/roulette/fairness.ts';
import { cardCode, parseCard, shuffleShoe } from '../actors/blackjack/index.ts';

const USAGE = `usage:
  npx tsx scripts/verify-blackjack-shoe.ts <serverSeed> <clientSeed> <nonce> [--decks 6] [--hash <serverSeedHash>] [--cards 4:7D,5:KS] [--show 20]
  npx tsx scripts/verify-blackjack-shoe.ts --url http://host:port/fairness/shoes/<shoeId> [--cards 4:7D,5:KS] [--show 20]`;

const FETCH_TIMEOUT_MS = 10_000;
const MAX_BODY_CHARS = 100_000;
const MAX_CARDS = 8 * 52;

/** The JSON served by GET /fairness/shoes/:shoeId (docs/FAIRNESS.md). */
export interface ShoeRecord {
  shoeId?: string;
  nonce: number;
  cards: number;
  serverSeedHash?: string | null;
  serverSeed: string | null;
  clientSeed: string | null;
  clientSeeds?: string[] | null;
}

type Print = (line: string) => void;

/** `4:7D,5:KS` → [[4, 7D's card], …]; a string on a malformed list. */
export function parseCards(text: string): Array<[number, number]> | string {
  const out: Array<[number, number]> = [];
  for (const part of text.split(',').filter((p) => p.trim() !== '')) {
    const m = /^\s*(\d{1,3}):([A2-9TJQK][CDHS])\s*$/i.exec(part);
    const card = m ? parseCard(m[2]!.toUpperCase()) : null;
    if (!m || card === null) return `bad card "${part}": expected <position>:<code>, e.g. 4:7D`;
    out.push([Number(m[1]), card]);
  }
  return out.length > MAX_CARDS ? `at most ${MAX_CARDS} cards` : out;
}

/** Runs every check of a shoe (and the given dealt cards); true when all pass. */
export function checkShoe(record: ShoeRecord, dealt: Array<[number, number]>, print: Print, show = 12): boolean {
  const checks: Array<{ ok: boolean; line: string }> = [];
  if (record.shoeId) print(`shoe             : ${record.shoeId}`);
  if (typeof record.serverSeed !== 'string') {
    print('server seed      : not revealed yet (the shoe is still being dealt)');
    print('VERDICT: NOT VERIFIABLE YET');
    return false;
  }
  if (!isValidServerSeed(record.serverSeed)) print('  note: not 64 lowercase hex characters; the table never issues such a seed');
  const computedHash = hashServerSeed(record.serverSeed);
  print(`server seed      : ${record.serverSeed}`);
  if (typeof record.serverSeedHash === 'string') {
    const ok = record.serverSeedHash.toLowerCase() === computedHash;
    checks.push({ ok, line: `commitment       : SHA-256(serverSeed) = ${computedHash} ${ok ? 'matches' : `DOES NOT MATCH ${record.serverSeedHash}`}` });
  } else if (record.shoeId) {
    checks.push({ ok: false, line: `commitment       : SHA-256(serverSeed) = ${computedHash}; CANNOT BE CHECKED: the record has no serverSeedHash` });
  }
  if (record.clientSeed === null) {
    checks.forEach((c) => print(c.line));
    const ok = checks.every((c) => c.ok);
    print(`VERDICT: ${ok ? 'UNDEALT SHOE, commitment verified (no card was dealt from it)' : 'FAILED'}`);
    return ok;
  }
  if (record.shoeId && Array.isArray(record.clientSeeds)) {
    const expected = roundClientSeed(record.shoeId, record.clientSeeds);
    const ok = expected === record.clientSeed;
    checks.push({ ok, line: `client seed rule : from ${record.clientSeeds.length} player seed(s) → ${expected} ${ok ? 'matches' : 'DOES NOT MATCH'}` });
    record.clientSeeds.forEach((seed, i) => print(`player seed ${String(i + 1).padEnd(5)}: ${JSON.stringify(seed)}`));
  } else if (record.shoeId) {
    checks.push({ ok: false, line: "client seed rule : CANNOT BE CHECKED: the record does not list the players' seeds (clientSeeds)" });
  }
  const decks = record.cards / 52;
  const order = shuffleShoe(record.serverSeed, record.clientSeed, record.nonce, decks);
  print(`client seed      : ${record.clientSeed}`);
  print(`nonce            : ${record.nonce} (the shoe number), ${decks} deck(s)`);
  print(`first HMAC msg   : ${record.clientSeed}:${record.nonce}:0`);
  print(`shoe order       : ${order.slice(0, show).map((c, i) => `${i}:${cardCode(c)}`).join(' ')}${show < order.length ? ' …' : ''}`);
  for (const [position, card] of dealt) {
    const ok = position < order.length && order[position] === card;
    checks.push({ ok, line: `card ${String(position).padStart(3)}         : ${cardCode(card)} ${ok ? 'is the shoe card there' : `DOES NOT MATCH (the shoe has ${position < order.length ? cardCode(order[position]!) : 'no card'} there)`}` });
  }
  checks.forEach((c) => print(c.line));
  const ok = checks.every((c) => c.ok);
  print(`VERDICT: ${ok ? 'VERIFIED' : 'FAILED'}`);
  return ok;
}

function parseRecord(body: unknown): ShoeRecord | string {
  if (typeof body !== 'object' || body === null) return 'response is not a JSON object';
  const r = body as Record<string, unknown>;
  const str = (v: unknown) => v === null || v === undefined || typeof v === 'string';
  if (!Number.isSafeInteger(r.nonce) || (r.nonce as number) < 1) return 'response has no valid nonce';
  if (!Number.isSafeInteger(r.cards) || (r.cards as number) % 52 !== 0 || (r.cards as number) < 52 || (r.cards as number) > MAX_CARDS) return 'response has no valid card count';
  if (!str(r.serverSeed) || !str(r.clientSeed) || !str(r.serverSeedHash) || !str(r.shoeId)) return 'response has a non-string seed, hash or shoeId';
  if (r.clientSeeds !== undefined && r.clientSeeds !== null && !(Array.isArray(r.clientSeeds) && r.clientSeeds.every((s) => typeof s === 'string'))) return 'response clientSeeds is not a list of strings';
  return {
    shoeId: (r.shoeId as string | undefined) ?? undefined,
    nonce: r.nonce as number,
    cards: r.cards as number,
    serverSeedHash: (r.serverSeedHash as string | null | undefined) ?? null,
    serverSeed: (r.serverSeed as string | null | undefined) ?? null,
    clientSeed: (r.clientSeed as string | null | undefined) ?? null,
    clientSeeds: (r.clientSeeds as string[] | null | undefined) ?? null,
  };
}

async function fetchRecord(url: string): Promise<ShoeRecord | string> {
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
  const options = { url: { type: 'string' }, decks: { type: 'string', default: '6' }, hash: { type: 'string' }, cards: { type: 'string', default: '' }, show: { type: 'string', default: '12' } } as const;
  let parsed: ReturnType<typeof parseArgs<{ args: string[]; allowPositionals: true; options: typeof options }>>;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options });
  } catch (err) {
    print(`${(err as Error).message}\n${USAGE}`);
    print('VERDICT: FAILED');
    return 1;
  }
  const { values, positionals } = parsed;
  const failWith = (why: string) => {
    print(why);
    print('VERDICT: FAILED');
    return 1;
  };
  const dealt = parseCards(values.cards);
  if (typeof dealt === 'string') return failWith(dealt);
  const show = Number(values.show);
  if (!Number.isSafeInteger(show) || show < 0) return failWith('--show must be a non-negative integer');
  let record: ShoeRecord | string;
  if (values.url !== undefined) {
    if (positionals.length > 0) return failWith(USAGE);
    print(`fetching         : ${values.url}`);
    record = await fetchRecord(values.url);
  } else {
    const [serverSeed, clientSeed, nonceText] = positionals;
    const decks = Number(values.decks);
    if (positionals.length !== 3 || !/^[1-9]\d*$/.test(nonceText!)) return failWith(USAGE);
    if (!Number.isInteger(decks) || decks < 1 || decks > 8) return failWith('--decks must be 1..8');
    record = { nonce: Number(nonceText), cards: decks * 52, serverSeed: serverSeed!, clientSeed: clientSeed!, serverSeedHash: values.hash ?? null };
  }
  if (typeof record === 'string') return failWith(record);
  return checkShoe(record, dealt, print, show) ? 0 : 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv.slice(2));
}
