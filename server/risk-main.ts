/**
 * The risk process of a cluster (`npm run risk`, PM2 app `casino-risk`; docs/FRAUD.md): consumes
 * the risk stream through its consumer group, keeps the features and profiles (checkpointed in
 * RISK_CHECKPOINT_FILE), performs the policies' actions on the shared store, and serves the risk
 * console API on RISK_PORT, which the servers forward /admin/fraud/* to.
 */
import type http from 'node:http';
import express, { type NextFunction, type Request, type Response } from 'express';
import { ConfigError, loadConfig } from './config.ts';
import { createLogger } from './logger.ts';
import { openStore } from './app.ts';
import { StakeFactors } from './admin/stake-factors.ts';
import { AuditTrail } from './admin/audit.ts';
import { WalletService } from './wallet/service.ts';
import { TokenSigner } from './auth/tokens.ts';
import { AuthService } from './auth/service.ts';
import { requireAuth } from './http/auth.ts';
import { toHttpError } from './http/routes.ts';
import { createRiskService, openRiskStream } from './risk/index.ts';
import { riskConsoleRoutes } from './risk/routes.ts';

const config = (() => {
  try {
    const c = loadConfig();
    if (!c.redisUrl) throw new ConfigError('REDIS_URL', 'set: the risk process reads the risk stream from Redis (without Redis the server runs the risk service itself)', '');
    return c;
  } catch (e) {
    console.error((e as Error).message);
    process.exit(78);
  }
})();
const log = createLogger(config.logLevel, { role: 'risk' });
const store = await openStore(config, log);
const stakeFactors = new StakeFactors(store.journal, log, Date.now);
await stakeFactors.refresh();
const service = createRiskService(config, store, openRiskStream(config), stakeFactors, log, Date.now);
service.start();

const wallet = new WalletService(store.wallet, config.currency);
const tokens = new TokenSigner(config.tokenSecret, config.tokenTtlSeconds, Date.now);
const auth = new AuthService(store.users, wallet, tokens, config.demoBalanceMinor, Date.now);
const app = express();
app.use(express.json({ limit: config.limits.httpBodyBytes }));
app.get('/healthz', (_req, res) => void res.json({ ok: true }));
app.use(riskConsoleRoutes(service, requireAuth(tokens, auth, ['operator', 'admin']), new AuditTrail(store.audit, log)));
app.use((req: Request, res: Response) => void res.status(404).json({ error: { code: 'http/not_found', message: `no route for ${req.method} ${req.path}` } }));
app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
  const { status, body } = toHttpError(err);
  if (status >= 500) log.error({ err }, 'risk console request failed');
  res.status(status).json(body);
});
const server: http.Server = app.listen(config.risk.port, config.host, () => {
  log.info({ port: config.risk.port, policies: config.risk.policies.map((p) => p.name) }, 'risk service consuming the risk stream');
  process.send?.('ready');
});

const stop = async () => {
  server.close();
  await service.stop();
  await store.close();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
