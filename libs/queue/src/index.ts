export { QUEUES, type QueueName } from './queue-names';
export { QueueModule, bullConnection, bullPrefix } from './queue.module';
export * from './escalation-jobs';
export * from './roster-jobs';
export { EscalationScheduler, taskDeadlines, type TaskPriority } from './escalation-scheduler';
// Feature modules type their queues and jobs through this lib, never through bullmq itself.
export { Job, Queue, UnrecoverableError } from 'bullmq';
