/**
 * Inputs for the every-route fuzz (every-route.test.ts), derived from the API's own description
 * (server/http/openapi.ts): each route's body, query and path parameters are generated from the
 * zod schemas the route validates with, turned into JSON Schema, so a generated request has the
 * right field names with values that are sometimes valid, sometimes at the schema's edges and
 * sometimes junk. A route added to the description is fuzzed without touching this file.
 */
import fc from 'fast-check';
import { z } from 'zod';
import type { RouteDoc } from '../../server/http/openapi-build.ts';
import { number, text, value } from './arbitraries.ts';

type JsonSchema = {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
};

const MAX_DEPTH = 4;

/** JSON Schema of a zod schema as a route receives it, or null where zod cannot express it. */
export function jsonSchemaOf(schema: z.ZodType | undefined): JsonSchema | null {
  if (!schema) return null;
  try {
    return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  } catch {
    return null;
  }
}

/** A value for `s`: mostly one the schema accepts or nearly accepts, sometimes anything at all. */
export function fromSchema(s: JsonSchema | null, depth = 0): fc.Arbitrary<unknown> {
  if (!s || depth > MAX_DEPTH) return value();
  const plausible = plausibleFor(s, depth);
  return fc.oneof({ weight: 6, arbitrary: plausible }, { weight: 1, arbitrary: value() });
}

function plausibleFor(s: JsonSchema, depth: number): fc.Arbitrary<unknown> {
  if (s.const !== undefined) return fc.constant(s.const);
  if (s.enum) return fc.constantFrom(...s.enum, 'constructor');
  const alternatives = s.anyOf ?? s.oneOf;
  if (alternatives?.length) return fc.oneof(...alternatives.map((a) => fromSchema(a, depth + 1)));
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  switch (type) {
    case 'string':
      return stringFor(s);
    case 'integer':
    case 'number':
      return numberFor(s, type === 'integer');
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      return fc.array(fromSchema(s.items ?? null, depth + 1), { maxLength: 6 });
    case 'object':
      return objectFor(s, depth);
    default:
      return value();
  }
}

function stringFor(s: JsonSchema): fc.Arbitrary<string> {
  const options: fc.Arbitrary<string>[] = [text()];
  if (s.pattern) {
    try {
      options.push(fc.stringMatching(new RegExp(s.pattern)).filter((v) => v.length <= 200));
    } catch {
      // a pattern fast-check cannot generate from: plain text only
    }
  }
  if (s.format === 'email') options.push(fc.emailAddress());
  if (s.maxLength !== undefined) options.push(fc.constant('y'.repeat(s.maxLength)), fc.constant('y'.repeat(s.maxLength + 1)));
  if (s.minLength !== undefined && s.minLength > 0) options.push(fc.constant('z'.repeat(s.minLength - 1)));
  options.push(fc.constantFrom('valid-looking-id-1', 'abc', '12345'));
  return fc.oneof(...options);
}

function numberFor(s: JsonSchema, integer: boolean): fc.Arbitrary<number> {
  const lo = s.minimum ?? (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + (integer ? 1 : 0.001) : undefined);
  const hi = s.maximum;
  const edges = [lo, hi, lo !== undefined ? lo - 1 : undefined, hi !== undefined ? hi + 1 : undefined].filter((n): n is number => n !== undefined && Number.isFinite(n));
  const inRange = integer
    ? fc.integer({ min: Math.max(lo ?? 0, Number.MIN_SAFE_INTEGER), max: Math.min(hi ?? 1_000_000, Number.MAX_SAFE_INTEGER) })
    : fc.double({ min: lo ?? 0, max: hi ?? 1_000_000, noNaN: true });
  return fc.oneof({ weight: 4, arbitrary: inRange }, { weight: 2, arbitrary: edges.length ? fc.constantFrom(...edges) : number() }, { weight: 1, arbitrary: number() });
}

function objectFor(s: JsonSchema, depth: number): fc.Arbitrary<Record<string, unknown>> {
  const props = Object.entries(s.properties ?? {});
  if (props.length === 0) return fc.dictionary(text(), value(), { maxKeys: 3 });
  const record = fc.record(Object.fromEntries(props.map(([k, p]) => [k, fromSchema(p, depth + 1)])), { requiredKeys: [] });
  // Now and then a stray key (a strict schema must refuse it) or an inherited property name.
  const extra = fc.oneof({ weight: 5, arbitrary: fc.constant({}) }, { weight: 1, arbitrary: fc.dictionary(fc.constantFrom('__proto__', 'constructor', 'extra', 'toString'), value(), { maxKeys: 2 }) });
  return fc.tuple(record, extra).map(([known, junk]) => ({ ...junk, ...known }));
}

/** Any generated value as text (objects without a prototype or with a poisoned toString included). */
function asText(v: unknown): string {
  if (typeof v === 'string') return v;
  try {
    return JSON.stringify(v) ?? 'undefined';
  } catch {
    return 'unprintable';
  }
}

/** A path segment for a parameter: from its schema, the ids the test knows, or hostile text. */
export function segmentFor(schema: z.ZodType | undefined, known: readonly string[]): fc.Arbitrary<string> {
  const fromIt = fromSchema(jsonSchemaOf(schema)).map(asText);
  const hostile = fc.constantFrom('%ZZ', '%ED%A0%80', '..%2F..', 'a%00b', '%25', '__proto__', 'x'.repeat(300));
  const options: fc.Arbitrary<string>[] = [fromIt.map((v) => encodeURIComponent(v.replace(/[\uD800-\uDFFF]/g, 'x'))), hostile];
  if (known.length) options.push(fc.constantFrom(...known));
  return fc.oneof(...options);
}

/** The route's query string: its own keys with generated values, or junk keys. */
export function queryFor(route: RouteDoc): fc.Arbitrary<string> {
  const schema = jsonSchemaOf(route.query);
  const own = schema ? objectFor(schema, 1) : fc.constant({});
  return fc
    .oneof({ weight: 2, arbitrary: fc.constant({}) }, { weight: 4, arbitrary: own }, { weight: 1, arbitrary: fc.dictionary(text(), text(), { maxKeys: 3 }) })
    .map((q) => {
      const entries = Object.entries(q as Record<string, unknown>).map(([k, v]): [string, string] => [k.replace(/[\uD800-\uDFFF]/g, 'x'), asText(v).replace(/[\uD800-\uDFFF]/g, 'x')]);
      return entries.length ? `?${new URLSearchParams(entries)}` : '';
    });
}

/** The route's JSON body text: generated from its schema, or malformed, oversized or of the wrong kind. */
export function bodyFor(route: RouteDoc): fc.Arbitrary<string> {
  const schema = jsonSchemaOf(route.body);
  return fc.oneof(
    { weight: 8, arbitrary: fromSchema(schema).map((v) => JSON.stringify(v) ?? 'null') },
    { weight: 1, arbitrary: fc.constantFrom('{', '{"a":', '[[[[[[[[[[', '{"reason":"\\ud800"}', '\u0000', '', 'null', '[]') },
    { weight: 1, arbitrary: fc.integer({ min: 16_000, max: 40_000 }).map((n) => JSON.stringify({ pad: 'p'.repeat(n) })) },
  );
}
