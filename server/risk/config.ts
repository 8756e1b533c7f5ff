/** The risk service's settings (docs/OPERATIONS.md, "Risk service"), read by server/config.ts. */
import path from 'node:path';
import { DEFAULT_POLICIES, policiesSchema, type RiskPolicy } from '../../actors/risk/index.ts';
import { ConfigError, enumVar, intVar, urlVar, type Env } from '../config.ts';

export interface RiskConfig {
  /** in-process: this server consumes the stream itself; external: the `npm run risk` process does (servers only publish); off: nothing is published. */
  mode: 'in-process' | 'external' | 'off';
  streamMaxLength: number;
  policies: RiskPolicy[];
  checkpointFile: string;
  /** How often the checkpoint is written (and the stream acknowledged) while events flow. */
  checkpointEveryMs: number;
  /** Trained model weights (JSON, as `npm run fraud:eval` writes them); null: the bundled server/risk/fraud-model.json. */
  modelFile: string | null;
  /** The risk process's HTTP port (its console API). */
  port: number;
  /** Where servers reach the risk process's console API (external mode). */
  url: string;
}

function policiesVar(env: Env): RiskPolicy[] {
  const raw = env.RISK_POLICIES;
  if (raw === undefined || raw.trim() === '') return DEFAULT_POLICIES;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new ConfigError('RISK_POLICIES', 'a JSON array of policies (docs/FRAUD.md)', raw.slice(0, 80));
  }
  const ok = policiesSchema.safeParse(parsed);
  if (!ok.success) throw new ConfigError('RISK_POLICIES', `a JSON array of policies (docs/FRAUD.md): ${ok.error.issues[0]?.path.join('.')} ${ok.error.issues[0]?.message}`, raw.slice(0, 80));
  return ok.data;
}

export function riskConfig(env: Env): RiskConfig {
  const dataDir = path.resolve(env.DATA_DIR || './data');
  const port = intVar(env, 'RISK_PORT', 4200, 0, 65535);
  return {
    mode: enumVar(env, 'RISK_SERVICE', ['in-process', 'external', 'off'] as const, env.REDIS_URL ? 'external' : 'in-process'),
    streamMaxLength: intVar(env, 'RISK_STREAM_MAXLEN', 100_000, 1_000, 10_000_000),
    policies: policiesVar(env),
    checkpointFile: path.resolve(env.RISK_CHECKPOINT_FILE || path.join(dataDir, 'risk', 'checkpoint.json')),
    checkpointEveryMs: intVar(env, 'RISK_CHECKPOINT_EVERY_MS', 5_000, 100, 600_000),
    modelFile: env.RISK_MODEL_FILE ? path.resolve(env.RISK_MODEL_FILE) : null,
    port,
    url: urlVar(env, 'RISK_URL', ['http:', 'https:']) ?? `http://127.0.0.1:${port}`,
  };
}
