/**
 * Every route a running server answers, read from what is registered rather than from a list
 * kept by hand: the express app's router stack (mounted routers with their prefixes, static
 * mounts, Colyseus-style endpoint middleware such as the monitor) and Colyseus' own router
 * (matchmaking, `/__healthcheck`). The OpenAPI test compares this with the document
 * (server/http/openapi.ts), so a route added anywhere without a description fails it.
 */
import type { Router } from 'express';

export interface RegisteredRoute {
  method: string;
  /** OpenAPI form: `/admin/players/{userId}`. */
  path: string;
}

interface Layer {
  name?: string;
  rawPath?: unknown;
  route?: { path: unknown; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] } & Record<string, unknown>;
}

/** A better-call endpoint as Colyseus builds them (`createEndpoint(path, { method })`). */
interface Endpoint {
  path: string;
  options: { method?: string | string[]; query?: unknown };
}

function isEndpoint(v: unknown): v is Endpoint {
  const e = v as Endpoint | null;
  return typeof v === 'function' || typeof v === 'object' ? typeof e?.path === 'string' && typeof e?.options === 'object' && e.options !== null : false;
}

/** Express (`:id`, `*splat`) and rou3 (`**:splat`) parameters as OpenAPI `{id}`. */
export function toOpenApiPath(path: string): string {
  return path.replace(/\*\*:(\w+)|[:*](\w+)/g, (_m, a: string | undefined, b: string | undefined) => `{${a ?? b}}`);
}

function join(prefix: string, path: string): string {
  if (prefix === '' || prefix === '/') return path;
  return path === '/' ? prefix : prefix + path;
}

function methodsOf(e: Endpoint): string[] {
  const m = e.options.method ?? 'GET';
  return (Array.isArray(m) ? m : [m]).map((x) => x.toUpperCase());
}

/**
 * Endpoints a Colyseus "dual mode" middleware carries as properties (the monitor's, mounted at
 * `/colyseus`): their paths start with the middleware's own prefix (`/monitor`), which the mount
 * path replaces.
 */
function endpointsOfMiddleware(handle: Record<string, unknown>, mount: string): RegisteredRoute[] {
  const endpoints = Object.values(handle).filter(isEndpoint);
  if (endpoints.length === 0) return [];
  const first = endpoints[0]!.path.split('/')[1] ?? '';
  const own = endpoints.every((e) => e.path.startsWith(`/${first}/`)) ? `/${first}` : '';
  return endpoints.flatMap((e) => methodsOf(e).map((method) => ({ method, path: toOpenApiPath(mount + e.path.slice(own.length)) })));
}

/** Routes of an express app or router, nested routers included, with their mount prefixes. */
export function expressRoutes(router: Router | { router: Router }, opts: { style?: 'openapi' | 'express' } = {}): RegisteredRoute[] {
  const style = opts.style ?? 'openapi';
  const out: RegisteredRoute[] = [];
  const fmt = (p: string) => (style === 'openapi' ? toOpenApiPath(p) : p);
  const walk = (stack: Layer[], prefix: string) => {
    for (const layer of stack) {
      const at = typeof layer.rawPath === 'string' ? layer.rawPath : '/';
      if (layer.route) {
        const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
        for (const p of paths as string[]) for (const method of Object.keys(layer.route.methods)) out.push({ method: method.toUpperCase(), path: fmt(join(prefix, p)) });
      } else if (layer.handle?.stack) {
        walk(layer.handle.stack, join(prefix, at === '/' ? '' : at));
      } else if (layer.name === 'serveStatic') {
        out.push({ method: 'GET', path: fmt(join(prefix, `${at}/*file`)) });
      } else if (layer.handle) {
        out.push(...endpointsOfMiddleware(layer.handle, join(prefix, at === '/' ? '' : at)));
      }
    }
  };
  const root = 'stack' in router ? router : (router as { router: Router }).router;
  walk((root as unknown as { stack: Layer[] }).stack, '');
  return out;
}

/** What Colyseus' own router answers (it sees requests before express does). */
export interface ColyseusRouter {
  endpoints: Record<string, unknown>;
  findRoute(method: string, path: string): unknown;
}

/**
 * Colyseus' routes: its router's endpoints (matchmaking), and the ones it adds straight to the
 * router when it binds to the transport, which are not listed in `endpoints` (`/__healthcheck`,
 * and `/` when express has no root route): those are found by asking the router.
 */
export function colyseusRoutes(router: ColyseusRouter): RegisteredRoute[] {
  const listed = Object.values(router.endpoints).filter(isEndpoint).flatMap((e) => methodsOf(e).map((method) => ({ method, path: toOpenApiPath(e.path) })));
  const bound = [{ method: 'GET', path: '/__healthcheck' }, { method: 'GET', path: '/' }].filter((r) => router.findRoute(r.method, r.path) !== undefined);
  return [...listed, ...bound];
}
