import { Module } from '@nestjs/common';
import { MapController } from './map.controller';
import { MapPointsRepository } from './map-points.repository';
import { MapPointsService } from './map-points.service';

@Module({ controllers: [MapController], providers: [MapPointsRepository, MapPointsService] })
export class MapModule {}
