import { BadRequestException, ForbiddenException, Inject, Injectable } from '@nestjs/common';
import {
  ContractIssue,
  IngestResponse,
  ingestRequestSchema,
  isEventType,
  maySubmitEvent,
  parseEventInput,
  serverCreatorOf,
} from '@frontline/contracts';
import { AppendItem, EventStore, LOGGER, StreamPublisher, UnitDirectory } from '@frontline/spine';
import type { Logger } from '@frontline/logger';
import { parseOrThrow } from '../common/validation';
import type { Principal } from '../auth/token.service';

const MAX_LISTED_ISSUES = 50;
/** Clocks drift; an event dated further ahead than this is a client bug, not a fact. */
const MAX_FUTURE_SKEW_MS = 5 * 60_000;

/**
 * The command side of the spine: validate the whole batch, commit it in one transaction,
 * then publish to the stream. Nothing is written unless every event is valid and allowed.
 */
@Injectable()
export class IngestService {
  constructor(
    private readonly units: UnitDirectory,
    private readonly store: EventStore,
    private readonly publisher: StreamPublisher,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async ingest(body: unknown, caller: Principal): Promise<IngestResponse> {
    const { events } = parseOrThrow(ingestRequestSchema, body);
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

    const result = await this.store.append(items, `user:${caller.userId}`);
    const published = await this.publisher.publish(result.created);
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
        published,
      },
      'events committed',
    );
    if (!published && result.created.length) {
      this.logger.warn(
        { count: result.created.length },
        'stream unavailable; events left to the outbox relay',
      );
    }
    return { accepted: result.accepted };
  }
}
