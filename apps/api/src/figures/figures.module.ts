import { Module } from '@nestjs/common';
import { FiguresRepository } from './figures.repository';
import { FiguresService } from './figures.service';
import { TrendController } from './trend.controller';

/** Unit figures from the projections: used by the snapshot, the children of a unit and the trend. */
@Module({ controllers: [TrendController], providers: [FiguresRepository, FiguresService], exports: [FiguresService] })
export class FiguresModule {}
