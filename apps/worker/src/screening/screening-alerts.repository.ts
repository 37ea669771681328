import type { EntityManager } from 'typeorm';

/** One screening alert: a site or person of a program due or overdue at `dueAt`. */
export interface ScreeningAlert {
  programId: string;
  kind: 'site' | 'person';
  targetId: string;
  dueAt: string;
  status: 'due' | 'overdue';
  unit: string;
  unitPath: string[];
}

/** The key of an alert: (program, target kind, target, status, due time). */
export const alertKey = (a: Pick<ScreeningAlert, 'programId' | 'kind' | 'targetId' | 'status' | 'dueAt'>): string =>
  `${a.programId}|${a.kind}|${a.targetId}|${a.status}|${a.dueAt}`;

/**
 * `screening_alerts`, what the screening check has raised (primary key = program, target, due
 * time, kind), so overlapping runs and restarts never repeat an alert.
 */
export class ScreeningAlertsRepository {
  /** Inserts the alerts not raised yet; returns the keys of those inserted by this call. */
  async insertNew(em: EntityManager, alerts: ScreeningAlert[], eventIdOf: (a: ScreeningAlert) => string): Promise<Set<string>> {
    const inserted = (await em.query(
      `INSERT INTO screening_alerts (program_id, target_kind, target_id, due_at, kind, event_id)
         SELECT * FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::timestamptz[], $5::text[], $6::uuid[])
       ON CONFLICT DO NOTHING
       RETURNING program_id, target_kind, target_id, kind, due_at`,
      [
        alerts.map((a) => a.programId),
        alerts.map((a) => a.kind),
        alerts.map((a) => a.targetId),
        alerts.map((a) => a.dueAt),
        alerts.map((a) => a.status),
        alerts.map(eventIdOf),
      ],
    )) as { program_id: string; target_kind: 'site' | 'person'; target_id: string; kind: 'due' | 'overdue'; due_at: Date }[];
    return new Set(
      inserted.map((r) =>
        alertKey({ programId: r.program_id, kind: r.target_kind, targetId: r.target_id, status: r.kind, dueAt: r.due_at.toISOString() }),
      ),
    );
  }
}
