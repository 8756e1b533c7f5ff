/**
 * Services the rooms use, installed once by the composition root (server/app.ts). Colyseus
 * constructs rooms itself, so they reach their collaborators here rather than through options
 * (options may cross processes through the matchmaker and must stay plain data).
 */
import type { Logger } from '../server/logger.ts';
import type { AuthService } from '../server/auth/service.ts';
import type { TokenSigner } from '../server/auth/tokens.ts';
import type { WalletService } from '../server/wallet/service.ts';
import type { Store } from '../server/store/types.ts';
import type { Config } from '../server/config.ts';
import type { EdgeLimits } from '../server/http/limits.ts';
import type { ProtectionService } from '../server/protection/service.ts';
import type { GeoGate } from '../server/geo/gate.ts';
import type { KycService } from '../server/kyc/service.ts';
import type { ProfileService } from '../server/profiles/service.ts';

export interface RoomServices {
  config: Config;
  log: Logger;
  store: Store;
  wallet: WalletService;
  auth: AuthService;
  tokens: TokenSigner;
  /** Per-player and per-address caps on joins, and flood bans (server/http/limits.ts). */
  limits: EdgeLimits;
  /** Player protection: blocks refuse joins; a block removes the player from every room. */
  protection: ProtectionService;
  /** Country rules: a join from a refused country is `geo/blocked`. */
  geo: GeoGate;
  /** Identity verification; with KYC_REQUIRED_FOR=play a join needs a verified identity. */
  kyc: KycService;
  /** Player profiles (country, VIP tier) that promotions target. */
  profiles: ProfileService;
  /** Wall clock for rooms; tests may inject their own. */
  now: () => number;
  /** Fresh 32-byte server seeds as lowercase hex (CSPRNG). */
  randomSeed: () => string;
  /** Cluster: a room found that another process owns it now (its instance here writes no listing any more). */
  onOwnershipLost?: (roomId: string) => void;
}

let current: RoomServices | null = null;

export function installRoomServices(services: RoomServices | null): void {
  current = services;
}

export function roomServices(): RoomServices {
  if (!current) throw new Error('room services are not installed; boot the server through server/app.ts');
  return current;
}
