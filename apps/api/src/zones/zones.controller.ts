import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { z } from 'zod';
import {
  lockdownAmendSchema,
  lockdownLiftSchema,
  lockdownRequestSchema,
  lockdownsQuerySchema,
  supplyTasksQuerySchema,
  zoneLevelRequestSchema,
  zoneLevelsQuerySchema,
} from '@frontline/contracts';
import { CurrentUser } from '../auth/auth.guard';
import type { Principal } from '../auth/token.service';
import { parseOrThrow } from '../common/validation';
import { ZonesService } from './zones.service';

const idParams = z.strictObject({ id: z.uuid() });

/** Zone levels and lockdown areas: `/api/v1/zones/...`. */
@Controller('api/v1/zones')
export class ZonesController {
  constructor(private readonly zones: ZonesService) {}

  @Post('levels')
  setLevel(@Body() body: unknown, @CurrentUser() caller: Principal) {
    return this.zones.setLevel(parseOrThrow(zoneLevelRequestSchema, body), caller);
  }

  @Get('levels')
  levels(@Query() query: unknown, @CurrentUser() caller: Principal) {
    const q = parseOrThrow(zoneLevelsQuerySchema, query, 'query');
    return this.zones.levels(q.unit ?? caller.unitCode, caller);
  }

  @Post('lockdowns')
  declare(@Body() body: unknown, @CurrentUser() caller: Principal) {
    return this.zones.declare(parseOrThrow(lockdownRequestSchema, body), caller);
  }

  @Get('lockdowns')
  list(@Query() query: unknown, @CurrentUser() caller: Principal) {
    return this.zones.list(parseOrThrow(lockdownsQuerySchema, query, 'query'), caller);
  }

  @Get('lockdowns/:id')
  get(@Param() params: unknown, @CurrentUser() caller: Principal) {
    return this.zones.get(parseOrThrow(idParams, params, 'params').id.toLowerCase(), caller);
  }

  /** F0, F1 and urgent reports located inside the area (PostGIS), and open supply tasks inside. */
  @Get('lockdowns/:id/counts')
  counts(@Param() params: unknown, @CurrentUser() caller: Principal) {
    return this.zones.counts(parseOrThrow(idParams, params, 'params').id.toLowerCase(), caller);
  }

  /** Supply tasks for the people inside; `?open=true` for those not yet done or cancelled. */
  @Get('lockdowns/:id/supply-tasks')
  supplyTasks(@Param() params: unknown, @Query() query: unknown, @CurrentUser() caller: Principal) {
    const { id } = parseOrThrow(idParams, params, 'params');
    return this.zones.supplyTasks(id.toLowerCase(), parseOrThrow(supplyTasksQuerySchema, query, 'query').open === 'true', caller);
  }

  @Post('lockdowns/:id/amend')
  amend(@Param() params: unknown, @Body() body: unknown, @CurrentUser() caller: Principal) {
    const { id } = parseOrThrow(idParams, params, 'params');
    return this.zones.amend(id.toLowerCase(), parseOrThrow(lockdownAmendSchema, body), caller);
  }

  @Post('lockdowns/:id/lift')
  lift(@Param() params: unknown, @Body() body: unknown, @CurrentUser() caller: Principal) {
    const { id } = parseOrThrow(idParams, params, 'params');
    return this.zones.lift(id.toLowerCase(), parseOrThrow(lockdownLiftSchema, body).decisionNumber, caller);
  }
}
