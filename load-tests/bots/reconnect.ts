/** A dropped connection and the SDK-style reconnection, as players and spectators both do it. */
import type { Recorder } from '../metrics/recorder.ts';
import { JOIN_TIMEOUT_MS, bounded, errorCode, sleep } from './context.ts';
import { between, type Rng } from './random.ts';
import type { TableLink } from './table-link.ts';

/** Drops the link, waits a human moment, reconnects; false when the seat was lost (sit down afresh). */
export async function dropAndReconnect(link: TableLink, rng: Rng, recorder: Recorder): Promise<boolean> {
  recorder.count('drops');
  link.drop();
  await sleep(between(rng, 300, 2000));
  const t0 = performance.now();
  try {
    await bounded(link.reconnect(), JOIN_TIMEOUT_MS, 'reconnect');
    recorder.latency('reconnect', performance.now() - t0);
    recorder.count('reconnects');
    return true;
  } catch (e) {
    recorder.count('reconnectFailures');
    recorder.code(errorCode(e));
    return false;
  }
}
