/**
 * Typed errors that cross the process edge (HTTP replies, room replies). Every code is listed in
 * docs/ERRORS.md. Expected failures are AppErrors; anything else is a programmer error and is
 * logged loudly and answered with `server/internal`.
 */

export class AppError extends Error {
  constructor(
    readonly code: string,
    message: string,
    /** HTTP status when the error reaches an HTTP client. */
    readonly status: number = 400,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export interface ErrorBody {
  error: { code: string; message: string; details?: Record<string, unknown> };
}

export function errorBody(code: string, message: string, details?: Record<string, unknown>): ErrorBody {
  return { error: { code, message, ...(details ? { details } : {}) } };
}

/** Turns a zod issue list into a short human message naming the offending fields. */
export function describeIssues(issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>): string {
  return issues
    .slice(0, 5)
    .map((i) => (i.path.length ? `${i.path.map(String).join('.')}: ${i.message}` : i.message))
    .join('; ');
}
