import { ForbiddenException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '@frontline/config';
import type { ChainResponse, Cluster } from '@frontline/contracts';
import { UnitDirectory } from '@frontline/spine';
import type { Principal } from '../auth/token.service';
import { unitInJurisdiction } from '../common/jurisdiction';

interface NodeRow {
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

/**
 * The tracing graph: one recursive CTE per direction over `cases.source_case_id` (indexed both
 * ways: the primary key upwards, `cases_source_idx` downwards). Nodes carry ids, classification,
 * status and unit only — never personal fields — so nothing here is audited.
 */
@Injectable()
export class TracingService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly units: UnitDirectory,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async chain(id: string, depth: number, direction: 'up' | 'down' | 'both', caller: Principal): Promise<ChainResponse> {
    const rows = await chainRows(this.dataSource, id, depth, direction);
    const root = rows.find((r) => r.depth === 0);
    if (!root) throw new NotFoundException(`no case with id "${id}"`);
    if (!UnitDirectory.within(caller.unitCode, root.unit_path))
      throw new ForbiddenException('this case is outside your jurisdiction');
    const visible = rows.filter((r) => UnitDirectory.within(caller.unitCode, r.unit_path));
    const ids = new Set(visible.map((r) => r.id));
    return {
      root: id,
      nodes: visible.map((r) => ({ id: r.id, classification: r.classification, status: r.status, unit: r.unit_code, depth: r.depth })),
      edges: visible
        .filter((r) => r.source_case_id && ids.has(r.source_case_id))
        .map((r) => ({
          source: r.source_case_id!,
          contact: r.id,
          exposureDate: r.exposure_date,
          setting: (r.exposure_setting as ChainResponse['edges'][number]['setting']) ?? null,
        })),
      truncated: visible.length < rows.length,
    };
  }

  /** Clusters touching the caller's jurisdiction (or `unit`), at least `minSize` cases. */
  async clusters(unitCode: string | undefined, minSize: number | undefined, caller: Principal): Promise<Cluster[]> {
    const unit = await unitInJurisdiction(this.units, unitCode ?? caller.unitCode, caller);
    const rows = (await this.dataSource.query(
      `SELECT id, index_case_id, size, units, f0_count, detected_at FROM case_clusters
       WHERE unit_paths @> $1::text[] AND size >= $2 ORDER BY size DESC, detected_at LIMIT 500`,
      [[unit.code], minSize ?? this.config.CLUSTER_MIN_SIZE],
    )) as { id: string; index_case_id: string; size: number; units: string[]; f0_count: number; detected_at: Date }[];
    return rows.map((r) => ({
      id: r.id,
      indexCaseId: r.index_case_id,
      size: r.size,
      units: r.units,
      f0: r.f0_count,
      detectedAt: r.detected_at.toISOString(),
    }));
  }
}

/** The nodes around a case: sources up to `depth` hops (negative depth), contacts down to `depth`. */
export async function chainRows(
  ds: Pick<DataSource, 'query'>,
  id: string,
  depth: number,
  direction: 'up' | 'down' | 'both',
): Promise<NodeRow[]> {
  const up = direction !== 'down';
  const down = direction !== 'up';
  return (await ds.query(
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
