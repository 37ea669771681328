import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { ApiDocsController } from './api-docs.controller';
import { RouteTable } from './route-table';

/** `GET /api/docs` and `/api/docs.json`: the OpenAPI document, written from the routes' own declarations. */
@Module({
  imports: [DiscoveryModule],
  controllers: [ApiDocsController],
  providers: [RouteTable],
})
export class ApiDocsModule {}
