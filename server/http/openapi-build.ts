/**
 * Builds the OpenAPI 3.1 document from route descriptions (server/http/openapi.ts) and the zod
 * schemas the routes validate with: request bodies, queries and path parameters are converted by
 * zod's own `z.toJSONSchema` (JSON Schema 2020-12, the dialect of OpenAPI 3.1) as the routes
 * receive them (`io: 'input'`), responses as they are sent (`io: 'output'`). The conventions every
 * route shares (the typed error body, the auth schemes and their refusals, the edge's body and
 * text checks, draining) are added here, so a description lists only what is its own.
 */
import { z } from 'zod';

/** Who may call a route. */
export type Auth =
  | 'none'
  /** `Authorization: Bearer <token>` of any active account (`auth_token` cookie for GET). */
  | 'player'
  /** A token of an `operator` or `admin` account (`auth_token` cookie for GET). */
  | 'operator'
  /** A token of an `admin` account (`auth_token` cookie for GET). */
  | 'admin'
  /** `METRICS_TOKEN` as a bearer token, or an operator's token. */
  | 'metrics'
  /** The payment provider's `Psp-Signature` over the raw body. */
  | 'webhook';

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface Reply {
  status: number;
  description: string;
  /** The body's zod schema, where one exists (JSON bodies). */
  schema?: z.ZodType;
  /** Component name for `schema` (default: from the operation). */
  name?: string;
  /** What the body is when it is not JSON. */
  media?: 'text/html' | 'text/plain' | 'text/css' | 'application/javascript' | '*/*';
}

export interface RouteDoc {
  method: Method;
  /** OpenAPI form, parameters in braces: `/admin/players/{userId}`. */
  path: string;
  summary: string;
  description?: string;
  tag: string;
  auth: Auth;
  /** The JSON body's schema, as the route parses it. */
  body?: z.ZodType;
  /** Component name for `body` (a schema shared by several routes gets one name). */
  bodyName?: string;
  /** The code of a body that fails `body` (default `http/invalid_body`). */
  bodyError?: string;
  /** May the body be left out? (default: required when `body` is given) */
  bodyOptional?: boolean;
  query?: z.ZodObject;
  /** The code of a query that fails `query` (default `http/invalid_query`; null: the framework's own untyped answer). */
  queryError?: string | null;
  params?: Record<string, z.ZodType>;
  headers?: Record<string, { schema: z.ZodType; description: string; required?: boolean }>;
  /** The main success response. */
  ok: Reply;
  /** Other non-error responses (a 200 replay beside a 201, a 503 readiness failure…). */
  also?: Reply[];
  /** The route's own typed errors, by status. The shared ones are added by the builder. */
  errors?: Record<number, string[]>;
  /**
   * Who answers: `express` (default; every express-side check applies), `edge` (answered by the
   * HTTP edge before express, like matchmaking), `framework` (Colyseus' own, untyped answers).
   */
  stack?: 'express' | 'edge' | 'framework';
  /** Still answered while the process drains (health checks). */
  duringDrain?: boolean;
}

type Json = Record<string, unknown>;

const errorBody = z.looseObject({
  error: z.object({
    code: z.string().meta({ description: 'namespaced code from docs/ERRORS.md, e.g. `http/invalid_body`' }),
    message: z.string(),
    details: z.record(z.string(), z.unknown()).optional(),
  }),
}).meta({ description: 'Every refusal: `{ error: { code, message, details? } }` (docs/ERRORS.md).' });

const SECURITY_SCHEMES: Json = {
  playerToken: { type: 'http', scheme: 'bearer', description: 'A token from `POST /auth/register` or `POST /auth/login`, of any active account.' },
  operatorToken: { type: 'http', scheme: 'bearer', description: 'A token of an `operator` or `admin` account (other roles: `403 auth/forbidden`).' },
  adminToken: { type: 'http', scheme: 'bearer', description: 'A token of an `admin` account.' },
  authCookie: { type: 'apiKey', in: 'cookie', name: 'auth_token', description: 'The same token as a cookie; accepted for GET and HEAD only (a state change must carry the header).' },
  metricsToken: { type: 'http', scheme: 'bearer', description: 'The scraper token `METRICS_TOKEN` (docs/OPERATIONS.md).' },
  pspSignature: { type: 'apiKey', in: 'header', name: 'Psp-Signature', description: '`t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">` with `PSP_WEBHOOK_SECRET` (docs/PAYMENTS.md#webhook-security).' },
};

