/**
 * Well-formed text at the edge. A JavaScript string may hold a lone UTF-16 surrogate (JSON's
 * `"\ud800"`), which has no UTF-8 encoding: stores replace it with U+FFFD, so what is stored
 * differs from what was checked and hashed (the audit chain broke that way). Every string input,
 * HTTP bodies, queries, path parameters and room messages alike, is refused when ill-formed.
 */

/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function isWellFormedText(s: string): boolean {
  return !LONE_SURROGATE.test(s);
}

/** The string with each lone surrogate replaced by U+FFFD, as a UTF-8 store would keep it. */
export function toWellFormedText(s: string): string {
  return isWellFormedText(s) ? s : s.replace(new RegExp(LONE_SURROGATE.source, 'g'), '\uFFFD');
}

/** How deep and how wide the search goes; inputs are bounded by the body and frame limits anyway. */
const MAX_DEPTH = 32;

/**
 * The path (`a.b.0`; `''` for the value itself) of the first ill-formed string in a parsed JSON
 * value, keys included, or null when every string is well formed. Too deep a value counts as
 * ill-formed (it is no valid input anywhere).
 */
export function findIllFormedText(value: unknown, path = '', depth = 0): string | null {
  if (typeof value === 'string') return isWellFormedText(value) ? null : path;
  if (value === null || typeof value !== 'object') return null;
  if (depth >= MAX_DEPTH) return path;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const bad = findIllFormedText(value[i], path ? `${path}.${i}` : String(i), depth + 1);
      if (bad !== null) return bad;
    }
    return null;
  }
  for (const [k, v] of Object.entries(value)) {
    const here = path ? `${path}.${k}` : k;
    if (!isWellFormedText(k)) return path || '(a key)';
    const bad = findIllFormedText(v, here, depth + 1);
    if (bad !== null) return bad;
  }
  return null;
}
