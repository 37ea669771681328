import { z } from 'zod';
import { POLICY } from '@frontline/contracts';
import { RATE_LIMITS } from '../common/rate-limit';
import type { ApiRoute } from './route-table';

/** The parts of OpenAPI 3.0 this document writes (plain JSON). */
type Json = Record<string, unknown>;
export interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string; description: string };
  servers: { url: string }[];
  tags: { name: string }[];
  paths: Record<string, Record<string, Json>>;
  components: Json;
  security: Record<string, string[]>[];
}

const ERROR_SCHEMA = {
  type: 'object',
  description: 'Every error of the api (docs/decisions/0031-http-edge.md).',
  required: ['statusCode', 'error', 'message'],
  properties: {
    statusCode: { type: 'integer', example: 400 },
    error: { type: 'string', example: 'Bad Request' },
    message: { type: 'string', example: 'invalid query: query.days: Too big: expected number to be <=60' },
    details: {
      type: 'array',
      description: 'One entry per refused field (400 only).',
      items: {
        type: 'object',
        required: ['path', 'message'],
        properties: { path: { type: 'string', example: 'query.days' }, message: { type: 'string' } },
      },
    },
  },
};

const errorResponse = (description: string, headers?: Json): Json => ({
  description,
  ...(headers ? { headers } : {}),
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
});

const COMPONENTS = {
  securitySchemes: {
    bearer: {
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'JWT',
      description: 'The `accessToken` of `POST /api/v1/auth/login`.',
    },
  },
  schemas: { Error: ERROR_SCHEMA },
  responses: {
    BadRequest: errorResponse('A field is missing or wrong: `details` names each one (`body.place.lat`, `query.days`).'),
    Unauthorized: errorResponse('No access token, or an expired one.'),
    Forbidden: errorResponse("The caller's role may not do this (the policy table). A record outside the caller's jurisdiction answers 404, as an unknown one would."),
    NotFound: errorResponse('No such record (or not visible to the caller).'),
    TooManyRequests: errorResponse('This client spent its allowance of this route family.', {
      'Retry-After': { description: 'Seconds until a request may be accepted again.', schema: { type: 'integer', minimum: 1 } },
    }),
  },
};

/** A zod schema as OpenAPI 3.0 JSON Schema, describing what a client sends (before defaults and coercion). */
function jsonSchemaOf(schema: z.ZodType): Json {
  const converted = z.toJSONSchema(schema, { target: 'openapi-3.0', io: 'input', unrepresentable: 'any' }) as Json;
  delete converted.$schema;
  return converted;
}

/** The fields of a query or params schema as OpenAPI parameters. */
function parametersOf(schema: z.ZodType, where: 'query' | 'path'): Json[] {
  const converted = jsonSchemaOf(schema);
  const properties = (converted.properties ?? {}) as Record<string, Json>;
  const required = new Set((converted.required ?? []) as string[]);
  return Object.entries(properties).map(([name, field]) => {
    const { description, ...fieldSchema } = field;
    return {
      name,
      in: where,
      required: where === 'path' || required.has(name),
      ...(typeof description === 'string' ? { description } : {}),
      schema: fieldSchema,
    };
  });
}

/** Who may call the route, in the words of the policy table. */
function accessOf(route: ApiRoute): string {
  if (route.isPublic) return 'Công khai: không cần đăng nhập.';
  if (!route.action) return 'Không vai trò nào được gọi (route chưa khai báo @Policy).';
  const roles = Object.entries(POLICY[route.action].reach).map(([role, how]) => `\`${role}\` (${how})`);
  return `Quyền \`${route.action}\`, cho vai trò: ${roles.join(', ')}.`;
}

function rateLimitNote(route: ApiRoute): string | null {
  if (!route.rateLimit) return null;
  const { burst, everySeconds } = RATE_LIMITS[route.rateLimit];
  return `Giới hạn \`${route.rateLimit}\`: ${burst} yêu cầu một lúc, sau đó 1 yêu cầu mỗi ${everySeconds} giây cho mỗi máy khách (429 kèm Retry-After).`;
}

function operationOf(route: ApiRoute): Json {
  const { body, query, params, optionalBody } = route.schemas;
  const declaredPath = new Set<string>();
  const parameters: Json[] = [];
  if (params) {
    for (const parameter of parametersOf(params, 'path')) {
      declaredPath.add(parameter.name as string);
      parameters.push(parameter);
    }
  }
  // A path segment read without a schema (`@Param('file')`) is still a parameter.
  for (const [, name] of route.path.matchAll(/\{([^}]+)\}/g)) {
    if (!declaredPath.has(name)) parameters.push({ name, in: 'path', required: true, schema: { type: 'string' } });
  }
  if (query) parameters.push(...parametersOf(query, 'query'));

  const responses: Json = { [String(route.status)]: { description: 'Thành công.' } };
  if (body || query || params) responses['400'] = { $ref: '#/components/responses/BadRequest' };
  if (!route.isPublic) {
    responses['401'] = { $ref: '#/components/responses/Unauthorized' };
    responses['403'] = { $ref: '#/components/responses/Forbidden' };
  }
  if (route.path.includes('{')) responses['404'] = { $ref: '#/components/responses/NotFound' };
  if (route.rateLimit) responses['429'] = { $ref: '#/components/responses/TooManyRequests' };

  return {
    operationId: `${route.controller}.${route.handler}`,
    summary: route.isPublic ? 'Công khai (không cần đăng nhập)' : route.action ? POLICY[route.action].does : route.handler,
    description: [accessOf(route), rateLimitNote(route)].filter(Boolean).join('\n\n'),
    tags: [route.controller],
    ...(route.isPublic ? { security: [] } : {}),
    ...(parameters.length ? { parameters } : {}),
    ...(body
      ? { requestBody: { required: !optionalBody, content: { 'application/json': { schema: jsonSchemaOf(body) } } } }
      : {}),
    responses,
    'x-frontline-policy': route.isPublic ? 'public' : (route.action ?? null),
    ...(route.rateLimit ? { 'x-frontline-rate-limit': route.rateLimit } : {}),
  };
}

/**
 * The api's OpenAPI 3.0 document, written from its routes: paths and methods from Nest's
 * metadata, parameters and bodies from the zod schemas of `@ValidBody/@ValidQuery/@ValidParams`,
 * who may call each from the policy table.
 */
export function buildOpenApiDocument(routes: ApiRoute[], version: string): OpenApiDocument {
  const paths: OpenApiDocument['paths'] = {};
  for (const route of routes) (paths[route.path] ??= {})[route.method] = operationOf(route);
  return {
    openapi: '3.0.3',
    info: {
      title: 'Frontline API',
      version,
      description:
        'REST của Frontline (Trung tâm Chỉ huy phòng, chống dịch Covid-19). Đăng nhập bằng `POST /api/v1/auth/login`, ' +
        'gửi `Authorization: Bearer <accessToken>`. Mã đơn vị là mã hành chính (`unit=22` là tỉnh Quảng Ninh). ' +
        'Mọi lỗi có dạng `{statusCode, error, message, details?}`.',
    },
    servers: [{ url: '/' }],
    tags: [...new Set(routes.map((r) => r.controller))].sort().map((name) => ({ name })),
    paths,
    components: COMPONENTS,
    security: [{ bearer: [] }],
  };
}
