/**
 * The pricing models in use: the current versioned model (from the model files the refit job
 * writes), falling back to the seed bundled with the code (server/pricing/fitted-strengths.json,
 * version `seed-<season>`) only until a model file exists — e.g. a fresh clone with no match data.
 */
import { siblingModule } from '../modules.ts';
import { Worker } from 'node:worker_threads';
import { pricingFor, type LeagueModel, type MatchPricing, type PricingModel } from '../../actors/odds/index.ts';
import { DEFAULT_MARKET_WEIGHT } from '../../actors/sportsbook/index.ts';
import { FITTED_STRENGTHS } from './seed-strengths.ts';
import type { Logger } from '../logger.ts';
import type { ModelStore } from './model-store.ts';

/** The bundled seed as a pricing model. */
export function seedModel(): PricingModel {
  const leagues: Record<string, LeagueModel> = {};
  let through = '';
  for (const [code, l] of Object.entries(FITTED_STRENGTHS.leagues)) {
    leagues[code] = { ...l, matches: 0, lastMatchDate: '', rhoSource: 'scores' };
    if (l.fittedThrough > through) through = l.fittedThrough;
  }
  return {
    version: `seed-${through}`,
    fittedAt: 0,
    hyper: { decayPerDay: 0, ridge: 0, marketShare: 0, marketWeight: 1, levelDecayPerDay: 0, ghostSplit: true },
    marketWeight: DEFAULT_MARKET_WEIGHT,
    leagues,
  };
}

export class PricingModels {
  private model: PricingModel;

  constructor(
    private readonly store: ModelStore | null,
    private readonly log: Logger,
  ) {
    this.model = store?.current() ?? seedModel();
    log.info({ version: this.model.version }, 'pricing model loaded');
  }

  get current(): PricingModel {
    return this.model;
  }

  /** fittedAt of the model in use; null while on the seed. */
  lastFittedAt(): number | null {
    return this.model.fittedAt > 0 ? this.model.fittedAt : null;
  }

  forMatch(league: string, home: string, away: string): MatchPricing | null {
    return pricingFor(this.model, league, home, away);
  }

  /** Picks up a newer current model file written by another process (the cluster's refit). */
  reload(): void {
    const latest = this.store?.current();
    if (latest && latest.version !== this.model.version) {
      this.model = latest;
      this.log.info({ version: latest.version }, 'pricing model reloaded');
    }
  }

  /** Saves a freshly fitted model as a new versioned file and prices new events with it. */
  install(model: PricingModel): void {
    const file = this.store?.save(model);
    const changed = model.version !== this.model.version;
    this.model = model;
    this.log.info({ version: model.version, file, changed, leagues: Object.keys(model.leagues) }, 'pricing model refitted');
  }
}

/** Runs a refit in a worker thread (seconds of numerical work stay off the event loop), bounded in time. */
export function refitInWorker(dataDir: string, fittedAt: number, timeoutMs = 300_000): Promise<PricingModel> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(siblingModule('refit-worker', import.meta.url), { workerData: { dataDir, fittedAt } });
    const timer = setTimeout(() => {
      void worker.terminate();
      reject(new Error(`refit timed out after ${timeoutMs} ms`));
    }, timeoutMs);
    worker.once('message', (msg: { ok: true; model: PricingModel } | { ok: false; error: string }) => {
      clearTimeout(timer);
      void worker.terminate();
      if (msg.ok) resolve(msg.model);
      else reject(new Error(`refit failed: ${msg.error}`));
    });
    worker.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}
