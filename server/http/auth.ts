import type { NextFunction, Request, Response } from 'express';
import { AppError } from '../errors.ts';
import type { Role } from '../store/types.ts';
import type { AuthService } from '../auth/service.ts';
import type { TokenSigner } from '../auth/tokens.ts';

export interface RequestAuth {
  userId: string;
  username: string;
  role: Role;
}

declare module 'express-serve-static-core' {
  interface Request {
    auth?: RequestAuth;
    /** The unparsed JSON body, kept only where a signature is checked over it (payment webhooks). */
    rawBody?: Buffer;
    id?: string;
  }
}

export function bearerToken(req: Request): string | undefined {
  const header = req.headers.authorization;
  if (header) {
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    return m ? m[1] : undefined;
  }
  // Browsers cannot put a header on a plain navigation (the monitor UI), so a cookie is accepted
  // too, for reads only: a state-changing request must carry the header (no cross-site requests).
  if (req.method !== 'GET' && req.method !== 'HEAD') return undefined;
  const cookie = req.headers.cookie;
  const m = cookie ? /(?:^|;\s*)auth_token=([^;]+)/.exec(cookie) : null;
  return m ? decodeURIComponent(m[1]) : undefined;
}

/** Requires a valid token of an active user, optionally with one of `roles`. */
export function requireAuth(tokens: TokenSigner, auth: AuthService, roles?: readonly Role[]) {
  return async (req: Request, _res: Response, next: NextFunction) => {
    try {
      const claims = tokens.verify(bearerToken(req));
      const user = await auth.userForClaims(claims);
      if (roles && !roles.includes(user.role)) {
        throw new AppError('auth/forbidden', `this action needs one of the roles: ${roles.join(', ')}`, 403);
      }
      req.auth = { userId: user.id, username: user.username, role: user.role };
      next();
    } catch (e) {
      next(e);
    }
  };
}
