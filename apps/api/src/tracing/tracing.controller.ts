import { Controller, Get, Param, Query } from '@nestjs/common';
import { z } from 'zod';
import { chainQuerySchema, ChainResponse, Cluster, unitCodeSchema } from '@frontline/contracts';
import { CurrentUser } from '../auth/auth.guard';
import type { Principal } from '../auth/token.service';
import { parseOrThrow } from '../common/validation';
import { TracingService } from './tracing.service';

const idParams = z.strictObject({ id: z.uuid() });
const clusterQuery = z.strictObject({
  unit: unitCodeSchema.optional(),
  minSize: z.coerce.number().int().min(2).max(100_000).optional(),
});

@Controller('api/v1')
export class TracingController {
  constructor(private readonly tracing: TracingService) {}

  /** `?depth=1..10&direction=up|down|both`: nodes (no personal fields) and edges around a case. */
  @Get('cases/:id/chain')
  chain(@Param() params: unknown, @Query() query: unknown, @CurrentUser() caller: Principal): Promise<ChainResponse> {
    const { id } = parseOrThrow(idParams, params, 'params');
    const { depth, direction } = parseOrThrow(chainQuerySchema, query, 'query');
    return this.tracing.chain(id.toLowerCase(), depth, direction, caller);
  }

  @Get('clusters')
  clusters(@Query() query: unknown, @CurrentUser() caller: Principal): Promise<Cluster[]> {
    const { unit, minSize } = parseOrThrow(clusterQuery, query, 'query');
    return this.tracing.clusters(unit, minSize, caller);
  }
}
