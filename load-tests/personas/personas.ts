/**
 * Fraud personas (docs/FRAUD.md, "Personas"): each writes the risk events a kind of player
 * produces over the simulated week. Honest styles: casual, in-play fan, high roller, bonus
 * player (claims a welcome bonus and plays it through), household (two honest accounts sharing an
 * address, sometimes a device or a card), winner who withdraws, heavy punter (a sharp's volume
 * without the edge). Abusive: sharp bettor, bonus-abuse
 * ring, multi-account ring, latency bettor, stolen-card depositor who charges back.
 */
import { Actor, DAY, MATCH_MS, type Match, type World } from './world.ts';

export const HONEST = ['casual', 'in_play_fan', 'high_roller', 'bonus_player', 'household', 'winner_withdraws', 'heavy_punter'] as const;
export const ABUSIVE = ['sharp', 'bonus_ring', 'multi_account_ring', 'latency', 'stolen_card'] as const;
export type Persona = (typeof HONEST)[number] | (typeof ABUSIVE)[number];

const FIRST = ['james', 'maria', 'li', 'omar', 'anna', 'lukas', 'sofia', 'ivan', 'emma', 'noah', 'yuki', 'chen', 'fatima', 'pedro', 'olga', 'tom', 'nina', 'raj', 'lea', 'marco'];
const LAST = ['smith', 'garcia', 'wang', 'haddad', 'novak', 'muller', 'rossi', 'petrov', 'brown', 'jones', 'tanaka', 'kim', 'ali', 'silva', 'ivanova', 'clark', 'berg', 'patel', 'dubois', 'costa'];

let playerSeq = 0;
export function resetPlayerSeq(): void {
  playerSeq = 0;
}

function actor(w: World, persona: Persona, username?: string): Actor {
  const n = ++playerSeq;
  const name = username ?? `${w.pick(FIRST)}${w.pick(['', '.', '_'])}${w.pick(LAST)}${w.between(0, 3) ? w.between(1, 9999) : ''}${String.fromCharCode(97 + (n % 26))}${String.fromCharCode(97 + ((n >> 5) % 26))}`;
  return new Actor(w, `${w.seed}-p${n}`, name, persona);
}

const ip = (w: World) => `${w.between(1, 223)}.${w.between(0, 255)}.${w.between(0, 255)}.${w.between(1, 254)}`;
const device = (w: World) => w.id('device');
const card = (w: World) => w.id('card');
const sel = (w: World) => w.pick(['home', 'home', 'draw', 'away', 'away'] as const);

/** A time in the week, after `from`. */
const later = (w: World, from: number, maxMs = 6 * DAY) => from + w.between(60_000, Math.max(120_000, Math.min(maxMs, w.start + w.days * DAY - from - 60_000)));
const someMatches = (w: World, after: number, count: number): Match[] => {
  const pool = w.matches.filter((m) => m.kickOff > after + 3600_000);
  return Array.from({ length: Math.min(count, pool.length) }, () => w.pick(pool));
};

/** Honest pre-match bettors take prices a little worse than the close on average (the close is the sharper price). */
const honestClv = (w: World) => w.normal(-0.01, 0.05);

function honestStart(w: World, a: Actor, opts: { at?: number; address?: string; dev?: string; cardId?: string; deposits?: number; depositMinor?: number } = {}): { at: number; address: string; dev: string; cardId: string } {
  const at = opts.at ?? w.start + w.between(0, 3 * DAY);
  const address = opts.address ?? ip(w);
  const dev = opts.dev ?? device(w);
  const cardId = opts.cardId ?? card(w);
  a.register(at, address, dev);
  if (w.rng() < 0.1) a.deposit(at + 60_000, opts.depositMinor ?? 2000, card(w), 'failed'); // a typo, an expired card
  for (let i = 0; i < (opts.deposits ?? 1); i++) a.deposit(at + 120_000 + i * w.between(3600_000, 2 * DAY), opts.depositMinor ?? w.pick([1000, 2000, 5000]), cardId);
  if (w.rng() < 0.3) a.login(at + w.between(3600_000, DAY), address, dev, false); // mistyped password
  a.login(at + w.between(3600_000, DAY), w.rng() < 0.8 ? address : ip(w), dev);
  return { at, address, dev, cardId };
}

export function casual(w: World): Actor[] {
  const a = actor(w, 'casual');
  const { at } = honestStart(w, a);
  for (const m of someMatches(w, at, w.between(2, 12))) a.preMatch(m, sel(w), w.pick([200, 500, 1000]), honestClv(w));
  return [a];
}

