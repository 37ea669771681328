import { ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import type { z } from 'zod';
import type { acknowledgeRequestSchema, AcknowledgeResponse } from '@frontline/contracts';
import type { Logger } from '@frontline/logger';
import { LOGGER, UnitOfWork } from '@frontline/spine';
import type { Principal } from '../auth/token.service';
import { acknowledgementId } from './acknowledgement-id';
import { ReportsRepository } from './reports.repository';
import { reachableRecord } from '../common/jurisdiction';

type AcknowledgeRequest = z.infer<typeof acknowledgeRequestSchema>;

/**
 * A console acknowledges a report: a `report.acknowledged` event through the normal spine
 * (committed, then published, so every console of the jurisdiction sees it live). Exactly once
 * per report: the event id is derived from the report id, so a repeat or a concurrent second
 * call finds the first event instead of adding one.
 */
@Injectable()
export class AcknowledgeService {
  constructor(
    private readonly reports: ReportsRepository,
    private readonly unitOfWork: UnitOfWork,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async acknowledge(reportId: string, request: AcknowledgeRequest, caller: Principal): Promise<AcknowledgeResponse> {
    const report = reachableRecord(await this.reports.event(reportId), (r) => r.unit_path, caller, `no report with id "${reportId}"`);
    if (report.type !== 'report.received') {
      throw new NotFoundException(`event "${reportId}" is a ${report.type}, not a report`);
    }

    const id = acknowledgementId(reportId);
    const result = await this.unitOfWork.append(
      [
        {
          input: {
            id,
            type: 'report.acknowledged',
            // The report's unit and path, so exactly the consoles that saw the report see this.
            unit: report.unit_code,
            occurredAt: new Date().toISOString(),
            // A drill report's acknowledgement is part of the same drill.
            ...(report.drill ? { drill: true } : {}),
            ...(report.exercise_id ? { exerciseId: report.exercise_id } : {}),
            payload: { reportId, ...(request.note !== undefined ? { note: request.note } : {}) },
          },
          unitPath: report.unit_path,
        },
      ],
      `user:${caller.userId}`,
    );
    const seq = result.accepted[0].seq;
    if (!result.created.length) {
      await this.assertIsAcknowledgementOf(id, reportId);
      return { id, seq, alreadyAcknowledged: true };
    }
    this.logger.info({ actor: caller.userId, reportId, eventId: id, seq }, 'report acknowledged');
    return { id, seq, alreadyAcknowledged: false };
  }

  /** The derived id is taken: make sure it is this report's acknowledgement and not a collision. */
  private async assertIsAcknowledgementOf(id: string, reportId: string): Promise<void> {
    if (!(await this.reports.isAcknowledgementOf(id, reportId))) {
      throw new ConflictException(`event id ${id} is taken by another event; the report was not acknowledged`);
    }
  }
}
