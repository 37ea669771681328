import { Module } from '@nestjs/common';
import { FiguresModule } from '../figures/figures.module';
import { SnapshotController } from './snapshot.controller';
import { SnapshotRepository } from './snapshot.repository';
import { SnapshotService } from './snapshot.service';

@Module({ imports: [FiguresModule], controllers: [SnapshotController], providers: [SnapshotService, SnapshotRepository] })
export class SnapshotModule {}
