/**
 * Runs a persona mix through the real risk service (stream → book → detectors → model →
 * policies → actions on a real store) and measures it: per persona precision, recall and PR-AUC,
 * the false-positive rate on honest players, and the time from the deciding event's publication
 * to the flag. Used by `npm run fraud:eval` (scripts/fraud-eval.ts) and its test.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_POLICIES, featureVector, type AnomalyBaseline, type FeatureVector, type ModelWeights } from '../../actors/risk/index.ts';
import { StakeFactors } from '../../server/admin/stake-factors.ts';
import { createLogger } from '../../server/logger.ts';
import { StoreRiskActions, withdrawalHolds } from '../../server/risk/actions.ts';
import { RiskService } from '../../server/risk/service.ts';
import type { RiskStream } from '../../server/risk/stream.ts';
import { openSqliteStore } from '../../server/store/sqlite/index.ts';
import { ABUSIVE, HONEST, type Persona } from '../../load-tests/personas/personas.ts';
import { isAbusive, type PersonaMix } from '../../load-tests/personas/mix.ts';

export interface RunResult {
  service: RiskService;
  /** playerId → final feature vector. */
  features: Map<string, FeatureVector>;
  /** Feature vectors of every player seen so far, taken at each `snapshotEveryMs` of simulated time (training rows). */
  snapshots: Array<{ playerId: string; x: FeatureVector }>;
  wallMs: number;
  events: number;
}

