import { Module } from '@nestjs/common';
import { FiguresModule } from '../figures/figures.module';
import { UnitsController } from './units.controller';
import { UnitsGeoService } from './units-geo.service';

@Module({ imports: [FiguresModule], controllers: [UnitsController], providers: [UnitsGeoService] })
export class UnitsModule {}