function security(auth: Auth, method: Method): Json[] {
  const cookie = method === 'get' ? [{ authCookie: [] }] : [];
  switch (auth) {
    case 'none': return [];
    case 'player': return [{ playerToken: [] }, ...cookie];
    case 'operator': return [{ operatorToken: [] }, ...cookie];
    case 'admin': return [{ adminToken: [] }, ...cookie];
    case 'metrics': return [{ metricsToken: [] }, { operatorToken: [] }, ...cookie];
    case 'webhook': return [{ pspSignature: [] }];
  }
}

/** The typed errors every route of its kind can answer, beside its own. */
function sharedErrors(r: RouteDoc): Record<number, string[]> {
  const out: Record<number, string[]> = {};
  const add = (status: number, ...codes: string[]) => void (out[status] = [...(out[status] ?? []), ...codes]);
  const stack = r.stack ?? 'express';
  if (stack === 'framework') return out;
  if (r.auth !== 'none' && r.auth !== 'webhook') {
    add(401, 'auth/missing_token', 'auth/invalid_token', 'auth/token_expired', 'auth/token_revoked');
    add(403, 'auth/account_locked');
    if (r.auth !== 'player') add(403, 'auth/forbidden');
  }
  const hasBody = r.method !== 'get';
  add(431, 'http/headers_too_large');
  if (stack === 'express') {
    if (hasBody) add(400, 'http/invalid_json', 'http/bad_request');
    add(400, 'http/invalid_text');
    if (hasBody) add(415, 'http/unsupported_encoding');
  }
  if (r.body) add(400, r.bodyError ?? 'http/invalid_body');
  if (r.query && r.queryError !== null) add(400, r.queryError ?? 'http/invalid_query');
  if (r.params) add(400, 'http/invalid_path');
  if (hasBody) add(413, 'http/body_too_large');
  if (!r.duringDrain) add(503, 'server/draining');
  add(500, 'server/internal');
  return out;
}

export function operationId(r: Pick<RouteDoc, 'method' | 'path'>): string {
  const words = r.path.split(/[^A-Za-z0-9]+/).filter(Boolean).map((w, i, all) => {
    const param = r.path.includes(`{${w}}`) && all.indexOf(w) === i;
    const word = w[0]!.toUpperCase() + w.slice(1);
    return param ? `By${word}` : word;
  });
  return r.method + (words.join('') || 'Root') + (r.path.endsWith('/') && r.path !== '/' ? 'Index' : '');
}

function strip(schema: Json): Json {
  const { $schema: _s, $id: _i, ...rest } = schema;
  return rest;
}

function inline(schema: z.ZodType, io: 'input' | 'output'): Json {
  return strip(z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Json);
}

/** Named schemas of one direction, converted together so that they refer to each other. */
class Components {
  private readonly registry = z.registry<{ id: string }>();
  private readonly names = new Map<z.ZodType, string>();
  constructor(private readonly io: 'input' | 'output', private readonly taken: Set<string>) {}

  ref(schema: z.ZodType, name: string): Json {
    let id = this.names.get(schema);
    if (!id) {
      if (this.taken.has(name)) throw new Error(`OpenAPI: two schemas are named ${name}; give one another name`);
      id = name;
      this.taken.add(id);
      this.names.set(schema, id);
      this.registry.add(schema, { id });
    }
    return { $ref: `#/components/schemas/${id}` };
  }

  schemas(): Record<string, Json> {
    const { schemas } = z.toJSONSchema(this.registry, { io: this.io, unrepresentable: 'any', uri: (id) => `#/components/schemas/${id}` });
    return Object.fromEntries(Object.entries(schemas).map(([k, v]) => [k, strip(v as Json)]));
  }
}

