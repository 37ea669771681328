import type { DataSource } from 'typeorm';
import type { UnitSummary } from '@frontline/contracts';
import { AdminUnitEntity } from '@frontline/database';

export interface UnitNode extends UnitSummary {
  /** Codes from the root down to this unit, inclusive. */
  path: string[];
  approximate: boolean;
}

const REFRESH_MS = 60_000;
const MISS_RELOAD_MIN_MS = 2_000;

/**
 * The administrative tree kept in memory: it answers "which unit is this" and "is this unit
 * inside that jurisdiction" on every event without a query. Units change rarely (geo import),
 * so a periodic refresh and a reload on an unknown code are enough.
 */
export class UnitDirectory {
  private byCode = new Map<string, UnitNode>();
  private children = new Map<string | null, string[]>();
  private loadedAt = 0;
  private loading?: Promise<void>;

  constructor(private readonly dataSource: DataSource) {}

  async load(): Promise<void> {
    this.loading ??= (async () => {
      try {
        // Parents before children (shorter paths first), siblings by name.
        const rows = await this.dataSource
          .getRepository(AdminUnitEntity)
          .createQueryBuilder('u')
          .select(['u.code', 'u.name', 'u.level', 'u.parentCode', 'u.path', 'u.approximate'])
          .orderBy('array_length(u.path, 1)')
          .addOrderBy('u.name')
          .getMany();
        const byCode = new Map<string, UnitNode>();
        const children = new Map<string | null, string[]>();
        for (const r of rows) {
          byCode.set(r.code, {
            code: r.code,
            name: r.name,
            level: r.level,
            parentCode: r.parentCode,
            path: r.path,
            approximate: r.approximate,
          });
          const siblings = children.get(r.parentCode) ?? [];
          siblings.push(r.code);
          children.set(r.parentCode, siblings);
        }
        this.byCode = byCode;
        this.children = children;
        this.loadedAt = Date.now();
      } finally {
        this.loading = undefined;
      }
    })();
    return this.loading;
  }

  /** Refreshes when stale; call before a batch of lookups. */
  async fresh(): Promise<this> {
    if (Date.now() - this.loadedAt > REFRESH_MS) await this.load();
    return this;
  }

  get(code: string): UnitNode | undefined {
    return this.byCode.get(code);
  }

  /** Looks a unit up, reloading once if the code is unknown (a unit imported moments ago). */
  async resolve(code: string): Promise<UnitNode | undefined> {
    const hit = this.byCode.get(code);
    if (hit || Date.now() - this.loadedAt < MISS_RELOAD_MIN_MS) return hit;
    await this.load();
    return this.byCode.get(code);
  }

  /** True when `unitPath` lies in the subtree of `jurisdictionCode`. */
  static within(jurisdictionCode: string, unitPath: readonly string[]): boolean {
    return unitPath.includes(jurisdictionCode);
  }

  /** The units without a parent (the province; several when more are loaded). */
  roots(): UnitNode[] {
    return (this.children.get(null) ?? []).flatMap((code) => this.byCode.get(code) ?? []);
  }

  /** The direct children of a unit, ordered by name. */
  childrenOf(code: string): UnitNode[] {
    return (this.children.get(code) ?? []).flatMap((child) => this.byCode.get(child) ?? []);
  }

  /** The unit and all its descendants, parents before children. */
  subtree(code: string): UnitNode[] {
    const out: UnitNode[] = [];
    const queue = [code];
    while (queue.length) {
      const next = queue.shift()!;
      const node = this.byCode.get(next);
      if (!node) continue;
      out.push(node);
      queue.push(...(this.children.get(next) ?? []));
    }
    return out;
  }
}