export function inPlayFan(w: World): Actor[] {
  const a = actor(w, 'in_play_fan');
  const { at } = honestStart(w, a, { deposits: 2 });
  for (const m of someMatches(w, at, w.between(3, 10))) {
    for (let k = w.between(1, 6); k > 0; k--) a.inPlay(m, m.kickOff + w.between(0, MATCH_MS), w.pick([200, 500, 1000]));
  }
  return [a];
}

export function highRoller(w: World): Actor[] {
  const a = actor(w, 'high_roller');
  const { at, cardId } = honestStart(w, a, { deposits: w.between(2, 5), depositMinor: w.pick([50_000, 100_000, 200_000]) });
  for (const m of someMatches(w, at, w.between(5, 20))) {
    if (w.rng() < 0.7) a.preMatch(m, sel(w), w.pick([10_000, 20_000, 50_000]), honestClv(w));
    else a.inPlay(m, m.kickOff + w.between(0, MATCH_MS), w.pick([10_000, 20_000]));
  }
  if (w.rng() < 0.3) a.withdraw(later(w, at + DAY), w.pick([50_000, 100_000]), cardId);
  return [a];
}

export function bonusPlayer(w: World): Actor[] {
  const a = actor(w, 'bonus_player');
  const { at } = honestStart(w, a);
  a.bonus(at + 200_000, 1000);
  for (const m of someMatches(w, at, w.between(6, 15))) a.preMatch(m, sel(w), w.pick([500, 1000]), honestClv(w));
  return [a];
}

/** Two honest accounts of one home: same address, sometimes one device, now and then one card. */
export function household(w: World): Actor[] {
  const address = ip(w);
  const shared = device(w);
  const sharedCard = card(w);
  const at = w.start + w.between(0, 3 * DAY);
  return [0, 1].map((i) => {
    const a = actor(w, 'household');
    honestStart(w, a, { at: at + i * w.between(3600_000, DAY), address, dev: w.rng() < 0.5 ? shared : device(w), cardId: w.rng() < 0.3 ? sharedCard : card(w) });
    if (w.rng() < 0.5) a.bonus(at + DAY, 1000);
    for (const m of someMatches(w, at + DAY, w.between(3, 10))) a.preMatch(m, sel(w), w.pick([200, 500, 1000]), honestClv(w));
    return a;
  });
}

/** Bets as often as a sharp (40–90 pre-match bets a week) but with no edge: the sharp detector's hardest honest case. */
export function heavyPunter(w: World): Actor[] {
  const a = actor(w, 'heavy_punter');
  const { at } = honestStart(w, a, { deposits: 3, depositMinor: 20_000 });
  for (const m of someMatches(w, at, w.between(40, 90))) a.preMatch(m, sel(w), w.pick([1000, 2000, 5000]), honestClv(w));
  return [a];
}

/** Plays for a few days, then withdraws (part of) the balance once the bets are settled. */
export function winnerWithdraws(w: World): Actor[] {
  const a = actor(w, 'winner_withdraws');
  const { at, cardId } = honestStart(w, a, { deposits: 2, depositMinor: 5000 });
  const matches = someMatches(w, at, w.between(4, 12));
  for (const m of matches) a.preMatch(m, sel(w), w.pick([1000, 2000, 3000]), honestClv(w));
  const lastSettled = Math.max(...matches.map((m) => m.kickOff + MATCH_MS), at);
  a.withdraw(lastSettled + w.between(3600_000, DAY), w.pick([8000, 10_000, 15_000]), cardId);
  return [a];
}

/**
 * Beats the closing line: with real prices, six bets in ten back the selection the market then
 * shortened the most (when it shortened by 2 % or more), the rest are ordinary picks; without
 * real prices, gets ~4 % better than the close.
 */
export function sharp(w: World): Actor[] {
  const a = actor(w, 'sharp');
  const { at } = honestStart(w, a, { deposits: 2, depositMinor: 20_000 });
  for (const m of someMatches(w, at, w.between(40, 90))) {
    const early = m.early;
    if (!early) {
      a.preMatch(m, sel(w), w.pick([2000, 5000, 10_000]), w.normal(0.04, 0.03));
      continue;
    }
    const best = (['home', 'draw', 'away'] as const).map((s) => [s, Math.log(early[s] / m.closing[s])] as const).sort((x, y) => y[1] - x[1])[0]!;
    if (w.rng() >= 0.6) a.preMatch(m, sel(w), w.pick([2000, 5000]), 0);
    else if (best[1] >= 0.02) a.preMatch(m, best[0], w.pick([2000, 5000, 10_000]), 0);
  }
  return [a];
}

