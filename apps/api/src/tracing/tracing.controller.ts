import { Controller, Get } from '@nestjs/common';
import type { z } from 'zod';
import { chainQuerySchema, ChainResponse, Cluster, clusterQuerySchema, idParamsSchema } from '@frontline/contracts';
import { CurrentUser } from '../auth/auth.guard';
import { Policy } from '../auth/roles.guard';
import type { Principal } from '../auth/token.service';
import { ValidParams, ValidQuery } from '../common/validation';
import { TracingService } from './tracing.service';

@Controller('api/v1')
@Policy('cases.read')
export class TracingController {
  constructor(private readonly tracing: TracingService) {}

  /** `?depth=1..10&direction=up|down|both`: nodes (no personal fields) and edges around a case. */
  @Get('cases/:id/chain')
  chain(
    @ValidParams(idParamsSchema) { id }: z.infer<typeof idParamsSchema>,
    @ValidQuery(chainQuerySchema) { depth, direction }: z.infer<typeof chainQuerySchema>,
    @CurrentUser() caller: Principal,
  ): Promise<ChainResponse> {
    return this.tracing.chain(id, depth, direction, caller);
  }

  @Get('clusters')
  clusters(@ValidQuery(clusterQuerySchema) { unit, minSize }: z.infer<typeof clusterQuerySchema>, @CurrentUser() caller: Principal): Promise<Cluster[]> {
    return this.tracing.clusters(unit, minSize, caller);
  }
}
