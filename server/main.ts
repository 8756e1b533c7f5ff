/** `npm start`: load config (refusing to start on an invalid value), boot, and shut down gracefully on SIGTERM/SIGINT. */
import { ConfigError, loadConfig, type Config } from './config.ts';
import { OutageLog, createLogger } from './logger.ts';
import { isRedisDown } from './cluster/redis.ts';
import { startApp } from './app.ts';
import { spawnDemoPsp } from './payments/demo-psp.ts';

// Demo mode (`npm start`): the sandbox PSP runs beside the server unless a PSP is configured.
const demoPsp = spawnDemoPsp(process.env);

let config: Config;
try {
  config = loadConfig();
} catch (e) {
  if (e instanceof ConfigError) {
    console.error(e.message);
    process.exit(78); // EX_CONFIG
  }
  throw e;
}

const log = createLogger(config.logLevel);
// Colyseus writes some presence keys without waiting for them (its stats, from a timer): while
// Redis is down those writes fail with nobody to catch them. That is an outage, logged as one,
// not a reason to stop the rooms that keep serving meanwhile. Any other unhandled rejection is a
// bug: fail loudly.
const backgroundRedis = new OutageLog(log, 'redis (background writes)');
process.on('unhandledRejection', (reason) => {
  if (isRedisDown(reason)) return backgroundRedis.failed(reason);
  log.fatal({ err: reason }, 'unhandled promise rejection: exiting');
  process.exit(1);
});
if (config.insecureTokenSecret) {
  // Loud whatever LOG_LEVEL says: a server on the public secret accepts forged tokens.
  console.error('\n*** DEV_MODE=1: signing tokens with the built-in PUBLIC secret. Anyone can forge any account. ***\n*** Development only: set TOKEN_SECRET (≥ 32 characters) for anything others can reach.     ***\n');
}
try {
  const app = await startApp({ config, log });
  // PM2 (wait_ready) waits for this before reloading the next process.
  process.send?.('ready');
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'signal received');
    const force = setTimeout(() => {
      log.error('shutdown took longer than 30 s; exiting');
      process.exit(1);
    }, 30_000);
    force.unref();
    app.close().then(
      async () => {
        await demoPsp?.stop();
        process.exit(0);
      },
      (err) => {
        log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
} catch (e) {
  if (e instanceof ConfigError) {
    log.fatal(e.message);
    process.exit(78);
  }
  log.fatal({ err: e }, 'failed to start');
  process.exit(1);
}
