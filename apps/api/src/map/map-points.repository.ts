import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { MapPointLayer } from '@frontline/contracts';
import { COARSE } from '../live/feed-event';

/**
 * One layer's points as JSON array bodies (the text between the brackets), built by PostgreSQL:
 * every aggregate of a group is fed the same rows in the same order, so the columns line up.
 */
export interface LayerRow {
  layer: MapPointLayer;
  /** `"uuid","uuid",…` */
  ids: string;
  /** Coarse, as `coarse()` rounds the live feed's (live/feed-event.ts): `106.771,106.78,…` */
  lon: string;
  lat: string;
  /** Epoch milliseconds. */
  occurred_ms: string;
  /** One character per point, `1` for a drill point: `0010…` */
  drill: string;
  /** F1: JSON strings of the contact's case id (what a release or reclassification names). */
  keys: string;
}

/**
 * The points of the map layers for a unit's subtree, read through event_log_map_points_idx
 * (its predicate is repeated here word for word, so the planner can use it): F0, F1 and
 * positive tests of the last 14 days, and reports received in the last 7 days that no console
 * has acknowledged. F1 whose case has since been released or reclassified are left out (one
 * hashed list of the contacts ended in the window, read through cases_ended_contacts_idx, not a
 * lookup per point; contacts posted without a case record stay). A case is created with its
 * `contact.identified`, so a day's margin on `created_at` covers the 14-day window. Drill events are included and flagged.
 */
@Injectable()
export class MapPointsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** One row per layer that has points (a quiet layer has no row). */
  async layers(unitCode: string): Promise<LayerRow[]> {
    return this.dataSource.transaction(async (em) => {
      // The planner prices this scan above JIT's threshold; compiling costs more than the
      // 20-30 ms the scan takes.
      await em.query('SET LOCAL jit = off');
      return (await em.query(
        `SELECT CASE e.type WHEN 'case.confirmed' THEN 'f0' WHEN 'contact.identified' THEN 'f1'
                            WHEN 'test.resulted' THEN 'positive-tests' ELSE 'reports' END AS layer,
                string_agg('"' || e.id::text || '"', ',') AS ids,
                string_agg((round(ST_X(e.location) * $2) / $2)::text, ',') AS lon,
                string_agg((round(ST_Y(e.location) * $2) / $2)::text, ',') AS lat,
                string_agg(round(date_part('epoch', e.occurred_at) * 1000)::bigint::text, ',') AS occurred_ms,
                string_agg(CASE WHEN e.drill THEN '1' ELSE '0' END, '') AS drill,
                string_agg(to_json(coalesce(e.payload->>'contactId', e.id::text))::text, ',')
                  FILTER (WHERE e.type = 'contact.identified') AS keys
         FROM event_log e
         WHERE e.location IS NOT NULL AND (
             e.type = 'case.confirmed'
             OR (e.type = 'contact.identified' AND e.payload->>'classification' = 'F1')
             OR (e.type = 'test.resulted' AND e.payload->>'result' = 'positive')
             OR e.type = 'report.received')
           AND e.occurred_at >= now() - interval '14 days'
           AND e.unit_path @> ARRAY[$1]::text[]
           AND (e.type <> 'contact.identified' OR e.payload->>'contactId' NOT IN (
             SELECT c.id::text FROM cases c
             WHERE c.source_case_id IS NOT NULL AND (c.classification <> 'F1' OR c.status = 'released')
               AND c.created_at >= now() - interval '15 days'))
           AND (e.type <> 'report.received' OR (
             e.occurred_at >= now() - interval '7 days'
             AND NOT EXISTS (SELECT 1 FROM event_log a
                             WHERE a.type = 'report.acknowledged' AND a.payload->>'reportId' = e.id::text)))
         GROUP BY 1`,
        [unitCode, COARSE],
      )) as LayerRow[];
    });
  }
}
