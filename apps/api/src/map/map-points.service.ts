import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { MAP_POINT_LAYERS, MapPointColumns, MapPointLayer, MapPointsResponse } from '@frontline/contracts';
import type { UnitNode } from '@frontline/spine';
import { coarse } from '../live/feed-event';

interface PointRow {
  type: string;
  id: string;
  /** Epoch milliseconds: parsing 50,000 timestamptz texts into Dates costs more than the query. */
  occurred_ms: number;
  drill: boolean;
  lon: number;
  lat: number;
  /** F1: the contact's case id (what a release or reclassification names). */
  key: string | null;
}

const LAYER_OF_TYPE: Record<string, MapPointLayer> = {
  'case.confirmed': 'f0',
  'contact.identified': 'f1',
  'test.resulted': 'positive-tests',
  'report.received': 'reports',
};

/** Layers whose points later events name by something other than the event id. */
const KEYED_LAYERS: ReadonlySet<MapPointLayer> = new Set(['f1']);

function emptyColumns(layer: MapPointLayer): MapPointColumns {
  const columns: MapPointColumns = { ids: [], lon: [], lat: [], occurredMs: [], drill: [] };
  if (KEYED_LAYERS.has(layer)) columns.keys = [];
  return columns;
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
export class MapPointsService {
  constructor(private readonly dataSource: DataSource) {}

  async points(unit: UnitNode): Promise<MapPointsResponse> {
    const rows = await this.dataSource.transaction(async (em) => {
      // The planner prices this scan above JIT's threshold; compiling costs more than the
      // 20-30 ms the scan takes.
      await em.query('SET LOCAL jit = off');
      return (await em.query(
        `SELECT e.type, e.id, (extract(epoch FROM e.occurred_at) * 1000)::float8 AS occurred_ms,
                e.drill, ST_X(e.location) AS lon, ST_Y(e.location) AS lat,
                CASE WHEN e.type = 'contact.identified' THEN e.payload->>'contactId' END AS key
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
                             WHERE a.type = 'report.acknowledged' AND a.payload->>'reportId' = e.id::text)))`,
        [unit.code],
      )) as PointRow[];
    });

    const layers = Object.fromEntries(MAP_POINT_LAYERS.map((l) => [l, emptyColumns(l)])) as Record<MapPointLayer, MapPointColumns>;
    for (const r of rows) {
      const layer = layers[LAYER_OF_TYPE[r.type]];
      if (r.drill) layer.drill.push(layer.ids.length);
      layer.ids.push(r.id);
      layer.lon.push(coarse(r.lon));
      layer.lat.push(coarse(r.lat));
      layer.occurredMs.push(Math.round(r.occurred_ms));
      layer.keys?.push(r.key ?? r.id);
    }
    return { unit: unit.code, generatedAt: new Date().toISOString(), layers };
  }
}
