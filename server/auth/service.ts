/**
 * Registration and login. Username rules: 3–32 characters of letters, digits, `_`, `.`, `-`,
 * starting with a letter or digit, unique regardless of case. Password rules: 8–128 characters,
 * at least one letter and one digit, not one of the common passwords (common-passwords.ts). New
 * players get the configured demo balance.
 */
import { nanoid } from 'nanoid';
import { z } from 'zod';
import { isCommonPassword } from './common-passwords.ts';
import { AppError } from '../errors.ts';
import { StoreError, type Role, type UserStore, type User } from '../store/types.ts';
import type { WalletService } from '../wallet/service.ts';
import { decoyPasswordHash, hashPassword, verifyPassword } from './passwords.ts';
import type { TokenSigner } from './tokens.ts';

export const credentialsSchema = z.object({
  username: z
    .string()
    .min(3, 'must be at least 3 characters')
    .max(32, 'must be at most 32 characters')
    .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'may contain letters, digits, _ . - and must start with a letter or digit'),
  password: z
    .string()
    .min(8, 'must be at least 8 characters')
    .max(128, 'must be at most 128 characters')
    .regex(/[A-Za-z]/, 'must contain a letter')
    .regex(/\d/, 'must contain a digit')
    .refine((p) => !isCommonPassword(p), 'is one of the most common passwords; choose another'),
});
export type Credentials = z.infer<typeof credentialsSchema>;

/** Player protection's part in sign-up, login and token checks (server/protection/service.ts). */
export interface AuthProtection {
  openAccount(userId: string): Promise<void>;
  startSession(userId: string): Promise<void>;
  assertTokenValid(userId: string, issuedAtMs: number): Promise<void>;
}

export interface Session {
  userId: string;
  username: string;
  role: Role;
  token: string;
}

export class AuthService {
  constructor(
    private readonly users: UserStore,
    private readonly wallet: WalletService,
    private readonly tokens: TokenSigner,
    private readonly demoBalanceMinor: number,
    private readonly now: () => number = Date.now,
    private readonly protection: AuthProtection | null = null,
  ) {}

  async register(creds: Credentials, role: Role = 'player'): Promise<Session> {
    const user: User = {
      id: nanoid(16),
      username: creds.username,
      passwordHash: await hashPassword(creds.password),
      role,
      status: 'active',
      createdAt: this.now(),
    };
    try {
      await this.users.create(user);
    } catch (e) {
      if (e instanceof StoreError && e.code === 'store/username_taken') {
        throw new AppError('auth/username_taken', 'that username is already registered', 409);
      }
      throw e;
    }
    await this.wallet.openPlayerAccount(user.id, role === 'player' || role === 'bot' ? this.demoBalanceMinor : 0);
    if (role === 'player') await this.protection?.openAccount(user.id);
    return this.session(user);
  }

  async login(creds: { username: string; password: string }): Promise<Session> {
    const user = await this.users.findByUsername(creds.username);
    const ok = await verifyPassword(creds.password, user?.passwordHash ?? (await decoyPasswordHash()));
    if (!user || !ok) throw new AppError('auth/invalid_credentials', 'username or password is wrong', 401);
    if (user.status === 'locked') throw new AppError('auth/account_locked', 'this account is locked; contact support', 403);
    if (user.role === 'player') await this.protection?.startSession(user.id);
    return this.session(user);
  }

  /** Creates the bootstrap admin once; an existing user of that name is left as it is. */
  async ensureAdmin(username: string, password: string): Promise<void> {
    if (await this.users.findByUsername(username)) return;
    await this.register(credentialsSchema.parse({ username, password }), 'admin');
  }

  /** Resolves a verified token to its active user (locked accounts and revoked tokens are refused). */
  async userForClaims(claims: { sub: string; iat: number; iatMs?: number }): Promise<User> {
    const user = await this.users.findById(claims.sub);
    if (!user) throw new AppError('auth/invalid_token', 'the token names an unknown user', 401);
    if (user.status === 'locked') throw new AppError('auth/account_locked', 'this account is locked; contact support', 403);
    if (user.role === 'player') await this.protection?.assertTokenValid(user.id, typeof claims.iatMs === 'number' ? claims.iatMs : claims.iat * 1000);
    return user;
  }

  private session(user: User): Session {
    return { userId: user.id, username: user.username, role: user.role, token: this.tokens.sign(user) };
  }
}
