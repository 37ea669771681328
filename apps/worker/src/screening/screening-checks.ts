import type { DataSource } from 'typeorm';
import type { EventInput } from '@frontline/contracts';
import type { AppendItem, EventStore, UnitOfWork } from '@frontline/spine';
import { derivedId, screeningTargets } from '@frontline/lab-testing';
import { alertKey, ScreeningAlert as Alert, ScreeningAlertsRepository } from './screening-alerts.repository';

/**
 * The screening check (docs/decisions/0013-lab-testing.md): every site and person of the active
 * programs whose test is due or overdue gets ONE `screening.due` / `screening.overdue` per due
 * time. `screening_alerts` remembers what was raised (primary key = program, target, due time,
 * kind; inserted ON CONFLICT DO NOTHING), so overlapping runs and restarts never repeat an alert.
 */
export class ScreeningChecks {
  constructor(
    private readonly dataSource: DataSource,
    private readonly store: EventStore,
    private readonly unitOfWork: UnitOfWork,
    private readonly alertsRaised = new ScreeningAlertsRepository(),
  ) {}

  async runOnce(now = new Date()): Promise<{ due: number; overdue: number }> {
    const { sites, people } = await screeningTargets(this.dataSource, null, null, now);
    const alerts: Alert[] = [
      ...sites.map((s) => ({ ...s, kind: 'site' as const, targetId: s.id })),
      ...people.map((p) => ({ ...p, kind: 'person' as const, targetId: p.personId })),
    ].flatMap((t) =>
      t.status === 'ok'
        ? []
        : [{ programId: t.programId, kind: t.kind, targetId: t.targetId, dueAt: t.dueAt, status: t.status, unit: t.unit, unitPath: t.unitPath }],
    );
    if (!alerts.length) return { due: 0, overdue: 0 };
    const eventId = (a: Alert) => derivedId('screening-alert', a.programId, a.kind, a.targetId, a.dueAt, a.status);

    const created = await this.unitOfWork.run(async (em) => {
      const fresh = await this.alertsRaised.insertNew(em, alerts, eventId);
      const items: AppendItem[] = alerts
        .filter((a) => fresh.has(alertKey(a)))
        .map((a) => {
          const input: EventInput = {
            id: eventId(a),
            type: a.status === 'due' ? 'screening.due' : 'screening.overdue',
            unit: a.unit,
            occurredAt: now.toISOString(),
            payload: {
              programId: a.programId,
              ...(a.kind === 'site' ? { siteId: a.targetId } : { personId: a.targetId }),
              dueAt: a.dueAt,
            },
          };
          return { input, unitPath: a.unitPath };
        });
      return items.length ? (await this.store.append(items, 'system:screening-check', em)).created : [];
    });
    return {
      due: created.filter((e) => e.type === 'screening.due').length,
      overdue: created.filter((e) => e.type === 'screening.overdue').length,
    };
  }
}
