import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { ChainResponse } from '@frontline/contracts';

export interface NodeRow {
  id: string;
  classification: ChainResponse['nodes'][number]['classification'];
  status: ChainResponse['nodes'][number]['status'];
  unit_code: string;
  unit_path: string[];
  source_case_id: string | null;
  exposure_date: string | null;
  exposure_setting: string | null;
  depth: number;
}

export interface ClusterRow {
  id: string;
  index_case_id: string;
  size: number;
  units: string[];
  f0_count: number;
  detected_at: Date;
}

/**
 * The tracing graph over `cases.source_case_id` (one recursive CTE per direction, indexed both
 * ways: the primary key upwards, `cases_source_idx` downwards) and the detected clusters.
 */
@Injectable()
export class TracingRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The nodes around a case: sources up to `depth` hops (negative depth), contacts down to `depth`. */
  async chain(id: string, depth: number, direction: 'up' | 'down' | 'both'): Promise<NodeRow[]> {
    const up = direction !== 'down';
    const down = direction !== 'up';
    return (await this.dataSource.query(
      `WITH RECURSIVE
         up_walk(id, source_case_id, depth) AS (
           SELECT id, source_case_id, 0 FROM cases WHERE id = $1::uuid
           UNION ALL
           SELECT c.id, c.source_case_id, u.depth - 1 FROM cases c JOIN up_walk u ON c.id = u.source_case_id
           WHERE $3::boolean AND u.depth > -$2::int
         ),
         down_walk(id, depth) AS (
           SELECT id, 0 FROM cases WHERE id = $1::uuid AND $4::boolean
           UNION ALL
           SELECT c.id, d.depth + 1 FROM cases c JOIN down_walk d ON c.source_case_id = d.id WHERE d.depth < $2::int
         ),
         walked AS (SELECT id, depth FROM up_walk UNION ALL SELECT id, depth FROM down_walk WHERE depth > 0)
       SELECT c.id, c.classification, c.status, c.unit_code, c.unit_path, c.source_case_id,
              c.exposure_date::text AS exposure_date, c.exposure_setting, w.depth
       FROM walked w JOIN cases c ON c.id = w.id
       ORDER BY w.depth, c.created_at, c.id`,
      [id, depth, up, down],
    )) as NodeRow[];
  }

  /** Clusters touching a unit's subtree with at least `minSize` cases, largest first. */
  async clusters(unitCode: string, minSize: number): Promise<ClusterRow[]> {
    return (await this.dataSource.query(
      `SELECT id, index_case_id, size, units, f0_count, detected_at FROM case_clusters
       WHERE unit_paths @> $1::text[] AND size >= $2 ORDER BY size DESC, detected_at LIMIT 500`,
      [[unitCode], minSize],
    )) as ClusterRow[];
  }
}
