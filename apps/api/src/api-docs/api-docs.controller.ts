import { Controller, Get, Header, OnApplicationBootstrap } from '@nestjs/common';
import { Public } from '../auth/auth.guard';
import { renderApiDocsPage } from './api-docs-page';
import { buildOpenApiDocument, OpenApiDocument } from './openapi-document';
import { RouteTable } from './route-table';

/** The version of the REST surface the document describes (`/api/v1`). */
const API_VERSION = '1';

/** The OpenAPI document of every route, for integrators: JSON, and the same as a page. */
@Public()
@Controller('api')
export class ApiDocsController implements OnApplicationBootstrap {
  private document?: OpenApiDocument;
  private page?: string;

  constructor(private readonly routes: RouteTable) {}

  /** Written once, when every module's routes are known; routes do not change while the api runs. */
  onApplicationBootstrap(): void {
    this.document = buildOpenApiDocument(this.routes.routes(), API_VERSION);
    this.page = renderApiDocsPage(this.document);
  }

  @Get('docs.json')
  @Header('Cache-Control', 'public, max-age=300')
  json(): OpenApiDocument {
    return this.document!;
  }

  @Get('docs')
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'public, max-age=300')
  html(): string {
    return this.page!;
  }
}
