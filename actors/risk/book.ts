/**
 * The risk book: per-player features kept from the event stream, the linking index (shared
 * devices, addresses, payment instruments, name skeletons) and, per live event, what latency
 * detection needs. Deterministic and clock-free: every time comes from the events. Each event is
 * applied at most once (by its id, within a bounded memory of recent ids; the service's checkpoint
 * keeps that memory across restarts). Every collection is bounded (see LIMITS).
 */
import type { RiskEvent } from './events.ts';
import { addSample, emptyRunning, type Running } from './stats.ts';

export const LIMITS = {
  /** Event ids remembered for de-duplication. */
  seenIds: 200_000,
  /** Distinct devices, addresses and instruments kept per player. */
  attributesPerPlayer: 32,
  /** Players an attribute may link; beyond, it is a shared public value (a carrier NAT, an internet café) and links nobody. */
  playersPerAttribute: 25,
  /** Recent timestamps kept per kind per player (velocity windows). */
  recentTimes: 200,
  /** Markets remembered per player (hedging). */
  marketsPerPlayer: 500,
  /** In-play bet requests and incidents remembered per live event (latency). */
  perEvent: 5_000,
  /** Live events remembered. */
  events: 2_000,
  /** Bets remembered per player for matching against later incidents (latency). */
  markedBets: 2_000,
};

/** Two bets on different selections of one market this close together are a hedge (or an arbitrage), not a change of mind. */
export const HEDGE_WINDOW_MS = 10 * 60_000;

/** Whether bets on a market cover two selections within HEDGE_WINDOW_MS of each other. */
export function isHedged(bets: ReadonlyArray<readonly [string, number]>): boolean {
  for (let i = 0; i < bets.length; i++) for (let j = i + 1; j < bets.length; j++) if (bets[i]![0] !== bets[j]![0] && Math.abs(bets[i]![1] - bets[j]![1]) <= HEDGE_WINDOW_MS) return true;
  return false;
}

/** How long before an incident an in-play bet request counts as "just before" it. */
export const LATENCY_WINDOW_MS = 10_000;

export interface PlayerFeatures {
  playerId: string;
  username: string | null;
  registeredAt: number | null;
  firstSeenAt: number;
  lastEventAt: number;
  devices: string[];
  ips: string[];
  instruments: string[];
  logins: number;
  failedLoginTimes: number[];
  deposits: number;
  depositMinor: number;
  depositTimes: number[];
  failedDeposits: number;
  failedDepositTimes: number[];
  withdrawals: number;
  withdrawMinor: number;
  chargebacks: number;
  chargebackMinor: number;
  bets: number;
  betsRejected: number;
  inPlayBets: number;
  stakeMinor: number;
  betTimes: number[];
  /** In-play bet requests (accepted or rejected) made within LATENCY_WINDOW_MS before an incident on their event. */
  preIncidentBets: number;
  /** log(accepted price / closing price) of settled, non-void bets with a closing price. */
  clv: Running;
  settledStakeMinor: number;
  settledPayoutMinor: number;
  cashOuts: number;
  bonusClaims: number;
  bonusMinor: number;
  limitChanges: number;
  /** marketKey → [selection, requestedAt] of accepted bets (hedging; at most 20 per market). */
  markets: Record<string, Array<[string, number]>>;
  /** Markets where the player backed two different selections within HEDGE_WINDOW_MS of each other. */
  hedgedMarkets: number;
}

interface EventMemory {
  /** In-play requests: [requestedAt, playerId, betId]. */
  requests: Array<[number, string, string]>;
  incidents: number[];
}

export interface RiskBookState {
  players: Record<string, PlayerFeatures>;
  /** attribute key (`d:`, `i:`, `c:`, `n:`) → players carrying it. */
  attributes: Record<string, string[]>;
  events: Record<string, EventMemory>;
  /** Lower-case username → player (a failed login names only the username). */
  usernames: Record<string, string>;
  /** Bets already counted as pre-incident (by bet id). */
  marked: string[];
  seen: string[];
  /** Population: in-play bet requests seen and how many fell just before an incident (the chance rate). */
  population: { inPlay: number; preIncident: number };
  applied: number;
}