/** Publishes the mix's events in order and lets the service consume as it goes (every `stepEvery` events). */
export async function runMix(mix: PersonaMix, stream: RiskStream, model: { weights: ModelWeights | null; baseline: AnomalyBaseline | null }, opts: { stepEvery?: number; snapshotEveryMs?: number } = {}): Promise<RunResult> {
  const stepEvery = opts.stepEvery ?? 100;
  const snapshots: RunResult['snapshots'] = [];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fraud-eval-'));
  const log = createLogger('silent');
  const store = await openSqliteStore({ path: path.join(dir, 'store.sqlite') });
  try {
    const factors = new StakeFactors(store.journal, log, Date.now);
    const service = new RiskService({
      stream, log, policies: DEFAULT_POLICIES, model: model.weights, baseline: model.baseline,
      actions: new StoreRiskActions(store, factors, withdrawalHolds(store, log, Date.now), log, Date.now),
      checkpointFile: null,
    });
    const t0 = Date.now();
    let nextSnapshot = opts.snapshotEveryMs ? (mix.events[0]?.at ?? 0) + opts.snapshotEveryMs : Infinity;
    for (let i = 0; i < mix.events.length; i++) {
      if (mix.events[i]!.at >= nextSnapshot) {
        await service.drain();
        for (const id of Object.keys(service.book.state.players)) if (mix.labels.has(id)) snapshots.push({ playerId: id, x: featureVector(service.book, id) });
        nextSnapshot += opts.snapshotEveryMs!;
      }
      await stream.publish(mix.events[i]!);
      if (i % stepEvery === stepEvery - 1) while ((await service.step(0)) > 0);
    }
    await service.drain();
    const wallMs = Date.now() - t0;
    const features = new Map([...mix.labels.keys()].map((id) => [id, featureVector(service.book, id)]));
    for (const [id, x] of features) snapshots.push({ playerId: id, x });
    return { service, features, snapshots, wallMs, events: mix.events.length };
  } finally {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Area under the precision-recall curve (average precision) of `scores` for positives vs negatives. */
export function prAuc(pos: readonly number[], neg: readonly number[]): number {
  const all = [...pos.map((s) => [s, 1] as const), ...neg.map((s) => [s, 0] as const)].sort((a, b) => b[0] - a[0]);
  let tp = 0;
  let fp = 0;
  let ap = 0;
  for (let i = 0; i < all.length; ) {
    // Ties move together.
    let j = i;
    let dtp = 0;
    while (j < all.length && all[j]![0] === all[i]![0]) {
      if (all[j]![1]) dtp++;
      else fp++;
      j++;
    }
    tp += dtp;
    if (dtp > 0) ap += (dtp / Math.max(1, pos.length)) * (tp / (tp + fp));
    i = j;
  }
  return ap;
}

const quantile = (xs: number[], q: number) => {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
};

export interface PersonaRow {
  persona: Persona;
  players: number;
  flagged: number;
  recall: number;
  /** Flagged players of this persona over those plus the flagged honest players. */
  precision: number;
  /** Average precision of the model score, this persona against the honest players. */
  prAuc: number | null;
  /** The same for the unsupervised anomaly score. */
  anomalyPrAuc: number | null;
  detectors: Record<string, number>;
}

export interface Report {
  personas: PersonaRow[];
  honest: { players: number; flagged: number; fpr: number; byStyle: Record<string, { players: number; flagged: number }>; actions: Record<string, number> };
  flagLatencyMs: { p50: number | null; p99: number | null; max: number | null; n: number };
  /** Simulated time from the player's first event to the flag (hours). */
  detectionHours: { p50: number | null; p99: number | null };
  events: number;
  wallMs: number;
}

export function report(mix: PersonaMix, run: RunResult): Report {
  const svc = run.service;
  const score = (id: string) => svc.profiles[id]?.score ?? 0;
  const anomaly = (id: string) => svc.profiles[id]?.anomaly ?? 0;
  const flagged = (id: string) => (svc.profiles[id]?.flaggedAt ?? null) !== null;
  const byPersona = new Map<Persona, string[]>();
  for (const [id, p] of mix.labels) byPersona.set(p, [...(byPersona.get(p) ?? []), id]);
  const honestIds = [...mix.labels].filter(([, p]) => !isAbusive(p)).map(([id]) => id);
  const honestFlagged = honestIds.filter(flagged).length;
  const hasModel = Object.values(svc.profiles).some((p) => p.score !== null);
  const personas = ABUSIVE.filter((p) => byPersona.has(p)).map((persona): PersonaRow => {
    const ids = byPersona.get(persona)!;
    const hit = ids.filter(flagged).length;
    const detectors: Record<string, number> = {};
    for (const id of ids) for (const r of svc.profiles[id]?.reasons ?? []) detectors[r.detector] = (detectors[r.detector] ?? 0) + 1;
    return {
      persona, players: ids.length, flagged: hit, recall: hit / ids.length, precision: hit + honestFlagged ? hit / (hit + honestFlagged) : 1,
      prAuc: hasModel ? prAuc(ids.map(score), honestIds.map(score)) : null,
      anomalyPrAuc: hasModel ? prAuc(ids.map(anomaly), honestIds.map(anomaly)) : null, detectors,
    };
  });
  const byStyle = Object.fromEntries(HONEST.filter((p) => byPersona.has(p)).map((p) => [p, { players: byPersona.get(p)!.length, flagged: byPersona.get(p)!.filter(flagged).length }]));
  // What the policies did to honest players, by action.
  const honestActions: Record<string, number> = {};
  for (const id of honestIds) for (const a of Object.values(svc.profiles[id]?.actions ?? {})) honestActions[a.action] = (honestActions[a.action] ?? 0) + 1;
  const firstSeen = new Map<string, number>();
  for (const e of mix.events) if ('playerId' in e && e.playerId && !firstSeen.has(e.playerId)) firstSeen.set(e.playerId, e.at);
  const flaggedAbusive = [...mix.labels].filter(([id, p]) => isAbusive(p) && flagged(id)).map(([id]) => svc.profiles[id]!);
  const lat = flaggedAbusive.map((p) => p.flagLatencyMs!).filter((x) => x !== null);
  const hours = flaggedAbusive.map((p) => (p.flaggedAt! - (firstSeen.get(p.playerId) ?? p.flaggedAt!)) / 3600_000);
  return {
    personas,
    honest: { players: honestIds.length, flagged: honestFlagged, fpr: honestFlagged / honestIds.length, byStyle, actions: honestActions },
    flagLatencyMs: { p50: quantile(lat, 0.5), p99: quantile(lat, 0.99), max: lat.length ? Math.max(...lat) : null, n: lat.length },
    detectionHours: { p50: quantile(hours, 0.5), p99: quantile(hours, 0.99) },
    events: run.events,
    wallMs: run.wallMs,
  };
}
