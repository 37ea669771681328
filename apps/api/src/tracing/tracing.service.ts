import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@frontline/config';
import type { ChainResponse, Cluster } from '@frontline/contracts';
import { UnitDirectory } from '@frontline/spine';
import type { Principal } from '../auth/token.service';
import { reachableRecord, unitInJurisdiction } from '../common/jurisdiction';
import { TracingRepository } from './tracing.repository';

/**
 * The tracing graph: one recursive CTE per direction over `cases.source_case_id` (indexed both
 * ways: the primary key upwards, `cases_source_idx` downwards). Nodes carry ids, classification,
 * status and unit only — never personal fields — so nothing here is audited.
 */
@Injectable()
export class TracingService {
  constructor(
    private readonly tracing: TracingRepository,
    private readonly units: UnitDirectory,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async chain(id: string, depth: number, direction: 'up' | 'down' | 'both', caller: Principal): Promise<ChainResponse> {
    const rows = await this.tracing.chain(id, depth, direction);
    reachableRecord(rows.find((r) => r.depth === 0), (r) => r.unit_path, caller, `no case with id "${id}"`);
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
    const rows = await this.tracing.clusters(unit.code, minSize ?? this.config.CLUSTER_MIN_SIZE);
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