/**
 * A dictionary keyed by outside strings (player ids, usernames, attribute values): no prototype,
 * so `__proto__`, `constructor` or `toString` are keys like any other, never Object.prototype's.
 */
export function dict<T>(from?: Record<string, T>): Record<string, T> {
  return Object.assign(Object.create(null) as Record<string, T>, from);
}

export const emptyBook = (): RiskBookState => ({ players: dict(), attributes: dict(), events: dict(), usernames: dict(), marked: [], seen: [], population: { inPlay: 0, preIncident: 0 }, applied: 0 });

/** A book as stored (JSON) with its dictionaries made prototype-free again. */
function restored(state: RiskBookState): RiskBookState {
  const players = dict<PlayerFeatures>();
  for (const [id, p] of Object.entries(state.players)) players[id] = { ...p, markets: dict(p.markets) };
  return { ...state, players, attributes: dict(state.attributes), events: dict(state.events), usernames: dict(state.usernames) };
}

function newPlayer(playerId: string, at: number): PlayerFeatures {
  return {
    playerId, username: null, registeredAt: null, firstSeenAt: at, lastEventAt: at, devices: [], ips: [], instruments: [],
    logins: 0, failedLoginTimes: [], deposits: 0, depositMinor: 0, depositTimes: [], failedDeposits: 0, failedDepositTimes: [],
    withdrawals: 0, withdrawMinor: 0, chargebacks: 0, chargebackMinor: 0, bets: 0, betsRejected: 0, inPlayBets: 0, stakeMinor: 0, betTimes: [],
    preIncidentBets: 0, clv: emptyRunning(), settledStakeMinor: 0, settledPayoutMinor: 0, cashOuts: 0, bonusClaims: 0, bonusMinor: 0, limitChanges: 0,
    markets: dict(), hedgedMarkets: 0,
  };
}

/** A username's skeleton: lower case, letters only (mike.ross1 and MikeRoss_22 → mikeross); empty below 4 letters (too common to link). */
export function nameSkeleton(username: string): string {
  const s = username.toLowerCase().replace(/[^a-z]/g, '').slice(0, 40);
  return s.length >= 4 ? s : '';
}

const push = (list: number[], t: number, max = LIMITS.recentTimes) => {
  list.push(t);
  if (list.length > max) list.splice(0, list.length - max);
};

export class RiskBook {
  private readonly seen: Set<string>;
  private readonly marked: Set<string>;

  readonly state: RiskBookState;

  constructor(state: RiskBookState = emptyBook()) {
    this.state = restored(state);
    this.seen = new Set(state.seen);
    this.marked = new Set(state.marked);
  }

  player(playerId: string): PlayerFeatures | undefined {
    return this.state.players[playerId];
  }

  hasSeen(eventId: string): boolean {
    return this.seen.has(eventId);
  }

  /** The state to checkpoint (the id memories written back as arrays). */
  snapshot(): RiskBookState {
    this.state.seen = [...this.seen];
    this.state.marked = [...this.marked];
    return this.state;
  }

