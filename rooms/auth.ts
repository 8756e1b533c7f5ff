import { ServerError, type AuthContext } from '@colyseus/core';
import { AppError } from '../server/errors.ts';
import type { Role } from '../server/store/types.ts';
import { roomServices } from './context.ts';

export interface RoomAuth {
  userId: string;
  username: string;
  role: Role;
}

/**
 * Every room's static `onAuth`, which Colyseus runs when a seat is asked for (HTTP matchmaking),
 * before anything is reserved: an anonymous or refused request holds no seat. The SDK sends
 * `client.auth.token` as a Bearer header (`token`). In order:
 *   1. the client address's join budget (MATCHMAKE_PER_IP a minute), spent by refused requests too,
 *      and its country (`geo/blocked`, 403; server/geo/gate.ts);
 *   2. the token (missing, tampered, expired: 401) and the account (locked: 403);
 *   3. the player's flood ban (a recent flood disconnect: 429) and join budget (MATCHMAKE_PER_PLAYER);
 *   4. player protection: a time-out or self-exclusion refuses the seat (`protection/excluded`, 403);
 *   5. with KYC_REQUIRED_FOR=play, a player without a verified identity (`kyc/required`, 403).
 * A refusal is a ServerError whose status is the HTTP status and whose message starts with the
 * namespaced code (`auth/missing_token: …`); server/http/matchmake.ts turns it into a typed body.
 */
export async function authenticateSeat(token: string | undefined, context: AuthContext | undefined): Promise<RoomAuth> {
  const { tokens, auth, limits, protection, geo, kyc } = roomServices();
  try {
    if (context?.ip) await limits.consume('matchmakeIp', context.ip);
    if (context?.ip) geo.check(context.ip);
    const claims = tokens.verify(token);
    const user = await auth.userForClaims(claims);
    await limits.check('flood', user.id);
    await limits.consume('matchmakePlayer', user.id);
    await protection.admit(user.id);
    if (kyc.config.requiredFor === 'play' && user.role === 'player') await kyc.assertVerified(user.id, 'playing');
    return { userId: user.id, username: user.username, role: user.role };
  } catch (e) {
    if (e instanceof AppError) throw new ServerError(e.status, `${e.code}: ${e.message}`);
    throw e;
  }
}
