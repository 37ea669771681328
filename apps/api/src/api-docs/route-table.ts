import { HttpStatus, Injectable, RequestMethod, Type } from '@nestjs/common';
import { HTTP_CODE_METADATA, METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import type { Action } from '@frontline/contracts';
import { isPublic, RouteTarget } from '../auth/auth.guard';
import { actionOf } from '../auth/roles.guard';
import { RateLimitName, rateLimitOf } from '../common/rate-limit';
import { RequestSchemas, requestSchemasOf } from '../common/validation';

/** One route of the api as its decorators declare it: what the OpenAPI document is written from. */
export interface ApiRoute {
  /** Lower-case, as OpenAPI keys its operations. */
  method: string;
  /** OpenAPI form: `/api/v1/cases/{id}`. */
  path: string;
  /** `CasesController` without its suffix: the document's tag. */
  controller: string;
  handler: string;
  /** The success status (`@HttpCode`, else Nest's 201 for POST and 200 otherwise). */
  status: number;
  schemas: RequestSchemas;
  isPublic: boolean;
  action?: Action;
  rateLimit?: RateLimitName;
}

/** `api/v1/cases` + `:id/status` → `/api/v1/cases/{id}/status`. */
export function openApiPath(...parts: string[]): string {
  const joined = parts.filter(Boolean).join('/').replace(/\/+/g, '/').replace(/^\/|\/$/g, '');
  return `/${joined}`.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

const asList = (value: string | string[] | undefined): string[] => (Array.isArray(value) ? value : [value ?? '']);

/** Every route of the running application, read from Nest's own metadata (the router is built from the same). */
@Injectable()
export class RouteTable {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {}

  routes(): ApiRoute[] {
    const routes: ApiRoute[] = [];
    for (const wrapper of this.discovery.getControllers()) {
      const controller = wrapper.metatype as Type<unknown> | null;
      if (!controller) continue;
      const prefixes = asList(Reflect.getMetadata(PATH_METADATA, controller) as string | string[] | undefined);
      for (const handler of this.scanner.getAllMethodNames(controller.prototype)) {
        const fn = (controller.prototype as Record<string, (...args: unknown[]) => unknown>)[handler];
        const paths = Reflect.getMetadata(PATH_METADATA, fn) as string | string[] | undefined;
        const verb = Reflect.getMetadata(METHOD_METADATA, fn) as RequestMethod | undefined;
        if (paths === undefined || verb === undefined) continue;
        const target: RouteTarget = { getHandler: () => fn, getClass: <T>() => controller as Type<T> };
        const method = RequestMethod[verb].toLowerCase();
        const code = Reflect.getMetadata(HTTP_CODE_METADATA, fn) as number | undefined;
        for (const prefix of prefixes) {
          for (const path of asList(paths)) {
            routes.push({
              method,
              path: openApiPath(prefix, path),
              controller: controller.name.replace(/Controller$/, ''),
              handler,
              status: code ?? (verb === RequestMethod.POST ? HttpStatus.CREATED : HttpStatus.OK),
              schemas: requestSchemasOf(controller.prototype as object, handler),
              isPublic: isPublic(this.reflector, target),
              action: actionOf(this.reflector, target),
              rateLimit: rateLimitOf(this.reflector, target),
            });
          }
        }
      }
    }
    return routes.sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method));
  }
}
