/** Starts bot processes (or one in-process host) for a set of plans and relays their messages. */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { BotHost } from './bot-host.ts';
import type { FromWorker, ToWorker, WorkerPlan } from './plan.ts';

export interface WorkerPool {
  /** Resolves when every worker is done. */
  done: Promise<void>;
  send(msg: ToWorker): void;
  /** Bot-process ids (for CPU/RSS attribution). */
  pids: number[];
}

const WORKER = fileURLToPath(new URL('./worker.ts', import.meta.url));

export function startWorkers(plans: WorkerPlan[], inProcess: boolean, onMessage: (msg: FromWorker) => void): WorkerPool {
  if (inProcess) {
    const hosts = plans.map((p) => new BotHost(p, onMessage));
    return {
      done: Promise.all(hosts.map((h) => h.run())).then(() => undefined),
      send: (msg) => hosts.forEach((h) => (msg.type === 'rate' ? h.setRate(msg.multiplier) : msg.type === 'stop' ? h.stop() : undefined)),
      pids: [process.pid],
    };
  }
  const children: ChildProcess[] = plans.map((plan) => {
    const child = fork(WORKER, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'], serialization: 'advanced' });
    child.on('message', (m: FromWorker) => onMessage(m));
    child.send({ type: 'start', plan } satisfies ToWorker);
    return child;
  });
  const done = Promise.all(
    children.map(
      (c, i) =>
        new Promise<void>((resolve, reject) => {
          c.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`bot process ${i} exited with ${code}`))));
        }),
    ),
  ).then(() => undefined);
  return {
    done,
    send: (msg) => children.forEach((c) => c.connected && c.send(msg)),
    pids: children.map((c) => c.pid!),
  };
}
