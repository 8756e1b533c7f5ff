/**
 * The one typed configuration module. Every setting comes from an environment variable with a
 * default; an invalid value throws ConfigError naming the variable and what it expected, and the
 * process refuses to start (see main.ts).
 */
import type { PromotionsConfig } from './promotions/service.ts';
import os from 'node:os';
import path from 'node:path';
import type { PaymentsConfig } from './payments/service.ts';
import type { ProtectionConfig } from './protection/service.ts';
import type { GeoConfig } from './geo/gate.ts';
import type { KycConfig } from './kyc/service.ts';
import type { AmlConfig } from '../actors/aml/index.ts';
import { riskConfig, type RiskConfig } from './risk/config.ts';

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    readonly expected: string,
    readonly got: string,
  ) {
    super(`config: ${variable} must be ${expected} (got ${JSON.stringify(got)})`);
    this.name = 'ConfigError';
  }
}

export interface Config {
  port: number;
  host: string;
  /** Address other processes use to reach this one (RedisDriver), e.g. `10.0.0.5:2567`. */
  publicAddress: string;
  dataDir: string;
  redisUrl: string | null;
  mongodbUrl: string | null;
  tokenSecret: string;
  tokenTtlSeconds: number;
  currency: string;
  demoBalanceMinor: number;
  houseFloatMinor: number;
  promotionsBudgetMinor: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  limits: {
    httpBodyBytes: number;
    wsMessageBytes: number;
    messagesPerSecond: number;
    /** Over this many messages per second a client is disconnected (abuse, not eagerness). */
    disconnectMessagesPerSecond: number;
  };
  reconnectGraceSeconds: number;
  rouletteTables: number;
  rouletteBettingWindowMs: number;
  rouletteSpinMs: number;
  roulettePauseMs: number;
  /** How often a table sends its state deltas; phase changes go out at once regardless. */
  roulettePatchMs: number;
  /** Crash rooms (`crash-1`, …) and their table settings (docs/OPERATIONS.md). */
  crash: {
    rooms: number;
    bettingWindowMs: number;
    pauseMs: number;
    /** How often a crash room sends its state deltas (cash-outs are batched per patch). */
    patchMs: number;
    /** Rounds per provably-fair hash chain (a new chain is generated when one is used up). */
    chainLength: number;
    /** Public salt mixed into every crash point (docs/FAIRNESS.md). */
    salt: string;
    maxPayoutPerBetMinor: number;
    liabilityCapMinor: number;
    /** How many bets (largest stakes) the synced player list shows. */
    playerListSize: number;
  };
  /** Blackjack tables opened at start (`blackjack-1`, …) and their timings (docs/OPERATIONS.md). */
  blackjackTables: number;
  blackjackBettingWindowMs: number;
  blackjackDecisionMs: number;
  blackjackPauseMs: number;
  /** How long a finished event's room stays open for late viewers (and operators' re-settlements). */
  eventLingerMs: number;
  betDelayMs: number;
  /** How long markets stay suspended after a goal or red card before re-pricing. */
  marketResumeAfterMs: number;
  /** Multiples (accumulators, system bets, bet builders): docs/SPORTSBOOK.md "Multiples". */
  slips: {
    minStakeMinor: number;
    maxStakeMinor: number;
    /** Per slip: the most it may ever pay. */
    maxPayoutMinor: number;
    /** Bet builder margin: price = 1 / (joint probability × this). */
    builderOverround: number;
    /** Cash-out margin of an open slip, basis points. */
    cashOutMarginBps: number;
    /** A slip whose saga made no progress for this long is recovered by any process (its rule). */
    staleMs: number;
    /** How often each process looks for stale slips. */
    sweepMs: number;
    /** Slips being placed at once on one process (more: slip/busy). */
    maxInFlight: number;
  };
  simulator: { enabled: boolean; seed: string; everyMs: number; msPerMinute: number; preMatchMs: number };
  pricing: {
    /** football-data.co.uk CSVs the refit job learns from (absent: no refit, the bundled seed model). */
    dataDir: string;
    /** Where the versioned model files are written and read. */
    modelDir: string;
    modelsKept: number;
    /** How often the refit job runs (0: never). */
    refitEveryMs: number;
    /** Stake and liability limits on engine-only pre-match prices, as a share of the normal ones. */
    engineOnlyLimitFactor: number;
    /** Weight of market prices in the pool with the model. */
    marketWeight: number;
    /** Pre-match widening of the margin, in standard deviations of the closing price around the prices quoted from. */
    uncertaintyZ: number;
    /** Least margin of each 1X2 / over-under selection over the market's fair price. */
    minOutcomeMargin: number;
  };
  /** Bonus rules the server applies (docs/PROMOTIONS.md). */
  promotions: PromotionsConfig;
  /** Key prefix for everything this deployment keeps in Redis. */
  redisPrefix: string;
  cluster: { leaseTtlMs: number; pollMs: number };
  /** Bootstrap admin (created once at start when both are set). */
  adminUsername: string | null;
  adminPassword: string | null;
  nodeEnv: string;
  /** DEV_MODE=1: the built-in token secret is allowed (logged loudly at start). Never in production. */
  devMode: boolean;
  /** The built-in, public token secret is in use (only possible with DEV_MODE=1). */
  insecureTokenSecret: boolean;
  http: {
    /** Origins allowed to call the API from a browser (CORS); empty: same origin only. */
    corsOrigins: string[];
    /** Express `trust proxy`: false, a hop count, or addresses/subnets of trusted proxies. */
    trustProxy: boolean | number | string[];
    /** Bearer token a scraper sends for GET /metrics (operators' tokens work too); null: operators only. */
    metricsToken: string | null;
  };
  /** Deposits and withdrawals through a payment provider (docs/PAYMENTS.md); off while `pspUrl` is null. */
  payments: PaymentsConfig & {
    pspUrl: string | null;
    /** Base URL of the PSP's hosted pages as players' browsers reach them (default: pspUrl). */
    pspPublicUrl: string | null;
    pspApiKey: string;
    pspWebhookSecret: string;
    webhookToleranceSeconds: number;
    webhooksPerSecondPerIp: number;
    /** Where the PSP's hosted page sends the player back to (null: this server's `/#/cashier`, from the request). */
    returnUrl: string | null;
  };
  /** Player protection (docs/COMPLIANCE.md): cooling-off of limit raises, reality-check rule. */
  protection: ProtectionConfig;
  /** Allowed and blocked countries (docs/OPERATIONS.md#geolocation). */
  geo: GeoConfig;
  /** Identity verification (docs/COMPLIANCE.md). */
  kyc: KycConfig;
  /** Anti-money-laundering thresholds (docs/COMPLIANCE.md). */
  aml: AmlConfig;
  /** The risk service (docs/FRAUD.md). */
  risk: RiskConfig;
  /** Edge limits on logins, registrations, matchmaking and connections (docs/OPERATIONS.md). */
  abuse: {
    /** Failed logins per account (any address) per 15 minutes before it is throttled. */
    loginFailuresPerAccount: number;
    /** Failed logins per client address per 15 minutes. */
    loginFailuresPerIp: number;
    /** Registrations per client address per hour. */
    registrationsPerIp: number;
    /** Login and registration requests per client address per minute (successful or not). */
    authRequestsPerIp: number;
    /** Seat reservations (matchmaking joins) per player per minute. */
    matchmakePerPlayer: number;
    /** Seat reservations per client address per minute. */
    matchmakePerIp: number;
    /** How long a seat reservation waits for its WebSocket before it lapses. */
    seatReservationSeconds: number;
    /** Connections one player may hold in one room at once. */
    roomConnectionsPerPlayer: number;
    /** After a flood disconnect, how long the player may not join that room again. */
    floodBanSeconds: number;
  };
}

