/**
 * Setting up risk for a process (docs/FRAUD.md): the stream producers publish to, and — in the
 * process that consumes it (a server on the embedded defaults, or the `npm run risk` process in a
 * cluster) — the risk service with its model, policies and actions. Every server also installs
 * the withdrawal-hold check into its payment service.
 */
import fs from 'node:fs';
import bundled from './fraud-model.json' with { type: 'json' };
import type { AnomalyBaseline, ModelWeights } from '../../actors/risk/index.ts';
import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';
import type { Store } from '../store/types.ts';
import type { StakeFactors } from '../admin/stake-factors.ts';
import type { PaymentService } from '../payments/service.ts';
import { StoreRiskActions, withdrawalHolds } from './actions.ts';
import { installRiskPublisher } from './publish.ts';
import { RiskService } from './service.ts';
import { InProcessRiskStream, RedisRiskStream, type RiskStream } from './stream.ts';

export interface TrainedModel {
  weights: ModelWeights | null;
  baseline: AnomalyBaseline | null;
}

export function loadModel(file: string | null): TrainedModel {
  const data = (file ? JSON.parse(fs.readFileSync(file, 'utf8')) : bundled) as TrainedModel;
  return { weights: data.weights ?? null, baseline: data.baseline ?? null };
}

export function openRiskStream(config: Config): RiskStream {
  return config.redisUrl ? new RedisRiskStream(config.redisUrl, config.redisPrefix, config.risk.streamMaxLength) : new InProcessRiskStream(config.risk.streamMaxLength);
}

export function createRiskService(config: Config, store: Store, stream: RiskStream, stakeFactors: StakeFactors, log: Logger, now: () => number): RiskService {
  const model = loadModel(config.risk.modelFile);
  const holds = withdrawalHolds(store, log, now);
  return new RiskService({
    stream,
    actions: new StoreRiskActions(store, stakeFactors, holds, log, now),
    policies: config.risk.policies,
    log,
    model: model.weights,
    baseline: model.baseline,
    checkpointFile: config.risk.checkpointFile,
    checkpointEveryMs: config.risk.checkpointEveryMs,
  });
}

export interface ServerRisk {
  /** The service, when this process consumes the stream (in-process mode). */
  service: RiskService | null;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** A server's part: publish; consume too in in-process mode; refuse held players' withdrawals. */
export async function setUpServerRisk(config: Config, store: Store, stakeFactors: StakeFactors, payments: PaymentService | null, log: Logger, now: () => number): Promise<ServerRisk> {
  const holds = withdrawalHolds(store, log, now);
  await holds.refresh();
  payments?.withdrawalChecks.push(async ({ userId }) => {
    await holds.refresh();
    return holds.of(userId) === 0 ? { code: 'risk/withdrawal_held', message: 'withdrawals from this account are on hold for review; contact support' } : null;
  });
  if (config.risk.mode === 'off') return { service: null, start: async () => undefined, stop: async () => undefined };
  const stream = openRiskStream(config);
  installRiskPublisher(stream, log);
  const service = config.risk.mode === 'in-process' ? createRiskService(config, store, stream, stakeFactors, log, now) : null;
  return {
    service,
    start: async () => service?.start(),
    stop: async () => {
      installRiskPublisher(null);
      if (service) await service.stop();
      else await stream.close();
    },
  };
}
