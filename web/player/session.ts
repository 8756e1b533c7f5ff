/** The logged-in player, kept in localStorage so a reload (or a dropped tab) keeps the session. */
export interface Session {
  userId: string;
  username: string;
  role: string;
  token: string;
}

const KEY = 'casino.session';

export function loadSession(key = KEY): Session | null {
  try {
    const s = JSON.parse(localStorage.getItem(key) ?? 'null');
    return s && typeof s.token === 'string' ? (s as Session) : null;
  } catch {
    return null;
  }
}

export function saveSession(s: Session | null, key = KEY): void {
  if (s) localStorage.setItem(key, JSON.stringify(s));
  else localStorage.removeItem(key);
}

/** Seconds left on the token (its payload is readable; the signature is the server's business). */
export function tokenExpired(token: string, now = Date.now()): boolean {
  try {
    const payload = JSON.parse(atob(token.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/')));
    return typeof payload.exp === 'number' && payload.exp * 1000 <= now;
  } catch {
    return true;
  }
}
