import { Module } from '@nestjs/common';
import { MapController } from './map.controller';
import { MapPointsService } from './map-points.service';

@Module({ controllers: [MapController], providers: [MapPointsService] })
export class MapModule {}
