import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/** A position in the event stream: the stream's epoch and the entry id's two parts. */
export interface StreamPosition {
  epoch: string;
  ms: string;
  seq: string;
}

/**
 * `projection_cursors`: the stream position each projection is consistent with (the snapshot
 * reads the projector's). A cursor only moves forward within an epoch; a new epoch replaces it.
 */
@Injectable()
export class ProjectionCursorsRepository {
  async advance(em: EntityManager, consumer: string, to: StreamPosition): Promise<void> {
    await em.query(
      `INSERT INTO projection_cursors AS p (consumer, stream_epoch, stream_ms, stream_seq)
       VALUES ($1, $2, $3, $4)
       ON CONFLICT (consumer) DO UPDATE SET stream_epoch = EXCLUDED.stream_epoch,
         stream_ms = EXCLUDED.stream_ms, stream_seq = EXCLUDED.stream_seq, updated_at = now()
       WHERE p.stream_epoch <> EXCLUDED.stream_epoch
          OR (p.stream_ms, p.stream_seq) < (EXCLUDED.stream_ms, EXCLUDED.stream_seq)`,
      [consumer, to.epoch, to.ms, to.seq],
    );
  }
}