/** Five accounts behind one exit address (a VPN), two on one device: each claims the welcome bonus, plays the minimum, cashes out. */
export function bonusRing(w: World): Actor[] {
  const address = ip(w);
  const dev = device(w);
  const at = w.start + w.between(0, 4 * DAY);
  const size = w.between(4, 7);
  return Array.from({ length: size }, (_, i) => {
    const a = actor(w, 'bonus_ring');
    const t = at + i * w.between(600_000, 3 * 3600_000);
    const cardId = card(w);
    a.register(t, w.rng() < 0.8 ? address : ip(w), i < 2 ? dev : device(w));
    a.deposit(t + 120_000, 1000, cardId);
    a.bonus(t + 180_000, 1000);
    for (const m of someMatches(w, t, w.between(1, 3))) a.preMatch(m, sel(w), 500, honestClv(w));
    a.withdraw(t + w.between(DAY / 2, 2 * DAY), 1800, cardId);
    return a;
  });
}

/** One person, four accounts: near-identical names, one card, one or two devices; spreads big stakes and backs both sides across accounts. */
export function multiAccountRing(w: World): Actor[] {
  const base = `${w.pick(FIRST)}${w.pick(LAST)}`;
  const cardId = card(w);
  const devs = [device(w), device(w)];
  const at = w.start + w.between(0, 3 * DAY);
  const size = w.between(3, 6);
  const accounts = Array.from({ length: size }, (_, i) => {
    const a = actor(w, 'multi_account_ring', `${base}${w.pick(['', '.', '_'])}${i + w.between(1, 99)}`);
    a.register(at + i * w.between(600_000, DAY / 2), ip(w), w.pick(devs));
    a.deposit(at + i * DAY / 4 + 600_000, 20_000, w.rng() < 0.7 ? cardId : card(w));
    return a;
  });
  for (const m of someMatches(w, at + DAY, w.between(4, 10))) {
    const placedBy = accounts.slice(0, 2 + Math.floor(w.rng() * (accounts.length - 1)));
    const sides = ['home', 'draw', 'away'] as const;
    const at = m.kickOff - w.between(600_000, DAY);
    // The same minutes, from each account: a spread over the outcomes that is worth a promotion or an arbitrage.
    placedBy.forEach((a, i) => a.preMatch(m, sides[i % 3]!, 5000, w.normal(0.01, 0.02), at + w.between(0, 180_000)));
  }
  return accounts;
}

/** Watches the match faster than the feed: requests in-play bets 1–4 s before incidents (most rejected by the delay), plus some cover bets. */
export function latencyBettor(w: World): Actor[] {
  const a = actor(w, 'latency');
  const { at } = honestStart(w, a, { deposits: 2, depositMinor: 10_000 });
  for (const m of someMatches(w, at, w.between(10, 25))) {
    for (const t of m.incidents) if (w.rng() < 0.6) a.inPlay(m, t - w.between(1000, 4000), w.pick([2000, 5000]));
    for (let k = w.between(0, 3); k > 0; k--) a.inPlay(m, m.kickOff + w.between(0, MATCH_MS), 1000);
  }
  return [a];
}

/** Tests stolen cards (failed deposits), deposits fast with what works, plays little, withdraws; the cardholder charges back days later. */
export function stolenCard(w: World): Actor[] {
  const a = actor(w, 'stolen_card');
  const at = w.start + w.between(0, 4 * DAY);
  const address = ip(w);
  a.register(at, address, device(w));
  const cards = Array.from({ length: w.between(2, 5) }, () => card(w));
  let t = at + 60_000;
  for (const c of cards.slice(0, -1)) a.deposit((t += w.between(20_000, 120_000)), w.pick([5000, 10_000]), c, 'failed');
  const good = cards.at(-1)!;
  const deposits = w.between(1, 4);
  for (let i = 0; i < deposits; i++) a.deposit((t += w.between(60_000, 900_000)), w.pick([10_000, 20_000]), good);
  for (const m of someMatches(w, t, w.between(0, 3))) a.preMatch(m, sel(w), 1000, honestClv(w));
  a.withdraw(t + w.between(3600_000, DAY), deposits * 9000, good);
  a.chargeback(t + w.between(2 * DAY, 4 * DAY), 10_000, good);
  return [a];
}

export const GENERATORS: Record<Persona, (w: World) => Actor[]> = {
  casual, in_play_fan: inPlayFan, high_roller: highRoller, bonus_player: bonusPlayer, household, winner_withdraws: winnerWithdraws, heavy_punter: heavyPunter,
  sharp, bonus_ring: bonusRing, multi_account_ring: multiAccountRing, latency: latencyBettor, stolen_card: stolenCard,
};
