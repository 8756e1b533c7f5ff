/** Runs one refit off the event loop (a few seconds of numerical work): workerData {dataDir, fittedAt}. */
import { parentPort, workerData } from 'node:worker_threads';
import { refitFromDirectory } from './refit.ts';

const { dataDir, fittedAt } = workerData as { dataDir: string; fittedAt: number };
try {
  parentPort!.postMessage({ ok: true, model: refitFromDirectory(dataDir, fittedAt) });
} catch (err) {
  parentPort!.postMessage({ ok: false, error: err instanceof Error ? err.message : String(err) });
}