export type Env = Record<string, string | undefined>;

/** CRASH_SALT: 1..128 printable ASCII characters (it is published with every crash round). */
function crashSalt(env: Env): string {
  const raw = env.CRASH_SALT;
  if (raw === undefined || raw === '') return 'casino-live-crash-v1';
  if (!/^[\x20-\x7e]{1,128}$/.test(raw)) throw new ConfigError('CRASH_SALT', '1 to 128 printable ASCII characters', raw);
  return raw;
}

export function intVar(env: Env, name: string, def: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return def;
  if (!/^-?\d+$/.test(raw.trim())) throw new ConfigError(name, `an integer between ${min} and ${max}`, raw);
  const n = Number(raw.trim());
  if (!Number.isSafeInteger(n) || n < min || n > max) throw new ConfigError(name, `an integer between ${min} and ${max}`, raw);
  return n;
}

export function urlVar(env: Env, name: string, protocols: string[]): string | null {
  const raw = env[name];
  if (raw === undefined || raw === '') return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(name, `a URL (${protocols.join(' or ')})`, raw);
  }
  if (!protocols.includes(url.protocol)) throw new ConfigError(name, `a URL (${protocols.join(' or ')})`, raw);
  return raw;
}

export function enumVar<T extends string>(env: Env, name: string, values: readonly T[], def: T): T {
  const raw = env[name];
  if (raw === undefined || raw === '') return def;
  if (!(values as readonly string[]).includes(raw)) throw new ConfigError(name, `one of ${values.join(', ')}`, raw);
  return raw as T;
}

