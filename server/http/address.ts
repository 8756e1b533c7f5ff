/**
 * The client's address for limits and logs, the same way express computes `req.ip`: the peer
 * address, or with TRUST_PROXY the nearest X-Forwarded-For hop that is not a trusted proxy. Without
 * TRUST_PROXY, X-Forwarded-For is ignored (anyone can send it).
 */
import type http from 'node:http';
import proxyaddr from 'proxy-addr';

export function clientAddress(trust: boolean | number | string[]): (req: http.IncomingMessage) => string {
  const trusted = typeof trust === 'boolean' ? () => trust : typeof trust === 'number' ? (_addr: string, i: number) => i < trust : proxyaddr.compile(trust);
  return (req) => {
    try {
      return proxyaddr(req, trusted) || 'unknown';
    } catch {
      return req.socket.remoteAddress ?? 'unknown';
    }
  };
}
