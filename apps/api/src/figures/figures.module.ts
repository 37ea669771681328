import { Module } from '@nestjs/common';
import { FiguresService } from './figures.service';
import { TrendController } from './trend.controller';

/** Unit figures from the projections: used by the snapshot, the children of a unit and the trend. */
@Module({ controllers: [TrendController], providers: [FiguresService], exports: [FiguresService] })
export class FiguresModule {}
