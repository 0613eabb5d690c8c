import type { z } from 'zod';
import { AppError } from '../errors.ts';
import { ErrorCode } from '../../shared/errors.ts';

/** Parses input with a shared schema; a failure becomes a 400 naming each problem. */
export function parse<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const details = result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
  throw new AppError(ErrorCode.validation, 'The request is not valid', details);
}
