import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { LockdownEndingJob } from '@frontline/queue';
import { EventStore, UnitOfWork } from '@frontline/spine';
import { derivedEventId, ESCALATION_ACTOR } from './escalation.service';

/**
 * `lockdown.ending-soon`, once per (lockdown, planned end): the event id is derived from both, so
 * a job run twice (two workers, a retry) inserts nothing the second time. An amended end or a
 * lifted lockdown makes the job a no-op.
 */
@Injectable()
export class LockdownEndingService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly store: EventStore,
    private readonly unitOfWork: UnitOfWork,
  ) {}

  async run(job: LockdownEndingJob): Promise<'warned' | 'stale'> {
    const created = await this.unitOfWork.run(async (em) => {
      const rows = (await em.query(
        `SELECT unit_code, unit_path, state, planned_end FROM lockdowns WHERE id = $1 FOR UPDATE`,
        [job.lockdownId],
      )) as { unit_code: string; unit_path: string[]; state: string; planned_end: Date }[];
      const lockdown = rows[0];
      if (!lockdown || lockdown.state !== 'active' || lockdown.planned_end.getTime() !== Date.parse(job.plannedEnd)) return [];
      const id = derivedEventId(`lockdown.ending-soon:${job.lockdownId}:${Date.parse(job.plannedEnd)}`);
      const result = await this.store.append(
        [
          {
            input: {
              id,
              type: 'lockdown.ending-soon',
              unit: lockdown.unit_code,
              occurredAt: new Date().toISOString(),
              payload: { lockdownId: job.lockdownId, plannedEnd: new Date(job.plannedEnd).toISOString() },
            },
            unitPath: lockdown.unit_path,
          },
        ],
        ESCALATION_ACTOR,
        em,
      );
      return result.created;
    });
    return created.length ? 'warned' : 'stale';
  }
}
