import 'reflect-metadata';
import { BadRequestException } from '@nestjs/common';
import { z } from 'zod';
import { idParamsSchema } from '@frontline/contracts';
import { jsonDepth, MAX_JSON_DEPTH, requestSchemasOf, ValidBody, ValidParams, ValidQuery, ZodValidationPipe } from './validation';

/** The response body the exception filter makes of a thrown 400. */
function refusal(run: () => unknown): { message: string; details?: { path: string; message: string }[] } {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(BadRequestException);
    return (err as BadRequestException).getResponse() as { message: string; details?: { path: string; message: string }[] };
  }
  throw new Error('expected a 400');
}

const body = z.strictObject({ name: z.string().min(1), place: z.strictObject({ lat: z.number() }).optional() });

describe('ZodValidationPipe', () => {
  it('hands the handler the parsed output (transforms and defaults applied)', () => {
    const id = '8F14E45F-CEEA-467F-A0E6-3A5C3F2E8B1D';
    expect(new ZodValidationPipe(idParamsSchema, 'params').transform({ id })).toEqual({ id: id.toLowerCase() });
    const query = z.strictObject({ days: z.coerce.number().int().default(14) });
    expect(new ZodValidationPipe(query, 'query').transform({})).toEqual({ days: 14 });
    expect(new ZodValidationPipe(query, 'query').transform({ days: '3' })).toEqual({ days: 3 });
  });

  it('names every bad field, prefixed with the request part, and unknown fields by name', () => {
    const answer = refusal(() => new ZodValidationPipe(body, 'body').transform({ name: '', place: { lat: 'n' }, extra: 1 }));
    expect(answer.details?.map((d) => d.path).sort()).toEqual(['body', 'body.name', 'body.place.lat']);
    expect(answer.details?.find((d) => d.path === 'body')?.message).toBe('unknown field(s): extra');
    expect(answer.message).toMatch(/^invalid body: /);
    const query = refusal(() => new ZodValidationPipe(idParamsSchema, 'params').transform({ id: 'nope' }));
    expect(query.details).toEqual([{ path: 'params.id', message: expect.any(String) }]);
  });

  it('reads a missing body as empty only where the route allows leaving it out', () => {
    const optional = z.strictObject({ note: z.string().optional() });
    expect(new ZodValidationPipe(optional, 'body', true).transform(undefined)).toEqual({});
    expect(refusal(() => new ZodValidationPipe(optional, 'body').transform(undefined)).details?.[0].path).toBe('body');
  });

  it(`refuses JSON nested deeper than ${MAX_JSON_DEPTH} levels before the schema walks it`, () => {
    let deep: unknown = 'leaf';
    for (let i = 0; i < 10_000; i++) deep = [deep];
    const loose = z.strictObject({ name: z.string(), extra: z.unknown() });
    const answer = refusal(() => new ZodValidationPipe(loose, 'body').transform({ name: 'a', extra: deep }));
    expect(answer.details).toEqual([{ path: 'body', message: `nested deeper than ${MAX_JSON_DEPTH} levels` }]);
    let fine: unknown = 'leaf';
    for (let i = 0; i < MAX_JSON_DEPTH - 1; i++) fine = { next: fine };
    expect(jsonDepth({ name: 'a', extra: fine })).toBe(MAX_JSON_DEPTH);
    expect(new ZodValidationPipe(loose, 'body').transform({ name: 'a', extra: fine })).toEqual({ name: 'a', extra: fine });
  });
});

describe('the request decorators', () => {
  it('record the schemas of each handler, which the OpenAPI document is built from', () => {
    const query = z.strictObject({ unit: z.string().optional() });
    class Example {
      handle(_params: unknown, _query: unknown, _body: unknown): void {}
    }
    ValidParams(idParamsSchema)(Example.prototype, 'handle', 0);
    ValidQuery(query)(Example.prototype, 'handle', 1);
    ValidBody(body, { optional: true })(Example.prototype, 'handle', 2);
    expect(requestSchemasOf(Example.prototype, 'handle')).toEqual({ params: idParamsSchema, query, body, optionalBody: true });
  });
});