/** A comma-separated list of ISO 3166-1 alpha-2 country codes (upper case). */
function countriesVar(env: Env, name: string): string[] {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return [];
  const codes = raw.split(',').map((c) => c.trim().toUpperCase()).filter(Boolean);
  if (codes.length > 300 || codes.some((c) => !/^[A-Z]{2}$/.test(c))) throw new ConfigError(name, 'a comma-separated list of two-letter country codes (e.g. GB,MT)', raw);
  return [...new Set(codes)];
}

function boolVar(env: Env, name: string, def: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return def;
  const v = raw.trim().toLowerCase();
  if (['1', 'true', 'on', 'yes'].includes(v)) return true;
  if (['0', 'false', 'off', 'no'].includes(v)) return false;
  throw new ConfigError(name, '1 or 0 (true/false, on/off)', raw);
}

/** `CORS_ORIGINS`: comma-separated origins (`https://casino.example`), each exactly scheme://host[:port]. */
function originsVar(env: Env, name: string): string[] {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return [];
  return raw.split(',').map((o) => o.trim()).filter(Boolean).map((o) => {
    let url: URL;
    try {
      url = new URL(o);
    } catch {
      throw new ConfigError(name, 'comma-separated origins such as https://casino.example', raw);
    }
    if (!['http:', 'https:'].includes(url.protocol) || url.origin !== o.replace(/\/$/, '')) {
      throw new ConfigError(name, 'comma-separated origins such as https://casino.example (scheme, host and port only)', raw);
    }
    return url.origin;
  });
}

/** `TRUST_PROXY`: `false` (default), a hop count 1–10, or addresses/subnets/`loopback`/`linklocal`/`uniquelocal`. */
function trustProxyVar(env: Env, name: string): boolean | number | string[] {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '' || raw === 'false' || raw === '0') return false;
  if (/^\d+$/.test(raw)) {
    const n = Number(raw);
    if (n < 1 || n > 10) throw new ConfigError(name, 'false, a hop count 1–10, or proxy addresses/subnets', raw);
    return n;
  }
  const entries = raw.split(',').map((e) => e.trim()).filter(Boolean);
  const named = new Set(['loopback', 'linklocal', 'uniquelocal']);
  const address = /^[0-9a-fA-F:.]+(\/\d{1,3})?$/;
  if (entries.length === 0 || !entries.every((e) => named.has(e) || address.test(e))) {
    throw new ConfigError(name, 'false, a hop count 1–10, or proxy addresses/subnets (e.g. loopback,10.0.0.0/8)', raw);
  }
  return entries;
}

/** The sandbox PSP's keys in demo mode (DEV_MODE=1 only; public like DEV_SECRET). */
export const DEV_PSP_API_KEY = 'sk_sandbox_dev_0123456789';
export const DEV_PSP_WEBHOOK_SECRET = 'whsec_sandbox_dev_0123456789';

/** Public: anyone can forge tokens with it. Accepted only with DEV_MODE=1. */
export const DEV_SECRET = 'dev-only-insecure-token-secret-change-me';

