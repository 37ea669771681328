import { Inject, Injectable } from '@nestjs/common';
import type { ChildrenFiguresResponse, TrendResponse } from '@frontline/contracts';
import { APP_CONFIG, AppConfig } from '@frontline/config';
import type { Queryable } from '@frontline/database';
import { dayIn, UnitDirectory, UnitNode } from '@frontline/spine';
import { FiguresRepository, UnitFigures } from './figures.repository';

/**
 * The figures of units, read from the projector's tables. One definition for the snapshot, the
 * children of a unit and the trend: "today" and "last 7 days" are calendar days in
 * FRONTLINE_TIMEZONE; drills never count (the projector leaves them out).
 */
@Injectable()
export class FiguresService {
  constructor(
    private readonly repository: FiguresRepository,
    private readonly units: UnitDirectory,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  today(): string {
    return dayIn(this.config.FRONTLINE_TIMEZONE);
  }

  /** Counters of several units in one query, in the order given. */
  async figures(codes: readonly string[], db?: Queryable, today = this.today()): Promise<Map<string, UnitFigures>> {
    return this.repository.figures(codes, today, db);
  }

  /** Figures of each direct child of a unit (ordered by name, as the unit tree is). */
  async children(unit: UnitNode): Promise<ChildrenFiguresResponse> {
    await this.units.fresh();
    const codes = this.units.childrenOf(unit.code).map((c) => c.code);
    const today = this.today();
    const figures = codes.length ? await this.figures(codes, undefined, today) : new Map<string, UnitFigures>();
    return {
      unit: unit.code,
      day: today,
      children: codes.map((code) => ({ code, ...figures.get(code)! })),
    };
  }

  /** Daily figures of the last `days` days up to today, every day present (zero when quiet). */
  async trend(unit: UnitNode, days: number): Promise<TrendResponse> {
    return { unit: unit.code, days: await this.repository.trend(unit.code, this.today(), days) };
  }
}
