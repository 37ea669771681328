import { Module } from '@nestjs/common';
import { FiguresModule } from '../figures/figures.module';
import { UnitsController } from './units.controller';
import { UnitsGeoService } from './units-geo.service';
import { UnitsRepository } from './units.repository';

@Module({ imports: [FiguresModule], controllers: [UnitsController], providers: [UnitsGeoService, UnitsRepository], exports: [UnitsRepository] })
export class UnitsModule {}