function parameters(r: RouteDoc): Json[] {
  const out: Json[] = [];
  for (const [name, schema] of Object.entries(r.params ?? {})) out.push({ name, in: 'path', required: true, schema: inline(schema, 'input') });
  for (const name of r.path.match(/\{(\w+)\}/g)?.map((m) => m.slice(1, -1)) ?? []) {
    if (!r.params?.[name]) out.push({ name, in: 'path', required: true, schema: { type: 'string' } });
  }
  if (r.query) {
    const json = inline(r.query, 'input') as { properties?: Record<string, Json>; required?: string[] };
    for (const [name, schema] of Object.entries(json.properties ?? {})) out.push({ name, in: 'query', required: json.required?.includes(name) ?? false, schema });
  }
  for (const [name, h] of Object.entries(r.headers ?? {})) out.push({ name, in: 'header', required: h.required ?? false, description: h.description, schema: inline(h.schema, 'input') });
  return out;
}

export interface DocumentInfo {
  title: string;
  version: string;
  description: string;
  tags: Array<{ name: string; description: string }>;
}

/** The OpenAPI 3.1 document of `routes`. Throws on a duplicate operation or component name. */
export function buildOpenApi(info: DocumentInfo, routes: readonly RouteDoc[]): Json {
  const taken = new Set<string>(['ErrorBody']);
  const requests = new Components('input', taken);
  const responses = new Components('output', taken);
  const paths: Record<string, Record<string, Json>> = {};
  const ids = new Set<string>();

  const reply = (r: RouteDoc, rep: Reply, suffix: string): Json => {
    if (rep.media) return { description: rep.description, content: { [rep.media]: { schema: { type: 'string' } } } };
    if (!rep.schema) return { description: rep.description, content: { 'application/json': { schema: {} } } };
    const schema = responses.ref(rep.schema, rep.name ?? `${cap(operationId(r))}${suffix}`);
    return { description: rep.description, content: { 'application/json': { schema } } };
  };

  for (const r of routes) {
    const id = operationId(r);
    if (ids.has(id)) throw new Error(`OpenAPI: ${r.method.toUpperCase()} ${r.path} is described twice`);
    ids.add(id);
    const responsesOf: Record<string, Json> = { [String(r.ok.status)]: reply(r, r.ok, 'Response') };
    for (const extra of r.also ?? []) responsesOf[String(extra.status)] = reply(r, extra, `Response${extra.status}`);
    const errors = sharedErrors(r);
    for (const [status, codes] of Object.entries(r.errors ?? {})) errors[Number(status)] = [...(errors[Number(status)] ?? []), ...codes];
    for (const [status, codes] of Object.entries(errors).sort(([a], [b]) => Number(a) - Number(b))) {
      const unique = [...new Set(codes)];
      if (responsesOf[status]) throw new Error(`OpenAPI: ${r.method.toUpperCase()} ${r.path} answers ${status} both as a success and as an error`);
      responsesOf[status] = {
        description: unique.map((c) => `\`${c}\``).join(', '),
        'x-error-codes': unique,
        content: { 'application/json': { schema: { allOf: [{ $ref: '#/components/schemas/ErrorBody' }], properties: { error: { properties: { code: { enum: unique } } } } } } },
      };
    }
    const op: Json = {
      operationId: id,
      summary: r.summary,
      ...(r.description ? { description: r.description } : {}),
      tags: [r.tag],
      'x-auth': r.auth,
      security: security(r.auth, r.method),
      parameters: parameters(r),
      ...(r.body ? { requestBody: { required: !r.bodyOptional, content: { 'application/json': { schema: requests.ref(r.body, r.bodyName ?? `${cap(id)}Body`) } } } } : {}),
      responses: responsesOf,
    };
    (paths[r.path] ??= {})[r.method] = op;
  }

  return {
    openapi: '3.1.0',
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    info: { title: info.title, version: info.version, description: info.description },
    tags: info.tags,
    paths,
    components: {
      schemas: { ErrorBody: inline(errorBody, 'output'), ...requests.schemas(), ...responses.schemas() },
      securitySchemes: SECURITY_SCHEMES,
    },
  };
}

function cap(s: string): string {
  return s[0]!.toUpperCase() + s.slice(1);
}
