import { BadRequestException } from '@nestjs/common';
import type { z } from 'zod';

/** Parses a request part with a contracts schema; a 400 names every bad field. */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, what = 'body'): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const details = result.error.issues.map((issue) => ({
    path: [what, ...issue.path.map(String)].join('.'),
    message:
      issue.code === 'unrecognized_keys' ? `unknown field(s): ${issue.keys.join(', ')}` : issue.message,
  }));
  throw new BadRequestException({
    message: `invalid ${what}: ${details.map((d) => `${d.path}: ${d.message}`).slice(0, 5).join('; ')}`,
    details,
  });
}
