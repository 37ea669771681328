import { Injectable } from '@nestjs/common';
import type { LockdownEndingJob } from '@frontline/queue';
import { EventStore, UnitOfWork } from '@frontline/spine';
import { derivedEventId, ESCALATION_ACTOR } from './escalation.service';
import { LockdownsRepository } from './lockdowns.repository';

/**
 * `lockdown.ending-soon`, once per (lockdown, planned end): the event id is derived from both, so
 * a job run twice (two workers, a retry) inserts nothing the second time. An amended end or a
 * lifted lockdown makes the job a no-op.
 */
@Injectable()
export class LockdownEndingService {
  constructor(
    private readonly lockdowns: LockdownsRepository,
    private readonly store: EventStore,
    private readonly unitOfWork: UnitOfWork,
  ) {}

  async run(job: LockdownEndingJob): Promise<'warned' | 'stale'> {
    const created = await this.unitOfWork.run(async (em) => {
      const lockdown = await this.lockdowns.lock(em, job.lockdownId);
      if (!lockdown || lockdown.state !== 'active' || lockdown.plannedEnd.getTime() !== Date.parse(job.plannedEnd)) return [];
      const id = derivedEventId(`lockdown.ending-soon:${job.lockdownId}:${Date.parse(job.plannedEnd)}`);
      const result = await this.store.append(
        [
          {
            input: {
              id,
              type: 'lockdown.ending-soon',
              unit: lockdown.unitCode,
              occurredAt: new Date().toISOString(),
              payload: { lockdownId: job.lockdownId, plannedEnd: new Date(job.plannedEnd).toISOString() },
            },
            unitPath: lockdown.unitPath,
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
