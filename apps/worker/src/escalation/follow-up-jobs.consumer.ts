import { Injectable } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bullmq';
import type { EntityManager } from 'typeorm';
import type { EventPayload, StoredEvent } from '@frontline/contracts';
import {
  EscalationScheduler,
  LOCKDOWN_JOB_NAME,
  lockdownEndingSoonJob,
  type Queue,
  QUEUES,
  ROSTER_RECHECK_JOB_NAME,
  rosterRecheckJob,
} from '@frontline/queue';
import { ConsumerBatch, EventConsumer, StreamConsumer } from '@frontline/spine';
import { EscalationRepository } from './escalation.repository';

type Payload<K extends string> = { [key in K]: string };

/**
 * The jobs that follow a commit, scheduled from the committed events instead of by whoever
 * committed them: a task's escalation deadlines (`task.created`, again on `task.assigned`),
 * dropped once they can no longer escalate (`task.acknowledged`, `task.completed`,
 * `task.cancelled`), the warning before a lockdown's planned end (`lockdown.declared`,
 * `lockdown.amended`), and the coverage-gap recheck of a center whose roster changed
 * (`roster.changed`). Job ids are derived from the task, the lockdown or the event, so a redelivered event
 * adds nothing twice; the jobs are added before the group's receipts commit, so a crash or a
 * Redis failure in between leaves the entries to be read again, never a committed task without
 * its jobs. Jobs lost WITH Redis after they were added are re-added by the escalation sweep.
 */
@Injectable()
@StreamConsumer('follow-up-jobs')
export class FollowUpJobsConsumer implements EventConsumer {
  constructor(
    private readonly escalations: EscalationScheduler,
    private readonly tasks: EscalationRepository,
    @InjectQueue(QUEUES.escalations) private readonly queue: Queue,
    @InjectQueue(QUEUES.rosterChecks) private readonly rosterChecks: Queue,
  ) {}

  async apply(em: EntityManager, { events }: ConsumerBatch): Promise<void> {
    for (const event of events) await this.follow(em, event);
  }

  private async follow(em: EntityManager, event: StoredEvent): Promise<void> {
    switch (event.type) {
      case 'task.created': {
        const p = event.payload as Payload<'taskId' | 'acknowledgeBy' | 'finishBy'>;
        await this.escalations.schedule(p.taskId, { acknowledge: new Date(p.acknowledgeBy), finish: new Date(p.finishBy) });
        return;
      }
      case 'task.assigned': {
        const { taskId } = event.payload as Payload<'taskId'>;
        const deadlines = await this.tasks.deadlinesOf(em, taskId);
        if (deadlines) await this.escalations.schedule(taskId, deadlines);
        return;
      }
      case 'task.acknowledged':
        return this.escalations.drop((event.payload as Payload<'taskId'>).taskId, ['acknowledge']);
      case 'task.completed':
      case 'task.cancelled':
        return this.escalations.drop((event.payload as Payload<'taskId'>).taskId, ['acknowledge', 'finish']);
      case 'lockdown.declared':
      case 'lockdown.amended': {
        const p = event.payload as Payload<'lockdownId' | 'plannedEnd'>;
        const job = lockdownEndingSoonJob(p.lockdownId, p.plannedEnd);
        await this.queue.add(LOCKDOWN_JOB_NAME, job.data, job.options);
        return;
      }
      case 'roster.changed': {
        const p = event.payload as EventPayload<'roster.changed'>;
        // A rejected swap changes nobody's duty: nothing to recheck.
        if (p.action === 'rejected') return;
        const job = rosterRecheckJob(p.centerId, event.id);
        await this.rosterChecks.add(ROSTER_RECHECK_JOB_NAME, job.data, job.options);
        return;
      }
      default:
        return;
    }
  }
}
