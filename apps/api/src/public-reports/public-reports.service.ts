import { BadRequestException, Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { PublicReportRequest } from '@frontline/contracts';
import type { Logger } from '@frontline/logger';
import { LOGGER, UnitOfWork } from '@frontline/spine';
import { UnitsRepository } from '../units/units.repository';

/** Actor of reports sent by citizens through the public form (no account). */
export const PUBLIC_FORM_ACTOR = 'public:form';

/**
 * A citizen's report becomes a `report.received` (channel public-form) through the event store,
 * like every other report: the phone is a personal field, split into event_personal_data by the
 * store and never pushed. The unit is the deepest unit whose boundary covers the place; a place
 * outside the province is refused.
 */
@Injectable()
export class PublicReportsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly units: UnitsRepository,
    private readonly unitOfWork: UnitOfWork,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async receive(request: PublicReportRequest): Promise<{ id: string; receivedAt: string }> {
    const { unit, location, fromUnit } = await this.placeOf(request);
    const id = randomUUID();
    const occurredAt = new Date().toISOString();
    await this.unitOfWork.append(
      [
        {
          input: {
            id,
            type: 'report.received',
            unit: unit.code,
            occurredAt,
            location,
            payload: {
              channel: 'public-form',
              category: request.category,
              description: request.description,
              ...(request.phone ? { callerPhone: request.phone } : {}),
              ...(fromUnit ? { placeFromUnit: true as const } : {}),
            },
          },
          unitPath: unit.path,
        },
      ],
      PUBLIC_FORM_ACTOR,
    );
    // Ids and codes only: never the description or the phone.
    this.logger.info({ eventId: id, unit: unit.code, category: request.category }, 'public report received');
    return { id, receivedAt: occurredAt };
  }

  /**
   * The report's unit and location: the deepest unit covering the point when there is one (a
   * point outside the province is refused), else the picked unit and its label point.
   */
  private async placeOf(
    request: PublicReportRequest,
  ): Promise<{ unit: { code: string; path: string[] }; location: { lat: number; lon: number }; fromUnit: boolean }> {
    if (request.place) {
      const covering = await this.units.deepestCovering(request.place);
      if (!covering) {
        throw new BadRequestException({
          message: 'body.place: this place is outside the province; pick it on the map',
          details: [{ path: 'body.place', message: 'outside the province' }],
        });
      }
      return { unit: covering, location: request.place, fromUnit: false };
    }
    const unit = await this.units.labelPoint(request.unit!);
    if (!unit) {
      throw new BadRequestException({
        message: `body.unit: no unit with code "${request.unit}"`,
        details: [{ path: 'body.unit', message: 'unknown unit' }],
      });
    }
    return { unit, location: { lat: unit.lat, lon: unit.lon }, fromUnit: true };
  }
}
