// PM2 cluster definition: N server processes on consecutive ports behind Redis.
// Usage (see README "Cluster"): npx pm2 start ecosystem.config.js
// ESM (the package is "type": "module"); PM2 on Node 24 loads it with require(esm), which
// returns this module's namespace, so `apps` is exported by name as well as by default.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const dir = import.meta.dirname;
const instances = Number(process.env.CLUSTER_PROCESSES || os.cpus().length);
const basePort = Number(process.env.CLUSTER_BASE_PORT || 2567);
const redisUrl = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
// The project's pinned Node 24 (npm `node` package) when dev dependencies are installed; else the
// system's node, which must then be 24 (a production install: `npm ci --omit=dev`).
const pinned = path.join(dir, 'node_modules', 'node', 'bin', 'node');
const node = fs.existsSync(pinned) ? pinned : 'node';
// The built JavaScript when `npm run build` has run (production); the TypeScript sources through tsx otherwise.
const built = fs.existsSync(path.join(dir, 'dist', 'server', 'main.js'));
const entry = (name) => (built ? { script: `dist/server/${name}.js` } : { script: `server/${name}.ts`, interpreter_args: '--import tsx' });

// Payments (docs/PAYMENTS.md): with PSP_API_KEY and PSP_WEBHOOK_SECRET set, the sandbox PSP runs as
// its own app and every server uses it (PSP_URL to use another PSP instead of the sandbox).
const pspPort = Number(process.env.PSP_PORT || 4100);
const payments = Boolean(process.env.PSP_API_KEY && process.env.PSP_WEBHOOK_SECRET);
const sandbox = payments && !process.env.PSP_URL;
const paymentEnv = payments
  ? { PSP_URL: process.env.PSP_URL || `http://127.0.0.1:${pspPort}`, PSP_API_KEY: process.env.PSP_API_KEY, PSP_WEBHOOK_SECRET: process.env.PSP_WEBHOOK_SECRET }
  : {};

// The risk process's console port; the servers forward /admin/fraud/* to it (docs/FRAUD.md).
const riskPort = Number(process.env.RISK_PORT || 4200);
const riskUrl = process.env.RISK_URL || `http://127.0.0.1:${riskPort}`;

const servers = Array.from({ length: instances }, (_, i) => ({
  name: `casino-${i + 1}`,
  ...entry('main'),
  interpreter: node,
  cwd: dir,
  kill_timeout: 35_000,
  // Rolling reload one process at a time (`PM2_CONCURRENT_ACTIONS=1 pm2 reload ecosystem.config.js`): PM2 moves
  // to the next process only once this one has sent 'ready' (after listen; server/main.ts), so a
  // ready server is always there to adopt the rooms the restarting one hands over.
  wait_ready: true,
  listen_timeout: 30_000,
  env: {
    PORT: String(basePort + i),
    PUBLIC_ADDRESS: `${process.env.PUBLIC_HOST || '127.0.0.1'}:${basePort + i}`,
    REDIS_URL: redisUrl,
    DATA_DIR: process.env.DATA_DIR || path.join(dir, 'data'),
    SIM_SCHEDULE: process.env.SIM_SCHEDULE || 'on',
    RISK_URL: riskUrl,
    ...paymentEnv,
  },
}));

// The sandbox PSP; its webhooks go to the first server (in production: the load balancer).
const psp = {
  name: 'casino-psp',
  ...(built ? { script: 'dist/psp/main.js' } : { script: 'psp/main.ts', interpreter_args: '--import tsx' }),
  interpreter: node,
  cwd: dir,
  wait_ready: true,
  env: {
    PSP_PORT: String(pspPort),
    PSP_API_KEY: process.env.PSP_API_KEY,
    PSP_WEBHOOK_SECRET: process.env.PSP_WEBHOOK_SECRET,
    PSP_WEBHOOK_URL: process.env.PSP_WEBHOOK_URL || `http://127.0.0.1:${basePort}/payments/webhook`,
    PSP_DATA_FILE: path.join(process.env.DATA_DIR || path.join(dir, 'data'), 'psp-sandbox.jsonl'),
  },
};

// One feed process for the whole cluster: runs the demo match schedule, publishes to Redis Streams.
const feed = {
  name: 'casino-feed',
  ...entry('feed-main'),
  interpreter: node,
  cwd: dir,
  env: {
    REDIS_URL: redisUrl,
    DATA_DIR: process.env.DATA_DIR || path.join(dir, 'data'),
    SIM_SCHEDULE: process.env.SIM_SCHEDULE || 'on',
  },
};

// One risk process for the whole cluster (docs/FRAUD.md): consumes the risk stream, acts by policy,
// serves the risk console API that the servers forward /admin/fraud/* to.
const risk = {
  name: 'casino-risk',
  ...entry('risk-main'),
  interpreter: node,
  cwd: dir,
  wait_ready: true,
  kill_timeout: 15_000,
  env: {
    REDIS_URL: redisUrl,
    DATA_DIR: process.env.DATA_DIR || path.join(dir, 'data'),
    RISK_PORT: String(riskPort),
  },
};

export const apps = [...servers, feed, risk, ...(sandbox ? [psp] : [])];

export default { apps };
