import type { DataSource, EntityManager } from 'typeorm';
import type { StoredEvent } from '@frontline/contracts';
import type { Logger } from '@frontline/logger';
import { AppendItem, AppendResult, EventStore } from './event-store';
import type { EventOriginOf, SpineMetrics } from './spine-metrics';
import { StreamPublisher } from './stream-publisher';

export interface UnitOfWorkOptions {
  /** Where the events come from, for the events-ingested metric (default: created by the server). */
  origin?: EventOriginOf;
}

/**
 * The one way a module writes (architecture.md, "the event spine"): `run` opens ONE PostgreSQL
 * transaction for the caller's writes; every event the caller appends in it
 * (`EventStore.append(items, actor, em)`, also from inside libraries) commits with those writes.
 * After the commit the unit of work publishes the events to the stream, in seq order, and logs
 * the commit. A failed publish does not fail the command: the events are committed, and the
 * outbox relay publishes them (guarantee 2). What must follow a commit besides the stream
 * (jobs, notices) belongs to a stream consumer, not to the caller.
 */
export class UnitOfWork {
  constructor(
    private readonly dataSource: DataSource,
    private readonly store: EventStore,
    private readonly publisher: StreamPublisher,
    private readonly logger: Logger,
    private readonly metrics?: SpineMetrics,
  ) {}

  /** Runs `work` in one transaction, then publishes what it appended. Returns what `work` returned. */
  async run<T>(work: (em: EntityManager) => Promise<T>, options?: UnitOfWorkOptions): Promise<T> {
    const { result, publish } = await this.runDeferringPublish(work, options);
    await publish();
    return result;
  }

  /**
   * For pipelines (a file committed chunk by chunk): commits like `run`, but hands back the
   * publish step so the caller can write the next chunk while this one is published, calling
   * each chunk's `publish` in order. Never fails; what it could not publish the relay will.
   */
  async runDeferringPublish<T>(
    work: (em: EntityManager) => Promise<T>,
    options?: UnitOfWorkOptions,
  ): Promise<{ result: T; publish: () => Promise<void> }> {
    let appended: StoredEvent[] = [];
    const result = await this.dataSource.transaction(async (em) => {
      appended = this.store.openJournal(em);
      return work(em);
    });
    if (appended.length) this.metrics?.eventsCommitted(appended, options?.origin ?? 'server');
    return { result, publish: () => this.publish(appended) };
  }

  /**
   * Runs one step of a unit of work under a savepoint: when it fails, its writes AND the events
   * it appended are undone (they will not be published), and the error is rethrown for the
   * caller to record; the rest of the unit of work goes on.
   */
  async savepoint<T>(em: EntityManager, step: () => Promise<T>): Promise<T> {
    const journal = this.store.journalOf(em);
    const mark = journal?.length ?? 0;
    await em.query('SAVEPOINT unit_of_work_step');
    try {
      const result = await step();
      await em.query('RELEASE SAVEPOINT unit_of_work_step');
      return result;
    } catch (err) {
      await em.query('ROLLBACK TO SAVEPOINT unit_of_work_step');
      journal?.splice(mark);
      throw err;
    }
  }

  /**
   * A command that is only events (no domain rows): the append is one statement, so it commits
   * on its own (no BEGIN and COMMIT round trips); then its events are published like `run`'s.
   */
  async append(items: AppendItem[], actor: string, options?: UnitOfWorkOptions): Promise<AppendResult> {
    const result = await this.store.append(items, actor);
    if (result.created.length) this.metrics?.eventsCommitted(result.created, options?.origin ?? 'server');
    await this.publish([...result.created]);
    return result;
  }

  private async publish(events: StoredEvent[]): Promise<void> {
    if (!events.length) return;
    events.sort((a, b) => a.seq - b.seq);
    const facts = { events: events.length, firstSeq: events[0].seq, types: [...new Set(events.map((e) => e.type))] };
    let published = false;
    try {
      published = await this.publisher.publish(events);
    } catch (err) {
      this.logger.warn({ ...facts, err: (err as Error).message }, 'committed; marking the events published failed');
      return;
    }
    if (published) this.logger.debug(facts, 'committed and published');
    else this.logger.warn(facts, 'committed; the stream refused them, the outbox relay will publish them');
  }
}
