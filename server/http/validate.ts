import type { z } from 'zod';
import { AppError, describeIssues } from '../errors.ts';

/** Parses an HTTP body or query against a schema; a mismatch is a 400 with the fields named. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, code = 'http/invalid_body'): z.infer<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw new AppError(code, describeIssues(result.error.issues), 400);
  return result.data;
}
