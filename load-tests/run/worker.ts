/**
 * A bot process (forked by the runner): receives its plan, runs its bots, streams measurements.
 * The SDK logs reconnection chatter to the console; here it is counted, not printed, so the
 * runner's progress display stays readable.
 */
import { BotHost } from './bot-host.ts';
import type { FromWorker, ToWorker } from './plan.ts';

let host: BotHost | null = null;
const send = (msg: FromWorker) => process.send?.(msg);

for (const level of ['log', 'info', 'warn', 'debug'] as const) {
  console[level] = () => host?.recorder.code('client/sdk_console');
}

process.on('message', (msg: ToWorker) => {
  if (msg.type === 'start') {
    host = new BotHost(msg.plan, send);
    host.run().then(
      () => setTimeout(() => process.exit(0), 50),
      (e) => {
        send({ type: 'fatal', worker: msg.plan.worker, error: String((e as Error)?.stack ?? e) });
        setTimeout(() => process.exit(1), 50);
      },
    );
  } else if (msg.type === 'rate') host?.setRate(msg.multiplier);
  else if (msg.type === 'stop') host?.stop();
});
process.on('disconnect', () => host?.stop());
