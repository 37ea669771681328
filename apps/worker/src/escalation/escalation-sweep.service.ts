import { Inject, Injectable } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bullmq';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '@frontline/config';
import type { Logger } from '@frontline/logger';
import {
  DeadlineKind,
  ESCALATION_JOB_NAME,
  ESCALATION_MAX_LEVEL,
  EscalationJob,
  escalationJobId,
  escalationJobOptions,
  type Queue,
  QUEUES,
} from '@frontline/queue';
import { LOGGER } from '@frontline/spine';

/** Most deadlines looked at in one sweep; the next round takes the rest. */
const SWEEP_BATCH = 5000;
/** Redis round trips in flight at once. */
const PARALLEL = 50;

interface OpenDeadline {
  task_id: string;
  deadline: DeadlineKind;
  due: Date;
  priority: keyof AppConfig['DISPATCH_ACK_DEADLINES'];
  root: boolean;
  last_level: number | null;
  last_due: Date | null;
  last_at: Date | null;
}

export interface SweepOutcome {
  checked: number;
  added: number;
  retried: number;
}

/**
 * The escalation sweep (docs/decisions/0018-dispatch-board.md). The api adds a task's first
 * escalation job after its commit; if Redis was away then (or lost its data since), nothing would
 * ever escalate the task. Each round reads from PostgreSQL the open deadlines that are due soon or
 * past and the last level each reached, works out the job that should be pending (same
 * deterministic id as the api's and the worker's), and adds it when BullMQ does not have it. An
 * existing job makes the add a no-op, and the (task, deadline, level) row makes a duplicate
 * escalate nothing, so a sweep can never make a deadline escalate twice.
 */
@Injectable()
export class EscalationSweepService {
  constructor(
    private readonly dataSource: DataSource,
    @InjectQueue(QUEUES.escalations) private readonly queue: Queue,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** Deadlines due within `horizonMs` are looked at; later ones are left to a later round. */
  async runOnce(horizonMs: number, now = Date.now()): Promise<SweepOutcome> {
    const horizon = new Date(now + horizonMs);
    const rows = (await this.dataSource.query(
      `WITH open_deadlines AS (
         SELECT id, 'acknowledge' AS deadline, acknowledge_by AS due, priority, array_length(unit_path, 1) = 1 AS root
         FROM tasks WHERE state IN ('created', 'assigned') AND acknowledge_by <= $1
         UNION ALL
         SELECT id, 'finish', finish_by, priority, array_length(unit_path, 1) = 1
         FROM tasks WHERE state NOT IN ('done', 'cancelled') AND finish_by <= $1)
       SELECT o.id AS task_id, o.deadline, o.due, o.priority, o.root, l.level AS last_level, l.due_at AS last_due, l.escalated_at AS last_at
       FROM open_deadlines o
       LEFT JOIN LATERAL (SELECT level, due_at, escalated_at FROM task_escalations e
                          WHERE e.task_id = o.id AND e.deadline = o.deadline ORDER BY level DESC LIMIT 1) l ON true
       -- a root-unit task has no unit above: its chain ends at level 2 (the worker's rule)
       WHERE COALESCE(l.level, 0) < CASE WHEN o.root THEN 2 ELSE $2 END
       ORDER BY o.due LIMIT $3`,
      [horizon, ESCALATION_MAX_LEVEL, SWEEP_BATCH],
    )) as OpenDeadline[];

    const expected = rows.map((r) => this.pendingJob(r)).filter((j) => Date.parse(j.due) <= horizon.getTime());
    let added = 0;
    let retried = 0;
    for (let i = 0; i < expected.length; i += PARALLEL) {
      await Promise.all(
        expected.slice(i, i + PARALLEL).map(async (job) => {
          const existing = await this.queue.getJob(escalationJobId(job));
          if (!existing) {
            await this.queue.add(ESCALATION_JOB_NAME, job, escalationJobOptions(job, now));
            added++;
          } else if (await existing.isFailed()) {
            // It ran out of attempts (PostgreSQL away for long): give it another round.
            await existing.retry('failed');
            retried++;
          }
        }),
      );
    }
    if (added || retried) this.logger.warn({ checked: expected.length, added, retried }, 'escalation sweep re-scheduled missing deadline jobs');
    return { checked: expected.length, added, retried };
  }

  /** The job that should be pending for this deadline: the level after the last one reached. */
  private pendingJob(r: OpenDeadline): EscalationJob {
    if (r.last_level === null) return { taskId: r.task_id, deadline: r.deadline, level: 1, due: r.due.toISOString() };
    // As the worker schedules it: a full step after the previous level ran (or was due, if later).
    const step = this.config.DISPATCH_ACK_DEADLINES[r.priority] * 1000;
    const due = Math.max(r.last_due!.getTime(), r.last_at!.getTime()) + step;
    return { taskId: r.task_id, deadline: r.deadline, level: (r.last_level + 1) as 2 | 3, due: new Date(due).toISOString() };
  }
}
