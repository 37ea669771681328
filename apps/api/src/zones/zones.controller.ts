import { Controller, Get, Post } from '@nestjs/common';
import type { z } from 'zod';
import {
  idParamsSchema,
  lockdownAmendSchema,
  lockdownLiftSchema,
  LockdownRequest,
  lockdownRequestSchema,
  lockdownsQuerySchema,
  supplyTasksQuerySchema,
  zoneLevelRequestSchema,
  zoneLevelsQuerySchema,
} from '@frontline/contracts';
import { CurrentUser } from '../auth/auth.guard';
import { Policy } from '../auth/roles.guard';
import type { Principal } from '../auth/token.service';
import { ValidBody, ValidParams, ValidQuery } from '../common/validation';
import { ZonesService } from './zones.service';

type RecordId = z.infer<typeof idParamsSchema>;

/** Zone levels and lockdown areas: `/api/v1/zones/...`. */
@Controller('api/v1/zones')
export class ZonesController {
  constructor(private readonly zones: ZonesService) {}

  @Post('levels')
  @Policy('zones.decide')
  setLevel(@ValidBody(zoneLevelRequestSchema) body: z.infer<typeof zoneLevelRequestSchema>, @CurrentUser() caller: Principal) {
    return this.zones.setLevel(body, caller);
  }

  @Get('levels')
  @Policy('zones.read')
  levels(@ValidQuery(zoneLevelsQuerySchema) q: z.infer<typeof zoneLevelsQuerySchema>, @CurrentUser() caller: Principal) {
    return this.zones.levels(q.unit ?? caller.unitCode, caller);
  }

  @Post('lockdowns')
  @Policy('zones.decide')
  declare(@ValidBody(lockdownRequestSchema) body: LockdownRequest, @CurrentUser() caller: Principal) {
    return this.zones.declare(body, caller);
  }

  @Get('lockdowns')
  @Policy('zones.read')
  list(@ValidQuery(lockdownsQuerySchema) query: z.infer<typeof lockdownsQuerySchema>, @CurrentUser() caller: Principal) {
    return this.zones.list(query, caller);
  }

  @Get('lockdowns/:id')
  @Policy('zones.read')
  get(@ValidParams(idParamsSchema) { id }: RecordId, @CurrentUser() caller: Principal) {
    return this.zones.get(id, caller);
  }

  /** F0, F1 and urgent reports located inside the area (PostGIS), and open supply tasks inside. */
  @Get('lockdowns/:id/counts')
  @Policy('zones.read')
  counts(@ValidParams(idParamsSchema) { id }: RecordId, @CurrentUser() caller: Principal) {
    return this.zones.counts(id, caller);
  }

  /** Supply tasks for the people inside; `?open=true` for those not yet done or cancelled. */
  @Get('lockdowns/:id/supply-tasks')
  @Policy('zones.read')
  supplyTasks(
    @ValidParams(idParamsSchema) { id }: RecordId,
    @ValidQuery(supplyTasksQuerySchema) q: z.infer<typeof supplyTasksQuerySchema>,
    @CurrentUser() caller: Principal,
  ) {
    return this.zones.supplyTasks(id, q.open === 'true', caller);
  }

  @Post('lockdowns/:id/amend')
  @Policy('zones.decide')
  amend(
    @ValidParams(idParamsSchema) { id }: RecordId,
    @ValidBody(lockdownAmendSchema) body: z.infer<typeof lockdownAmendSchema>,
    @CurrentUser() caller: Principal,
  ) {
    return this.zones.amend(id, body, caller);
  }

  @Post('lockdowns/:id/lift')
  @Policy('zones.decide')
  lift(
    @ValidParams(idParamsSchema) { id }: RecordId,
    @ValidBody(lockdownLiftSchema) { decisionNumber }: z.infer<typeof lockdownLiftSchema>,
    @CurrentUser() caller: Principal,
  ) {
    return this.zones.lift(id, decisionNumber, caller);
  }
}