export function loadConfig(env: Env = process.env): Config {
  const nodeEnv = env.NODE_ENV ?? 'development';
  const port = intVar(env, 'PORT', 2567, 0, 65535);
  const host = env.HOST || '0.0.0.0';
  const devMode = boolVar(env, 'DEV_MODE', false);
  if (devMode && /^prod/i.test(nodeEnv.trim())) throw new ConfigError('DEV_MODE', `unset or 0 when NODE_ENV=${nodeEnv}`, env.DEV_MODE ?? '');
  const tokenSecret = env.TOKEN_SECRET || DEV_SECRET;
  if (tokenSecret.length < 32) throw new ConfigError('TOKEN_SECRET', 'at least 32 characters', '<hidden>');
  if (tokenSecret === DEV_SECRET && !devMode) {
    throw new ConfigError('TOKEN_SECRET', 'a secret of your own (≥ 32 characters); the built-in one is public and is accepted only with DEV_MODE=1 (what `npm start` sets)', '<built-in>');
  }
  const metricsToken = env.METRICS_TOKEN || null;
  if (metricsToken !== null && metricsToken.length < 16) throw new ConfigError('METRICS_TOKEN', 'at least 16 characters', '<hidden>');
  const currency = env.CURRENCY ?? 'EUR';
  if (!/^[A-Z]{3}$/.test(currency)) throw new ConfigError('CURRENCY', 'an ISO 4217 code such as EUR', currency);
  const adminUsername = env.ADMIN_USERNAME || null;
  const adminPassword = env.ADMIN_PASSWORD || null;
  if ((adminUsername === null) !== (adminPassword === null)) {
    throw new ConfigError('ADMIN_PASSWORD', 'set together with ADMIN_USERNAME (both or neither)', adminPassword ? '<hidden>' : '');
  }
  const pspUrl = urlVar(env, 'PSP_URL', ['http:', 'https:']);
  const pspSecret = (name: string, dev: string): string => {
    const v = env[name] || (devMode ? dev : '');
    if (pspUrl && v.length < 16) throw new ConfigError(name, 'at least 16 characters (required with PSP_URL unless DEV_MODE=1)', v ? '<hidden>' : '');
    return v;
  };
  const depositMaxMinor = intVar(env, 'DEPOSIT_MAX_MINOR', 500_000, 1, 1_000_000_000);
  const withdrawalMaxMinor = intVar(env, 'WITHDRAWAL_MAX_MINOR', 1_000_000, 1, 1_000_000_000);
  const payments = {
    pspUrl: pspUrl?.replace(/\/$/, '') ?? null,
    pspPublicUrl: urlVar(env, 'PSP_PUBLIC_URL', ['http:', 'https:'])?.replace(/\/$/, '') ?? null,
    pspApiKey: pspSecret('PSP_API_KEY', DEV_PSP_API_KEY),
    pspWebhookSecret: pspSecret('PSP_WEBHOOK_SECRET', DEV_PSP_WEBHOOK_SECRET),
    webhookToleranceSeconds: intVar(env, 'PSP_WEBHOOK_TOLERANCE_SECONDS', 300, 10, 3600),
    webhooksPerSecondPerIp: intVar(env, 'PSP_WEBHOOKS_PER_SECOND', 500, 1, 100_000),
    depositMinMinor: intVar(env, 'DEPOSIT_MIN_MINOR', 500, 1, depositMaxMinor),
    depositMaxMinor,
    depositDailyMaxMinor: intVar(env, 'DEPOSIT_DAILY_MAX_MINOR', 1_000_000, 1, 10_000_000_000),
    withdrawalMinMinor: intVar(env, 'WITHDRAWAL_MIN_MINOR', 1000, 1, withdrawalMaxMinor),
    withdrawalMaxMinor,
    autoApproveMaxMinor: intVar(env, 'WITHDRAWAL_AUTO_APPROVE_MAX_MINOR', 50_000, 0, 1_000_000_000),
    openPerPlayer: intVar(env, 'PAYMENTS_OPEN_PER_PLAYER', 5, 1, 100),
    perPlayerPerDay: intVar(env, 'PAYMENTS_PER_PLAYER_PER_DAY', 50, 1, 1000),
    reverseWithdrawals: boolVar(env, 'REVERSE_WITHDRAWALS', true),
    pollMs: intVar(env, 'PAYMENTS_POLL_MS', 30_000, 0, 3_600_000),
    reconcileEveryMs: intVar(env, 'PAYMENTS_RECONCILE_EVERY_MS', 3_600_000, 0, 86_400_000),
    returnUrl: urlVar(env, 'PAYMENTS_RETURN_URL', ['http:', 'https:']),
  };
  return {
    payments,
    port,
    host,
    publicAddress: env.PUBLIC_ADDRESS || `${os.hostname()}:${port}`,
    dataDir: path.resolve(env.DATA_DIR || './data'),
    redisUrl: urlVar(env, 'REDIS_URL', ['redis:', 'rediss:']),
    mongodbUrl: urlVar(env, 'MONGODB_URL', ['mongodb:', 'mongodb+srv:']),
    tokenSecret,
    tokenTtlSeconds: intVar(env, 'TOKEN_TTL_SECONDS', 24 * 3600, 60, 30 * 24 * 3600),
    currency,
    demoBalanceMinor: intVar(env, 'DEMO_BALANCE_MINOR', 100_000, 0, 1_000_000_000),
    houseFloatMinor: intVar(env, 'HOUSE_FLOAT_MINOR', 100_000_000_000, 0, Number.MAX_SAFE_INTEGER / 4),
    promotionsBudgetMinor: intVar(env, 'PROMOTIONS_BUDGET_MINOR', 100_000_000_000, 0, Number.MAX_SAFE_INTEGER / 4),
    promotions: {
      withdrawalRule: enumVar(env, 'BONUS_WITHDRAWAL_RULE', ['forfeit', 'block', 'off'] as const, 'forfeit'),
      expirySweepMs: intVar(env, 'BONUS_EXPIRY_SWEEP_MS', 60_000, 0, 24 * 3600_000),
      cashBackJobMs: intVar(env, 'CASHBACK_JOB_MS', 60_000, 0, 24 * 3600_000),
    },
    logLevel: enumVar(env, 'LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const, 'info'),
    limits: {
      httpBodyBytes: intVar(env, 'HTTP_BODY_LIMIT_BYTES', 16 * 1024, 256, 1024 * 1024),
      wsMessageBytes: intVar(env, 'WS_MESSAGE_LIMIT_BYTES', 8 * 1024, 256, 1024 * 1024),
      messagesPerSecond: intVar(env, 'CLIENT_MESSAGES_PER_SECOND', 30, 1, 10_000),
      disconnectMessagesPerSecond: intVar(env, 'CLIENT_DISCONNECT_MESSAGES_PER_SECOND', 300, 2, 100_000),
    },
    reconnectGraceSeconds: intVar(env, 'RECONNECT_GRACE_SECONDS', 30, 0, 3600),
    rouletteTables: intVar(env, 'ROULETTE_TABLES', 2, 0, 1000),
    rouletteBettingWindowMs: intVar(env, 'ROULETTE_BETTING_WINDOW_MS', 15_000, 1000, 600_000),
    rouletteSpinMs: intVar(env, 'ROULETTE_SPIN_MS', 4000, 0, 60_000),
    roulettePauseMs: intVar(env, 'ROULETTE_PAUSE_MS', 6000, 0, 600_000),
    roulettePatchMs: intVar(env, 'ROULETTE_PATCH_MS', 200, 20, 1000),
    crash: {
      rooms: intVar(env, 'CRASH_ROOMS', 1, 0, 100),
      bettingWindowMs: intVar(env, 'CRASH_BETTING_WINDOW_MS', 8000, 1000, 600_000),
      pauseMs: intVar(env, 'CRASH_PAUSE_MS', 4000, 0, 600_000),
      patchMs: intVar(env, 'CRASH_PATCH_MS', 100, 20, 1000),
      chainLength: intVar(env, 'CRASH_CHAIN_LENGTH', 10_000, 1, 10_000_000),
      salt: crashSalt(env),
      maxPayoutPerBetMinor: intVar(env, 'CRASH_MAX_PAYOUT_MINOR', 10_000_000, 1, 1_000_000_000_000),
      liabilityCapMinor: intVar(env, 'CRASH_LIABILITY_CAP_MINOR', 50_000_000, 1, 1_000_000_000_000),
      playerListSize: intVar(env, 'CRASH_PLAYER_LIST', 20, 1, 200),
    },
    blackjackTables: intVar(env, 'BLACKJACK_TABLES', 1, 0, 1000),
    blackjackBettingWindowMs: intVar(env, 'BLACKJACK_BETTING_WINDOW_MS', 15_000, 1000, 600_000),
    blackjackDecisionMs: intVar(env, 'BLACKJACK_DECISION_MS', 15_000, 1000, 600_000),
    blackjackPauseMs: intVar(env, 'BLACKJACK_PAUSE_MS', 4000, 0, 600_000),
    eventLingerMs: intVar(env, 'EVENT_LINGER_MS', 60_000, 1_000, 86_400_000),
    betDelayMs: intVar(env, 'BET_DELAY_MS', 5000, 0, 60_000),
    marketResumeAfterMs: intVar(env, 'MARKET_RESUME_AFTER_MS', 8000, 0, 600_000),
    slips: {
      minStakeMinor: intVar(env, 'SLIP_MIN_STAKE_MINOR', 10, 1, 1_000_000),
      maxStakeMinor: intVar(env, 'SLIP_MAX_STAKE_MINOR', 1_000_000, 1, 1_000_000_000),
      maxPayoutMinor: intVar(env, 'SLIP_MAX_PAYOUT_MINOR', 25_000_000, 1, 1_000_000_000_000),
      builderOverround: intVar(env, 'BUILDER_MARGIN_PERCENT', 10, 0, 50) / 100 + 1,
      cashOutMarginBps: intVar(env, 'SLIP_CASHOUT_MARGIN_BPS', 500, 0, 5000),
      staleMs: intVar(env, 'SLIP_STALE_MS', 30_000, 1000, 3600_000),
      sweepMs: intVar(env, 'SLIP_SWEEP_MS', 10_000, 100, 3600_000),
      maxInFlight: intVar(env, 'SLIP_MAX_IN_FLIGHT', 2000, 1, 100_000),
    },
    simulator: {
      enabled: enumVar(env, 'SIM_SCHEDULE', ['on', 'off'] as const, 'on') === 'on',
      seed: env.SIM_SEED || 'demo',
      everyMs: intVar(env, 'SIM_EVERY_MS', 120_000, 1000, 24 * 3600_000),
      msPerMinute: intVar(env, 'SIM_MS_PER_MINUTE', 2000, 1, 60_000),
      preMatchMs: intVar(env, 'SIM_PRE_MATCH_MS', 60_000, 0, 24 * 3600_000),
    },
    pricing: (() => {
      const dataDir = path.resolve(env.PRICING_DATA_DIR || '../shared/data/football');
      return {
        dataDir,
        modelDir: path.resolve(env.PRICING_MODEL_DIR || path.join(path.resolve(env.DATA_DIR || './data'), 'pricing-models')),
        modelsKept: intVar(env, 'PRICING_MODELS_KEPT', 20, 1, 1000),
        refitEveryMs: intVar(env, 'PRICING_REFIT_EVERY_MS', 6 * 3600_000, 0, 30 * 24 * 3600_000),
        engineOnlyLimitFactor: intVar(env, 'ENGINE_ONLY_LIMIT_PERCENT', 25, 0, 100) / 100,
        marketWeight: intVar(env, 'MARKET_WEIGHT_PERCENT', 90, 0, 100) / 100,
        uncertaintyZ: intVar(env, 'PRICE_WIDENING_Z_PERCENT', 100, 0, 500) / 100,
        minOutcomeMargin: intVar(env, 'MIN_OUTCOME_MARGIN_BPS', 100, 0, 5000) / 10_000,
      };
    })(),
    redisPrefix: env.REDIS_PREFIX || 'casino:',
    cluster: {
      leaseTtlMs: intVar(env, 'LEASE_TTL_MS', 1500, 300, 60_000),
      pollMs: intVar(env, 'OWNERSHIP_POLL_MS', 250, 50, 10_000),
    },
    adminUsername,
    adminPassword,
    nodeEnv,
    devMode,
    insecureTokenSecret: tokenSecret === DEV_SECRET,
    http: {
      corsOrigins: originsVar(env, 'CORS_ORIGINS'),
      trustProxy: trustProxyVar(env, 'TRUST_PROXY'),
      metricsToken,
    },
    geo: {
      allowedCountries: countriesVar(env, 'GEO_ALLOWED_COUNTRIES'),
      blockedCountries: countriesVar(env, 'GEO_BLOCKED_COUNTRIES'),
      unknown: enumVar(env, 'GEO_UNKNOWN', ['allow', 'block'] as const, 'allow'),
      databasePath: env.GEO_DATABASE ? path.resolve(env.GEO_DATABASE) : null,
      recordCountry: boolVar(env, 'GEO_RECORD_COUNTRY', false),
    },
    aml: {
      cumulativeWindowMs: 24 * 3_600_000,
      cumulativeThresholdMinor: intVar(env, 'AML_CUMULATIVE_24H_MINOR', 200_000, 1, 1_000_000_000_000),
      rapidWindowMs: intVar(env, 'AML_RAPID_WINDOW_MINUTES', 60, 1, 24 * 60) * 60_000,
      rapidCount: intVar(env, 'AML_RAPID_COUNT', 5, 2, 1000),
      littlePlayWindowMs: intVar(env, 'AML_LITTLE_PLAY_HOURS', 72, 1, 24 * 90) * 3_600_000,
      littlePlayPercent: intVar(env, 'AML_LITTLE_PLAY_PERCENT', 10, 0, 100),
    },
    kyc: {
      minAge: intVar(env, 'KYC_MIN_AGE', 18, 16, 25),
      requiredFor: (() => {
        const v = enumVar(env, 'KYC_REQUIRED_FOR', ['withdrawal', 'play', 'off'] as const, 'withdrawal');
        // Withdrawals always need a verified identity; only development may switch that off.
        if (v === 'off' && !devMode) throw new ConfigError('KYC_REQUIRED_FOR', '`withdrawal` or `play` (`off` only with DEV_MODE=1)', v);
        return v;
      })(),
      maxUploadBytes: intVar(env, 'KYC_MAX_UPLOAD_BYTES', 2 * 1024 * 1024, 1024, 20 * 1024 * 1024),
      validityMs: intVar(env, 'KYC_VALIDITY_DAYS', 365, 1, 3650) * 86_400_000,
    },
    protection: {
      coolingOffMs: intVar(env, 'PROTECTION_COOLING_OFF_HOURS', 24, 1, 7 * 24) * 3_600_000,
      realityCheckPausesBetting: boolVar(env, 'REALITY_CHECK_PAUSES_BETTING', true),
      fundsReturnSweepMs: intVar(env, 'SELF_EXCLUSION_RETURN_SWEEP_SECONDS', 60, 0, 86_400) * 1000,
    },
    risk: riskConfig(env),
    abuse: {
      loginFailuresPerAccount: intVar(env, 'LOGIN_FAILURES_PER_ACCOUNT', 10, 1, 100_000),
      loginFailuresPerIp: intVar(env, 'LOGIN_FAILURES_PER_IP', 100, 1, 1_000_000),
      registrationsPerIp: intVar(env, 'REGISTRATIONS_PER_IP', 20, 1, 1_000_000),
      authRequestsPerIp: intVar(env, 'AUTH_REQUESTS_PER_IP', 300, 1, 1_000_000),
      matchmakePerPlayer: intVar(env, 'MATCHMAKE_PER_PLAYER', 30, 1, 1_000_000),
      matchmakePerIp: intVar(env, 'MATCHMAKE_PER_IP', 300, 1, 1_000_000),
      seatReservationSeconds: intVar(env, 'SEAT_RESERVATION_SECONDS', 8, 1, 60),
      roomConnectionsPerPlayer: intVar(env, 'ROOM_CONNECTIONS_PER_PLAYER', 5, 1, 100_000),
      floodBanSeconds: intVar(env, 'FLOOD_BAN_SECONDS', 60, 0, 86_400),
    },
  };
}
