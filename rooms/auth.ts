import { ServerError, type AuthContext } from '@colyseus/core';
import { AppError } from '../server/errors.ts';
import type { Role } from '../server/store/types.ts';
import { roomServices } from './context.ts';

export interface RoomAuth {
  userId: string;
  username: string;
  role: Role;
}

/** HTTP-like status codes the SDK surfaces as `error.code` on a refused join. */
const UNAUTHORIZED = 401;
const FORBIDDEN = 403;

/**
 * Every room's onAuth: the SDK sends `client.auth.token` as a Bearer header, which Colyseus puts
 * in `context.token`. A missing, tampered or expired token, or a locked account, refuses the join
 * with a ServerError whose message starts with the namespaced code.
 */
export async function authenticate(context: AuthContext): Promise<RoomAuth> {
  const { tokens, auth } = roomServices();
  try {
    const claims = tokens.verify(context.token);
    const user = await auth.userForClaims(claims.sub);
    return { userId: user.id, username: user.username, role: user.role };
  } catch (e) {
    if (e instanceof AppError) throw new ServerError(e.status === 403 ? FORBIDDEN : UNAUTHORIZED, `${e.code}: ${e.message}`);
    throw e;
  }
}