  /** Applies an event once; returns the players whose features changed (empty for a duplicate). */
  apply(e: RiskEvent): string[] {
    if (this.seen.has(e.id)) return [];
    this.remember(this.seen, e.id, LIMITS.seenIds);
    this.state.applied += 1;
    if (e.type === 'incident') return this.incident(e.eventId, e.at);
    const playerId = e.type === 'login' && e.playerId === null ? this.state.usernames[e.username.toLowerCase()] : e.playerId;
    if (!playerId) return [];
    const p = this.ensure(playerId, e.at);
    p.lastEventAt = Math.max(p.lastEventAt, e.at);
    const touched = [p.playerId];
    switch (e.type) {
      case 'registered':
        p.username = e.username;
        p.registeredAt = e.at;
        this.state.usernames[e.username.toLowerCase()] = p.playerId;
        this.attach(p, 'n', nameSkeleton(e.username));
        this.attach(p, 'i', e.ip);
        if (e.deviceId) this.attach(p, 'd', e.deviceId);
        break;
      case 'login':
        p.username ??= e.username;
        if (e.ok) {
          p.logins += 1;
          this.attach(p, 'i', e.ip);
          if (e.deviceId) this.attach(p, 'd', e.deviceId);
        } else push(p.failedLoginTimes, e.at);
        break;
      case 'deposit':
        if (e.instrument) this.attach(p, 'c', e.instrument);
        if (e.status === 'captured') {
          p.deposits += 1;
          p.depositMinor += e.amountMinor;
          push(p.depositTimes, e.at);
        } else {
          p.failedDeposits += 1;
          push(p.failedDepositTimes, e.at);
        }
        break;
      case 'withdrawal':
        if (e.instrument) this.attach(p, 'c', e.instrument);
        if (e.status === 'requested') {
          p.withdrawals += 1;
          p.withdrawMinor += e.amountMinor;
        } else if (e.status === 'rejected' || e.status === 'cancelled' || e.status === 'failed') {
          p.withdrawMinor = Math.max(0, p.withdrawMinor - e.amountMinor);
        }
        break;
      case 'chargeback':
        p.chargebacks += 1;
        p.chargebackMinor += e.amountMinor;
        if (e.instrument) this.attach(p, 'c', e.instrument);
        break;
      case 'bet':
        return this.bet(p, e);
      case 'bet_settled':
        if (e.outcome !== 'void') {
          p.settledStakeMinor += e.stakeMinor;
          p.settledPayoutMinor += e.payoutMinor;
          if (e.closingPriceMilli && !e.inPlay) addSample(p.clv, Math.log(e.priceMilli / e.closingPriceMilli));
        }
        break;
      case 'cash_out':
        p.cashOuts += 1;
        break;
      case 'bonus_claimed':
        p.bonusClaims += 1;
        p.bonusMinor += e.amountMinor;
        break;
      case 'limit_changed':
        p.limitChanges += 1;
        break;
    }
    return touched;
  }

  /** Players sharing an attribute with `playerId`, by kind (each attribute bounded by playersPerAttribute). */
  neighbours(playerId: string, kinds: readonly string[] = ['d', 'c', 'n', 'i']): Map<string, string[]> {
    const p = this.state.players[playerId];
    const out = new Map<string, string[]>();
    if (!p) return out;
    const keys = [...p.devices.map((v) => `d:${v}`), ...p.instruments.map((v) => `c:${v}`), ...p.ips.map((v) => `i:${v}`), ...(p.username ? [`n:${nameSkeleton(p.username)}`] : [])];
    for (const key of keys) {
      if (!kinds.includes(key[0]!)) continue;
      const members = this.state.attributes[key];
      if (!members || members.length > LIMITS.playersPerAttribute) continue;
      for (const other of members) {
        if (other === playerId) continue;
        out.set(other, [...(out.get(other) ?? []), key]);
      }
    }
    return out;
  }

  /** The connected group of `playerId` over links of the given kinds (breadth-first, at most `max` players). */
  component(playerId: string, kinds: readonly string[] = ['d', 'c', 'n'], max = 200): string[] {
    const seen = new Set([playerId]);
    const queue = [playerId];
    while (queue.length > 0 && seen.size < max) {
      const next = queue.shift()!;
      for (const other of this.neighbours(next, kinds).keys()) {
        if (seen.has(other)) continue;
        seen.add(other);
        queue.push(other);
      }
    }
    return [...seen];
  }

  /**
   * The linked groups of at least `minSize` players (largest first, at most `max`), each with its
   * edges: two players and the attribute they share. For the operators' graph view.
   */
  groups(kinds: readonly string[] = ['d', 'c', 'n', 'i'], minSize = 2, max = 50): Array<{ members: string[]; edges: Array<{ a: string; b: string; via: string }> }> {
    const parent = new Map<string, string>();
    const find = (x: string): string => {
      let r = x;
      while (parent.get(r) !== r) r = parent.get(r)!;
      parent.set(x, r);
      return r;
    };
    const edges: Array<{ a: string; b: string; via: string }> = [];
    for (const [key, members] of Object.entries(this.state.attributes)) {
      if (!kinds.includes(key[0]!) || members.length < 2 || members.length > LIMITS.playersPerAttribute) continue;
      for (const m of members) if (!parent.has(m)) parent.set(m, m);
      for (let i = 1; i < members.length; i++) {
        edges.push({ a: members[0]!, b: members[i]!, via: key });
        parent.set(find(members[i]!), find(members[0]!));
      }
    }
    const byRoot = new Map<string, { members: string[]; edges: Array<{ a: string; b: string; via: string }> }>();
    for (const m of parent.keys()) {
      const root = find(m);
      const g = byRoot.get(root) ?? { members: [], edges: [] };
      g.members.push(m);
      byRoot.set(root, g);
    }
    for (const e of edges) byRoot.get(find(e.a))!.edges.push(e);
    return [...byRoot.values()].filter((g) => g.members.length >= minSize).sort((x, y) => y.members.length - x.members.length).slice(0, max);
  }

