/**
 * Training the risk model (docs/FRAUD.md, "The model"): logistic regression from
 * ml-logistic-regression (mljs; batch gradient descent, one-vs-all) on standardised per-player
 * features with an intercept column, abusive accounts oversampled to balance the classes; the
 * flag threshold is the score that keeps the false-positive rate on the training mix's honest
 * players at or below `maxFpr`. Scoring at run time is plain arithmetic on the exported weights
 * (actors/risk/score.ts), so the service needs no library to score.
 */
import LogisticRegression from 'ml-logistic-regression';
import { Matrix } from 'ml-matrix';
import { FEATURE_NAMES, anomalyBaseline, logisticScore, type AnomalyBaseline, type FeatureVector, type ModelWeights } from '../../actors/risk/index.ts';

export interface TrainOptions {
  numSteps?: number;
  learningRate?: number;
  /** Largest false-positive rate on the training honest players the threshold may give. */
  maxFpr?: number;
  version: string;
  /** The player of each row (rows are snapshots over time): the threshold bounds the share of honest players whose highest score reaches it. */
  players?: readonly string[];
}

export function trainModel(rows: readonly FeatureVector[], abusive: readonly boolean[], opts: TrainOptions): { weights: ModelWeights; baseline: AnomalyBaseline } {
  const d = FEATURE_NAMES.length;
  const means = Array.from({ length: d }, (_, j) => rows.reduce((s, r) => s + r[j]!, 0) / rows.length);
  const scales = Array.from({ length: d }, (_, j) => Math.sqrt(rows.reduce((s, r) => s + (r[j]! - means[j]!) ** 2, 0) / rows.length) || 1);
  const std = (r: FeatureVector) => [1, ...r.map((v, j) => (v - means[j]!) / scales[j]!)];
  const positives = abusive.filter(Boolean).length;
  const repeat = Math.max(1, Math.round((abusive.length - positives) / Math.max(1, positives)));
  const X: number[][] = [];
  const y: number[] = [];
  rows.forEach((r, i) => {
    for (let k = 0; k < (abusive[i] ? repeat : 1); k++) {
      X.push(std(r));
      y.push(abusive[i] ? 1 : 0);
    }
  });
  const lr = new LogisticRegression({ numSteps: opts.numSteps ?? 1000, learningRate: opts.learningRate ?? 1 / X.length });
  lr.train(new Matrix(X), Matrix.columnVector(y));
  // One-vs-all: classifier 0 separates class 0 (honest, target 0) from the rest (target 1), so its score is P(abusive).
  const w = lr.classifiers[0]!.weights.to1DArray();
  const model: ModelWeights = { version: opts.version, features: [...FEATURE_NAMES], means, scales, weights: w, threshold: 0.5 };
  // A player is flagged the first time any of his scores reaches the threshold: bound the share of honest players whose highest score does.
  const highest = new Map<string, number>();
  rows.forEach((r, i) => {
    if (abusive[i]) return;
    const who = opts.players?.[i] ?? String(i);
    highest.set(who, Math.max(highest.get(who) ?? 0, logisticScore(r, model)));
  });
  const honestScores = [...highest.values()].sort((a, b) => a - b);
  const maxFp = Math.floor((opts.maxFpr ?? 0.001) * honestScores.length);
  // Strictly above the (maxFp+1)-th highest honest score: at most maxFp honest players reach it.
  const bound = honestScores[honestScores.length - 1 - maxFp] ?? 0.5;
  model.threshold = Math.min(0.999, Math.max(0.5, bound + 1e-6));
  return { weights: model, baseline: anomalyBaseline(rows) };
}
