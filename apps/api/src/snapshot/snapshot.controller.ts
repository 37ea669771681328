import { Controller, Get } from '@nestjs/common';
import type { z } from 'zod';
import { SnapshotResponse, unitQuerySchema } from '@frontline/contracts';
import { CurrentUser } from '../auth/auth.guard';
import { Policy } from '../auth/roles.guard';
import type { Principal } from '../auth/token.service';
import { ValidQuery } from '../common/validation';
import { SnapshotService } from './snapshot.service';

@Controller('api/v1/snapshot')
export class SnapshotController {
  constructor(private readonly snapshots: SnapshotService) {}

  /** `?unit=CODE` (default: the caller's home unit). */
  @Get()
  @Policy('units.read')
  get(@ValidQuery(unitQuerySchema) { unit }: z.infer<typeof unitQuerySchema>, @CurrentUser() caller: Principal): Promise<SnapshotResponse> {
    return this.snapshots.snapshot(unit ?? caller.unitCode, caller);
  }
}
