import { BadRequestException, ConflictException, ForbiddenException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { randomUUID } from 'node:crypto';
import {
  ContractIssue,
  IngestResponse,
  isEventType,
  maySubmitEvent,
  parseEventInput,
  serverCreatorOf,
  type StoredEvent,
} from '@frontline/contracts';
import { AppendItem, AppendResult, EventStore, LOGGER, UnitDirectory, UnitOfWork } from '@frontline/spine';
import type { Logger } from '@frontline/logger';
import { CaseIntake, CaseIntakeRefusal } from '@frontline/cases';
import type { Principal } from '../auth/token.service';

const MAX_LISTED_ISSUES = 50;
/** Clocks drift; an event dated further ahead than this is a client bug, not a fact. */
const MAX_FUTURE_SKEW_MS = 5 * 60_000;

/**
 * The command side of the spine: validate the whole batch, commit it in one transaction,
 * then publish to the stream. Nothing is written unless every event is valid and allowed.
 * Facts a registry owns are handed to it in that transaction, so an integration's case or
 * contact is a record, not only an event (docs/decisions/0028-one-owner-per-event-type.md).
 */
@Injectable()
export class IngestService {
  constructor(
    private readonly units: UnitDirectory,
    private readonly dataSource: DataSource,
    private readonly store: EventStore,
    private readonly cases: CaseIntake,
    private readonly unitOfWork: UnitOfWork,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** `events`: the batch as the request carried it (1..1000 items); each is parsed here by its type. */
  async ingest(events: readonly unknown[], caller: Principal): Promise<IngestResponse> {
    await this.units.fresh();

    const issues: ContractIssue[] = [];
    const forbidden: ContractIssue[] = [];
    const items: AppendItem[] = [];
    const now = Date.now();
    for (let i = 0; i < events.length; i++) {
      const type = (events[i] as { type?: unknown } | null)?.type;
      // Types only the server creates, after checking what they claim: submitted here they would
      // put unverified facts in the log. The refusal names what creates them.
      const endpoint = typeof type === 'string' && isEventType(type) ? serverCreatorOf(type) : null;
      if (endpoint) {
        issues.push({
          path: `events[${i}].type`,
          message: `${type} cannot be submitted here; use ${endpoint}`,
        });
        continue;
      }
      const parsed = parseEventInput(events[i], `events[${i}]`);
      if (!parsed.ok) {
        issues.push(...parsed.issues);
        continue;
      }
      const input = parsed.value;
      if (Date.parse(input.occurredAt) > now + MAX_FUTURE_SKEW_MS) {
        issues.push({
          path: `events[${i}].occurredAt`,
          message: 'is in the future (more than 5 minutes ahead)',
        });
        continue;
      }
      const unit = await this.units.resolve(input.unit);
      if (!unit) {
        issues.push({ path: `events[${i}].unit`, message: `unknown unit "${input.unit}"` });
        continue;
      }
      if (!UnitDirectory.within(caller.unitCode, unit.path)) {
        forbidden.push({
          path: `events[${i}].unit`,
          message: `unit "${input.unit}" is outside your jurisdiction`,
        });
        continue;
      }
      if (!maySubmitEvent(caller.role, input.type)) {
        forbidden.push({
          path: `events[${i}].type`,
          message: `role ${caller.role} may not submit ${input.type}`,
        });
        continue;
      }
      items.push({ input, unitPath: unit.path });
    }

    if (issues.length) {
      throw new BadRequestException({
        message: `${issues.length} problem(s) in the batch; nothing was accepted. First: ${issues[0].path}: ${issues[0].message}`,
        details: issues.slice(0, MAX_LISTED_ISSUES),
      });
    }
    if (forbidden.length) {
      throw new ForbiddenException({
        message: `${forbidden[0].path}: ${forbidden[0].message}; nothing was accepted`,
        details: forbidden.slice(0, MAX_LISTED_ISSUES),
      });
    }

    // Results naming a case or person of ours must name one the caller reaches (decision 0036).
    const unreachable = await this.cases.unreachableTests(this.dataSource, items, caller.unitCode);
    if (unreachable.length) {
      const details = unreachable.slice(0, MAX_LISTED_ISSUES).map(({ index, field }) => ({
        path: `events[${index}].payload.${field}`,
        message: `no such ${field === 'caseId' ? 'case' : 'person'}`,
      }));
      throw new NotFoundException({ message: `${details[0].path}: ${details[0].message}; nothing was accepted`, details });
    }

    const result = await this.write(items, caller);
    const created = result.created;
    this.logger.info(
      {
        actor: caller.userId,
        accepted: result.accepted.length,
        created: created.length,
        seqs: created.length ? [created[0].seq, created[created.length - 1].seq] : [],
        eventIds:
          created.length <= 10
            ? created.map((e) => e.id)
            : [created[0].id, created[created.length - 1].id],
      },
      'events committed',
    );
    return { accepted: result.accepted };
  }

  /**
   * Commits the batch in order, in one transaction: runs of plain events are appended together,
   * each case or contact goes to the case registry (which writes its event), test results name
   * the registry's case ids. A refusal of the registry is a 409 naming the event's field.
   */
  private async write(items: AppendItem[], caller: Principal): Promise<AppendResult> {
    const actor = `user:${caller.userId}`;
    const plain = !items.some((i) => this.cases.owns(i) || (i.input.type === 'test.resulted' && i.input.payload.caseId));
    if (plain) return this.unitOfWork.append(items, actor, { origin: 'ingest' });
    const by = { actor, audit: { userId: caller.userId, username: caller.username, role: caller.role }, jurisdiction: caller.unitCode };
    // Events the registry wrote for the batch's cases and contacts, counted apart from those appended as sent.
    const fromRegistry = new Set<string>();
    const origin = (event: StoredEvent) => (fromRegistry.has(event.id) ? 'integration' : 'ingest');
    return this.unitOfWork.run(async (em) => {
      const result: AppendResult = { accepted: [], created: [] };
      let run: AppendItem[] = [];
      const flush = async () => {
        if (!run.length) return;
        const appended = await this.store.append(await this.cases.resolveTests(em, run), actor, em);
        result.accepted.push(...appended.accepted);
        result.created.push(...appended.created);
        run = [];
      };
      for (const [i, item] of items.entries()) {
        if (!this.cases.owns(item)) {
          run.push(item);
          continue;
        }
        await flush();
        try {
          const taken = await this.cases.take(em, item, (item.input.id ?? randomUUID()).toLowerCase(), by);
          result.accepted.push(taken.accepted);
          result.created.push(...taken.created);
          for (const event of taken.created) fromRegistry.add(event.id);
        } catch (err) {
          if (!(err instanceof CaseIntakeRefusal)) throw err;
          const path = `events[${i}].payload.${err.field}`;
          const body = { message: `${path}: ${err.message}; nothing was accepted`, details: [{ path, message: err.message }] };
          throw err.reason === 'unknown' ? new NotFoundException(body) : new ConflictException(body);
        }
      }
      await flush();
      result.created.sort((a, b) => a.seq - b.seq);
      await this.store.restamp(em, result.created);
      return result;
    }, { origin });
  }
}
