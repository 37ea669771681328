import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import {
  LoadedRoster,
  LoadOptions,
  loadRoster,
  positionKey,
} from '@frontline/roster-ops';

export type {
  CenterRow,
  LoadedRoster,
  LoadOptions,
  StaffRow,
} from '@frontline/roster-ops';

/** The api's handle on the roster rows (libs/roster-ops `loadRoster`, shared with the worker). */
@Injectable()
export class RosterRepository {
  constructor(private readonly dataSource: DataSource) {}

  static positionKey(centerId: string, code: string): string {
    return positionKey(centerId, code);
  }

  load(
    from: number,
    to: number,
    options: LoadOptions,
    manager: EntityManager | DataSource = this.dataSource,
  ): Promise<LoadedRoster> {
    return loadRoster(manager, from, to, options);
  }
}
