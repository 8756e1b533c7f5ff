/**
 * The risk service (docs/FRAUD.md): consumes the risk stream, keeps per-player features (the
 * RiskBook), runs the detectors and the model on every player an event touched, keeps each
 * player's profile (score history, reasons, actions) and the operators' review queue, and
 * performs what the policies decide. Loop: read a batch → apply each event once (by its id) →
 * evaluate → act → checkpoint → acknowledge. A crash anywhere before the acknowledgement re-reads
 * the batch; the checkpoint's id memory makes the re-read change nothing it already holds.
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  RiskBook, anomalyScore, dict, decideActions, detect, featureVector, logisticScore, subjectOf,
  type AnomalyBaseline, type ModelWeights, type Reason, type RiskBookState, type RiskEvent, type RiskPolicy, type Rules, DEFAULT_RULES,
} from '../../actors/risk/index.ts';
import type { Logger } from '../logger.ts';
import type { RiskActions } from './actions.ts';
import type { Delivery, RiskStream } from './stream.ts';

const HISTORY = 50;
/** Events after which the subject's linked group is evaluated too, over which links. */
const GROUP_KINDS: Partial<Record<RiskEvent['type'], string[]>> = {
  registered: ['d', 'c', 'n', 'i'], login: ['d', 'c', 'n', 'i'], deposit: ['d', 'c', 'n', 'i'], bonus_claimed: ['d', 'c', 'n', 'i'], bet: ['d', 'c', 'n'],
};
const QUEUE_MAX = 5_000;
const BATCH = 500;

export interface ScorePoint {
  at: number;
  score: number | null;
  anomaly: number | null;
}

export interface RiskProfile {
  playerId: string;
  score: number | null;
  anomaly: number | null;
  reasons: Reason[];
  history: ScorePoint[];
  /** Policy name → when it fired and what it did. */
  actions: Record<string, { action: string; at: number; stakeFactor?: number; reasons: string[] }>;
  flaggedAt: number | null;
  /** Publish → flag, ms (the flag-latency figure). */
  flagLatencyMs: number | null;
}

export interface QueueItem {
  playerId: string;
  at: number;
  policy: string;
  reasons: string[];
  score: number | null;
  status: 'open' | 'resolved';
  resolvedBy?: string;
  note?: string;
}

interface Checkpoint {
  version: 1;
  book: RiskBookState;
  profiles: Record<string, RiskProfile>;
  queue: QueueItem[];
}

export interface RiskServiceOptions {
  stream: RiskStream;
  actions: RiskActions;
  policies: readonly RiskPolicy[];
  log: Logger;
  /** Trained model (null: rules only). */
  model?: ModelWeights | null;
  baseline?: AnomalyBaseline | null;
  rules?: Rules;
  /** Where the checkpoint lives (null: memory only). */
  checkpointFile?: string | null;
  /** How often the checkpoint is written (and the stream acknowledged) while events flow. */
  checkpointEveryMs?: number;
  /** Clock for the flag-latency measurement. */
  now?: () => number;
}

export class RiskService {
  book = new RiskBook();
  /** By player id (prototype-free: an id such as `__proto__` is a key like any other). */
  profiles: Record<string, RiskProfile> = dict();
  queue: QueueItem[] = [];
  private running = false;
  private readonly unacked: string[] = [];
  private lastCheckpoint = 0;
  private loop: Promise<void> | null = null;
  private readonly now: () => number;
  /** Flags raised, for listeners (the evaluation and tests). */
  readonly onFlag = new Set<(p: RiskProfile, e: RiskEvent) => void>();

  constructor(private readonly opts: RiskServiceOptions) {
    this.now = opts.now ?? Date.now;
    this.lastCheckpoint = this.now();
    this.restore();
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = (async () => {
      while (this.running) {
        try {
          await this.step(1_000);
        } catch (err) {
          this.opts.log.warn({ err }, 'risk stream read failed; retrying');
          await new Promise((r) => setTimeout(r, 1_000));
        }
      }
    })();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
    if (this.unacked.length > 0) await this.commit();
    await this.opts.stream.close();
  }

  /**
   * One batch: read, apply, evaluate, act; then, at most every `checkpointEveryMs`, checkpoint and
   * acknowledge everything processed since the last checkpoint. Returns how many entries it read.
   */
  async step(blockMs = 0): Promise<number> {
    const batch = await this.opts.stream.read(BATCH, blockMs);
    if (batch.length > 0) {
      await this.process(batch);
      for (const d of batch) this.unacked.push(d.entryId);
    }
    if (this.unacked.length > 0 && (batch.length === 0 || this.now() - this.lastCheckpoint >= (this.opts.checkpointEveryMs ?? 1_000))) await this.commit();
    return batch.length;
  }