  private ensure(playerId: string, at: number): PlayerFeatures {
    return (this.state.players[playerId] ??= newPlayer(playerId, at));
  }

  private attach(p: PlayerFeatures, kind: 'd' | 'i' | 'c' | 'n', value: string): void {
    if (!value) return;
    const list = kind === 'd' ? p.devices : kind === 'i' ? p.ips : kind === 'c' ? p.instruments : null;
    if (list) {
      if (list.includes(value)) return;
      if (list.length >= LIMITS.attributesPerPlayer) return;
      list.push(value);
    }
    const key = `${kind}:${value}`;
    const members = (this.state.attributes[key] ??= []);
    // One past the cap marks the value as public; nobody more is recorded.
    if (!members.includes(p.playerId) && members.length <= LIMITS.playersPerAttribute) members.push(p.playerId);
  }

  private bet(p: PlayerFeatures, e: Extract<RiskEvent, { type: 'bet' }>): string[] {
    push(p.betTimes, e.requestedAt);
    if (e.status === 'accepted') {
      p.bets += 1;
      p.stakeMinor += e.stakeMinor;
      const key = `${e.eventId}/${e.marketId}`;
      const bets = p.markets[key];
      if (!bets) {
        p.markets[key] = [[e.selectionId, e.requestedAt]];
        const keys = Object.keys(p.markets);
        if (keys.length > LIMITS.marketsPerPlayer) delete p.markets[keys[0]!];
      } else if (bets.length < 20) {
        const before = isHedged(bets);
        bets.push([e.selectionId, e.requestedAt]);
        if (!before && isHedged(bets)) p.hedgedMarkets += 1;
      }
    } else p.betsRejected += 1;
    if (!e.inPlay) return [p.playerId];
    p.inPlayBets += 1;
    this.state.population.inPlay += 1;
    const mem = this.memory(e.eventId);
    mem.requests.push([e.requestedAt, p.playerId, e.betId]);
    if (mem.requests.length > LIMITS.perEvent) mem.requests.splice(0, mem.requests.length - LIMITS.perEvent);
    // The incident may already be known (a bet rejected by its delay is published after it).
    if (mem.incidents.some((t) => t > e.requestedAt && t - e.requestedAt <= LATENCY_WINDOW_MS)) this.markBet(p, e.betId);
    return [p.playerId];
  }

  private incident(eventId: string, at: number): string[] {
    const mem = this.memory(eventId);
    mem.incidents.push(at);
    if (mem.incidents.length > LIMITS.perEvent) mem.incidents.shift();
    const touched = new Set<string>();
    for (const [requestedAt, playerId, betId] of mem.requests) {
      if (requestedAt < at && at - requestedAt <= LATENCY_WINDOW_MS) {
        const p = this.state.players[playerId];
        if (p && this.markBet(p, betId)) touched.add(playerId);
      }
    }
    return [...touched];
  }

  private markBet(p: PlayerFeatures, betId: string): boolean {
    if (this.marked.has(betId)) return false;
    this.remember(this.marked, betId, LIMITS.markedBets * 50);
    p.preIncidentBets += 1;
    this.state.population.preIncident += 1;
    return true;
  }

  private memory(eventId: string): EventMemory {
    let mem = this.state.events[eventId];
    if (!mem) {
      mem = this.state.events[eventId] = { requests: [], incidents: [] };
      const keys = Object.keys(this.state.events);
      if (keys.length > LIMITS.events) delete this.state.events[keys[0]!];
    }
    return mem;
  }

  private remember(set: Set<string>, id: string, max: number): void {
    set.add(id);
    if (set.size > max) set.delete(set.values().next().value!);
  }
}
