import { Inject, Injectable } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bullmq';
import { v5 as uuidv5 } from 'uuid';
import { APP_CONFIG, AppConfig } from '@frontline/config';
import type { Logger } from '@frontline/logger';
import {
  ESCALATION_JOB_NAME,
  ESCALATION_MAX_LEVEL,
  EscalationJob,
  escalationJobOptions,
  type Queue,
  QUEUES,
} from '@frontline/queue';
import { EventStore, LOGGER, UnitDirectory, UnitOfWork } from '@frontline/spine';
import { EscalationRepository } from './escalation.repository';
import { EscalationTargetsCache } from './escalation-targets';

/** States in which a deadline no longer needs anyone: acknowledged (or further) / done. */
const MET: Record<EscalationJob['deadline'], readonly string[]> = {
  acknowledge: ['acknowledged', 'en-route', 'on-scene', 'done', 'cancelled'],
  finish: ['done', 'cancelled'],
};

export const ESCALATION_ACTOR = 'system:escalation';

export type EscalationOutcome = 'escalated' | 'met' | 'already-escalated' | 'no-task';

/** Namespace of the worker's derived ids (a fixed random UUID; changing it breaks deduplication). */
const NAMESPACE = 'fee79f31-bf0d-42d0-8734-ea710d472ac6';

/** The version-5 UUID of a name: the same fact always gets the same id. */
export function derivedEventId(name: string): string {
  return uuidv5(name, NAMESPACE);
}

/** The one id of the event of (task, deadline, level). */
export function escalationEventId(job: Pick<EscalationJob, 'taskId' | 'deadline' | 'level'>): string {
  return derivedEventId(`task.escalated:${job.taskId}:${job.deadline}:${job.level}`);
}

/**
 * Runs one escalation job (docs/decisions/0011-dispatch-and-escalation.md). In ONE transaction:
 * lock the task row (the api locks it too to acknowledge, so the two are ordered), check the
 * deadline is still unmet, insert the (task, deadline, level) row — the primary key lets exactly
 * one worker through — and append `task.escalated`. A job that fires just as the task is
 * acknowledged therefore either sees it acknowledged or commits before the acknowledgement; two
 * workers never both escalate. The next level is scheduled before the commit (deterministic job
 * id), so a crash after the commit cannot lose it.
 */
@Injectable()
export class EscalationService {
  private readonly targets: EscalationTargetsCache;

  constructor(
    private readonly tasks: EscalationRepository,
    private readonly store: EventStore,
    private readonly unitOfWork: UnitOfWork,
    private readonly units: UnitDirectory,
    @InjectQueue(QUEUES.escalations) private readonly queue: Queue,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.targets = new EscalationTargetsCache(tasks);
  }

  async run(job: EscalationJob, now = Date.now()): Promise<EscalationOutcome> {
    const outcome = await this.unitOfWork.run(async (em) => {
      const task = await this.tasks.lockTask(em, job.taskId);
      if (!task) return { result: 'no-task' as const };
      if (MET[job.deadline].includes(task.state)) return { result: 'met' as const };

      await this.units.fresh();
      const unit = this.units.get(task.unitCode);
      const targetUnit = job.level === 3 ? (unit?.parentCode ?? null) : task.unitCode;
      if (!targetUnit) return { result: 'met' as const }; // a root-unit task has no unit above: the chain ends at its commander
      const eventId = escalationEventId(job);
      if (!(await this.tasks.claimLevel(em, job, eventId))) return { result: 'already-escalated' as const };

      const targets = await this.targets.get(em, targetUnit, job.level, now);
      const appended = await this.store.append(
        [
          {
            input: {
              id: eventId,
              type: 'task.escalated',
              unit: task.unitCode,
              occurredAt: new Date(now).toISOString(),
              location: task.place,
              ...(task.drill ? { drill: true } : {}),
              payload: {
                taskId: task.id,
                deadline: job.deadline,
                level: job.level,
                targetUnit,
                source: targets.source,
                staffIds: targets.staffIds.slice(0, 50),
                userIds: targets.userIds.slice(0, 50),
                due: new Date(job.due).toISOString(),
              },
            },
            unitPath: task.unitPath,
          },
        ],
        ESCALATION_ACTOR,
        em,
      );
      if (job.level < ESCALATION_MAX_LEVEL) {
        const step = this.config.DISPATCH_ACK_DEADLINES[task.priority] * 1000;
        const next: EscalationJob = {
          taskId: job.taskId,
          deadline: job.deadline,
          level: (job.level + 1) as 2 | 3,
          // The people of this level get a full step, even when this level ran late (a worker was down).
          due: new Date(Math.max(Date.parse(job.due), now) + step).toISOString(),
        };
        // Before the commit: if this throws the transaction rolls back and BullMQ retries the job.
        await this.queue.add(ESCALATION_JOB_NAME, next, escalationJobOptions(next, now));
      }
      return { result: 'escalated' as const, created: appended.created, targets };
    });
    if (outcome.result === 'escalated') {
      this.logger.warn(
        {
          taskId: job.taskId,
          deadline: job.deadline,
          level: job.level,
          lateMs: now - Date.parse(job.due),
          targetUnit: outcome.targets.unit,
          source: outcome.targets.source,
        },
        'task escalated',
      );
    }
    return outcome.result;
  }
}