  /** Checkpoints, then acknowledges what the checkpoint holds. */
  async commit(): Promise<void> {
    this.checkpoint();
    this.lastCheckpoint = this.now();
    const ids = this.unacked.splice(0);
    await this.opts.stream.ack(ids);
  }

  /** Reads until the stream has nothing more (tests, the evaluation). */
  async drain(): Promise<void> {
    while ((await this.step(0)) > 0);
  }

  private async process(batch: readonly Delivery[]): Promise<void> {
    for (const d of batch) {
      if (!d.event) continue;
      const touched = this.book.apply(d.event);
      // Group detectors: a new link or a new claim may complete a ring around another member (a
      // bet only a hedge, which needs strong links: the cheaper walk for the most frequent event).
      const subject = subjectOf(d.event);
      const evaluate = new Set(touched);
      const kinds = GROUP_KINDS[d.event.type];
      if (subject && kinds) for (const id of this.book.component(subject, kinds, 50)) evaluate.add(id);
      for (const playerId of evaluate) await this.evaluate(playerId, d.event, d.publishedAt);
    }
  }

  private async evaluate(playerId: string, e: RiskEvent, publishedAt: number): Promise<void> {
    const reasons = detect(this.book, playerId, e.at, this.opts.rules ?? DEFAULT_RULES);
    const x = this.opts.model || this.opts.baseline ? featureVector(this.book, playerId) : null;
    const score = x && this.opts.model ? logisticScore(x, this.opts.model) : null;
    const anomaly = x && this.opts.baseline ? anomalyScore(x, this.opts.baseline) : null;
    const p = (this.profiles[playerId] ??= { playerId, score: null, anomaly: null, reasons: [], history: [], actions: {}, flaggedAt: null, flagLatencyMs: null });
    p.score = score;
    p.anomaly = anomaly;
    p.reasons = reasons;
    const last = p.history.at(-1);
    if (!last || last.score !== score || last.anomaly !== anomaly) {
      p.history.push({ at: e.at, score, anomaly });
      if (p.history.length > HISTORY) p.history.shift();
    }
    const decided = decideActions(this.opts.policies, score, reasons, new Set(Object.keys(p.actions)), this.opts.model?.threshold);
    for (const a of decided) {
      await this.opts.actions.perform(playerId, a);
      p.actions[a.policy] = { action: a.action, at: e.at, ...(a.stakeFactor !== undefined ? { stakeFactor: a.stakeFactor } : {}), reasons: a.reasons };
      if (a.action === 'flag') this.enqueue({ playerId, at: e.at, policy: a.policy, reasons: a.reasons, score, status: 'open' });
    }
    if (decided.length > 0 && p.flaggedAt === null) {
      p.flaggedAt = e.at;
      p.flagLatencyMs = Math.max(0, this.now() - publishedAt);
      for (const listener of this.onFlag) listener(p, e);
    }
  }

  private enqueue(item: QueueItem): void {
    this.queue.push(item);
    if (this.queue.length > QUEUE_MAX) {
      // Resolved items go first; open ones only when nothing else is left.
      const i = this.queue.findIndex((q) => q.status === 'resolved');
      this.queue.splice(i >= 0 ? i : 0, 1);
    }
  }

  /** An operator closes a player's open review items; `clearActions` lets the policies fire again later. */
  resolve(playerId: string, by: string, note: string, clearActions: boolean): number {
    let n = 0;
    for (const q of this.queue) {
      if (q.playerId !== playerId || q.status !== 'open') continue;
      q.status = 'resolved';
      q.resolvedBy = by;
      q.note = note;
      n += 1;
    }
    const p = this.profiles[playerId];
    if (p && clearActions) {
      p.actions = {};
      p.flaggedAt = null;
    }
    this.checkpoint();
    return n;
  }

  private checkpoint(): void {
    const file = this.opts.checkpointFile;
    if (!file) return;
    const data: Checkpoint = { version: 1, book: this.book.snapshot(), profiles: this.profiles, queue: this.queue };
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(data));
    fs.renameSync(tmp, file); // atomic: a crash leaves the old checkpoint or the new one
  }

  private restore(): void {
    const file = this.opts.checkpointFile;
    if (!file || !fs.existsSync(file)) return;
    const data = JSON.parse(fs.readFileSync(file, 'utf8')) as Checkpoint;
    if (data.version !== 1) throw new Error(`risk checkpoint ${file}: unknown version ${String(data.version)}`);
    this.book = new RiskBook(data.book);
    this.profiles = dict(data.profiles);
    this.queue = data.queue;
    this.opts.log.info({ file, players: Object.keys(this.profiles).length, applied: data.book.applied }, 'risk state restored from its checkpoint');
  }
}
