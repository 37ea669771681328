import { Body, BadRequestException, Injectable, Param, PipeTransform, Query } from '@nestjs/common';
import type { z } from 'zod';

/** The request parts a handler may receive parsed. */
export type RequestPart = 'body' | 'query' | 'params';

/**
 * Deeper JSON than this is refused before any schema walks it: no request of the api nests
 * more than a few levels, and a hostile body of a million brackets costs every recursive
 * consumer (zod, JSONB, the payload hash) a stack.
 */
export const MAX_JSON_DEPTH = 32;

/** A 400 naming one field: `{message: "body.staffB: must differ from staffA", details: [{path, message}]}`. */
export function fieldError(path: string, message: string): BadRequestException {
  return new BadRequestException({ message: `${path}: ${message}`, details: [{ path, message }] });
}

/** Parses a request part (or a value inside one, `what` naming it) with a contracts schema; a 400 names every bad field. */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, what: string = 'body'): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const details = result.error.issues.map((issue) => ({
    path: [what, ...issue.path.map(String)].join('.'),
    message: issue.code === 'unrecognized_keys' ? `unknown field(s): ${issue.keys.join(', ')}` : issue.message,
  }));
  throw new BadRequestException({
    message: `invalid ${what}: ${details.map((d) => `${d.path}: ${d.message}`).slice(0, 5).join('; ')}`,
    details,
  });
}

/** The depth of a parsed JSON value, walked without recursion; stops counting past `limit`. */
export function jsonDepth(value: unknown, limit = MAX_JSON_DEPTH): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length) {
    const [node, depth] = stack.pop()!;
    if (node === null || typeof node !== 'object') continue;
    deepest = Math.max(deepest, depth);
    if (deepest > limit) return deepest;
    for (const child of Object.values(node)) stack.push([child, depth + 1]);
  }
  return deepest;
}

/**
 * The one validation pipe: a handler parameter declared with `@ValidBody(schema)` (or
 * `@ValidQuery`, `@ValidParams`) receives the schema's parsed output, typed; anything else is a
 * 400 `{statusCode, error, message, details: [{path, message}]}` naming each field.
 */
@Injectable()
export class ZodValidationPipe<S extends z.ZodType> implements PipeTransform<unknown, z.infer<S>> {
  constructor(
    readonly schema: S,
    readonly part: RequestPart,
    /** A body the route lets the client leave out: none at all reads as `{}`. */
    readonly optionalBody = false,
  ) {}

  transform(value: unknown): z.infer<S> {
    const input = this.optionalBody && value === undefined ? {} : value;
    if (jsonDepth(input) > MAX_JSON_DEPTH) {
      throw fieldError(this.part, `nested deeper than ${MAX_JSON_DEPTH} levels`);
    }
    return parseOrThrow(this.schema, input, this.part);
  }
}

const SCHEMAS = 'frontline:request-schemas';
export interface RequestSchemas {
  body?: z.ZodType;
  query?: z.ZodType;
  params?: z.ZodType;
  /** The body may be left out (it then reads as `{}`). */
  optionalBody?: boolean;
}

/** The schemas a handler's parameters were declared with (the OpenAPI document is built from them). */
export function requestSchemasOf(controller: object, handler: string): RequestSchemas {
  return (Reflect.getMetadata(SCHEMAS, controller, handler) as RequestSchemas | undefined) ?? {};
}

function validated(part: RequestPart, schema: z.ZodType, optionalBody = false): ParameterDecorator {
  const pipe = new ZodValidationPipe(schema, part, optionalBody);
  const extract = part === 'body' ? Body(pipe) : part === 'query' ? Query(pipe) : Param(pipe);
  return (target, handler, index) => {
    extract(target, handler, index);
    if (handler === undefined) return;
    const declared: RequestSchemas = { ...requestSchemasOf(target, String(handler)), [part]: schema };
    if (optionalBody) declared.optionalBody = true;
    Reflect.defineMetadata(SCHEMAS, declared, target, handler);
  };
}

/**
 * The JSON body, parsed by `schema` (its output type is the parameter's type). With
 * `{optional: true}`, a request without a body is read as an empty one.
 */
export const ValidBody = (schema: z.ZodType, options: { optional?: boolean } = {}): ParameterDecorator =>
  validated('body', schema, options.optional);
/** The query string, parsed by `schema`. */
export const ValidQuery = (schema: z.ZodType): ParameterDecorator => validated('query', schema);
/** The path parameters, parsed by `schema`. */
export const ValidParams = (schema: z.ZodType): ParameterDecorator => validated('params', schema);
