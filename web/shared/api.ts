/** JSON over HTTP to the server's API (docs/API.md), with its typed errors. */

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

export async function api<T = any>(method: string, path: string, opts: { body?: unknown; token?: string | null; headers?: Record<string, string> } = {}): Promise<T> {
  const headers: Record<string, string> = { ...(opts.headers ?? {}) };
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  let res: Response;
  try {
    res = await fetch(path, { method, headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body) });
  } catch {
    throw new ApiError(0, 'http/unreachable', 'the server cannot be reached; check your connection');
  }
  const text = await res.text();
  let data: any = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    throw new ApiError(res.status, 'http/bad_response', `unexpected answer (${res.status})`);
  }
  if (!res.ok) {
    const e = data?.error ?? {};
    throw new ApiError(res.status, e.code ?? 'http/error', e.message ?? `request failed (${res.status})`, e.details);
  }
  return data as T;
}

export function describeError(e: unknown): string {
  if (e instanceof ApiError) return `${e.message} (${e.code})`;
  const err = e as { code?: unknown; message?: string };
  return err?.message ?? String(e);
}

const DEVICE_KEY = 'casino.deviceId';

/**
 * This browser's device id: random, made once and kept in localStorage, sent as `X-Device-Id` on
 * registration and login (the risk service links accounts by it; docs/FRAUD.md).
 */
export function deviceId(): string | null {
  try {
    let id = localStorage.getItem(DEVICE_KEY);
    if (!id) {
      // getRandomValues works outside secure contexts too (randomUUID does not).
      id = `web-${Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('')}`;
      localStorage.setItem(DEVICE_KEY, id);
    }
    return id;
  } catch {
    return null; // no storage (private mode): send no id rather than one every such browser would share
  }
}
