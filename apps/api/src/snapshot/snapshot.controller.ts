import { Controller, Get, Query } from '@nestjs/common';
import { z } from 'zod';
import { SnapshotResponse, unitCodeSchema } from '@frontline/contracts';
import { CurrentUser } from '../auth/auth.guard';
import type { Principal } from '../auth/token.service';
import { parseOrThrow } from '../common/validation';
import { SnapshotService } from './snapshot.service';

const snapshotQuery = z.strictObject({ unit: unitCodeSchema.optional() });

@Controller('api/v1/snapshot')
export class SnapshotController {
  constructor(private readonly snapshots: SnapshotService) {}

  /** `?unit=CODE` (default: the caller's home unit). */
  @Get()
  get(@Query() query: unknown, @CurrentUser() caller: Principal): Promise<SnapshotResponse> {
    const { unit } = parseOrThrow(snapshotQuery, query, 'query');
    return this.snapshots.snapshot(unit ?? caller.unitCode, caller);
  }
}
