import { Module } from '@nestjs/common';
import { FiguresModule } from '../figures/figures.module';
import { SnapshotController } from './snapshot.controller';
import { SnapshotService } from './snapshot.service';

@Module({ imports: [FiguresModule], controllers: [SnapshotController], providers: [SnapshotService] })
export class SnapshotModule {}
