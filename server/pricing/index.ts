/**
 * Pricing models in the server: the current versioned model (service.ts), the scheduled refit job
 * that writes new versions (refit-job.ts, fits in a worker thread), and the listing of an event with
 * the model's rates, ρ and version. In a cluster the feed process runs the refit job and the servers
 * follow the current model file (`follow`).
 */
import fs from 'node:fs';
import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';
import type { EventListing } from '../../rooms/market/services.ts';
import { ModelStore } from './model-store.ts';
import { RefitJob } from './refit-job.ts';
import { PricingModels, refitInWorker } from './service.ts';

export { PricingModels } from './service.ts';

/** How often a process that does not refit itself re-reads the current model file. */
const FOLLOW_EVERY_MS = 60_000;

export interface Pricing {
  models: PricingModels;
  /** The refit job, when this process runs it. */
  job: RefitJob | null;
  /** The listing with the current model's rates, ρ and version, when the model covers its league. */
  price<L extends EventListing>(listing: L): L;
  start(): void;
  stop(): void;
}

export function setUpPricing(config: Config, log: Logger, now: () => number, role: 'refit' | 'follow'): Pricing {
  const store = new ModelStore(config.pricing.modelDir, config.pricing.modelsKept);
  const models = new PricingModels(store, log);
  const canRefit = config.pricing.refitEveryMs > 0 && fs.existsSync(config.pricing.dataDir);
  if (role === 'refit' && config.pricing.refitEveryMs > 0 && !canRefit) log.info({ dataDir: config.pricing.dataDir }, 'no match data for the pricing refit: pricing from the current model file or the bundled seed');
  const job =
    role === 'refit' && canRefit
      ? new RefitJob({
          everyMs: config.pricing.refitEveryMs,
          now,
          refit: (fittedAt) => refitInWorker(config.pricing.dataDir, fittedAt),
          onModel: (model) => models.install(model),
          onError: (err) => log.error({ err }, 'pricing refit failed; keeping the current model'),
          lastFittedAt: () => models.lastFittedAt(),
        })
      : null;
  let follower: NodeJS.Timeout | null = null;
  return {
    models,
    job,
    price<L extends EventListing>(listing: L): L {
      const p = models.forMatch(listing.league, listing.home, listing.away);
      return p ? { ...listing, lambdaHome: p.lambdaHome, lambdaAway: p.lambdaAway, rho: p.rho, modelVersion: p.modelVersion } : listing;
    },
    start() {
      job?.start();
      if (role === 'follow') {
        follower = setInterval(() => models.reload(), FOLLOW_EVERY_MS);
        follower.unref();
      }
    },
    stop() {
      job?.stop();
      if (follower) clearInterval(follower);
    },
  };
}
