import type { UnitSummary } from '@frontline/contracts';

const collator = new Intl.Collator('vi');

/**
 * The caller's jurisdiction as a tree (GET /api/v1/units: the home unit and everything below).
 * Depth is data: nothing here assumes province -> district -> commune.
 */
export class UnitTree {
  private readonly byCode = new Map<string, UnitSummary>();
  private readonly childrenOf = new Map<string, UnitSummary[]>();

  constructor(
    units: readonly UnitSummary[],
    /** The user's home unit: the root of what they may see. */
    readonly home: string,
  ) {
    for (const unit of units) this.byCode.set(unit.code, unit);
    for (const unit of units) {
      if (unit.parentCode === null || !this.byCode.has(unit.parentCode)) continue;
      const list = this.childrenOf.get(unit.parentCode) ?? [];
      list.push(unit);
      this.childrenOf.set(unit.parentCode, list);
    }
    for (const list of this.childrenOf.values()) {
      list.sort((a, b) => collator.compare(a.name, b.name));
    }
  }

  get(code: string): UnitSummary | undefined {
    return this.byCode.get(code);
  }

  has(code: string): boolean {
    return this.byCode.has(code);
  }

  name(code: string): string {
    return this.byCode.get(code)?.name ?? code;
  }

  children(code: string): readonly UnitSummary[] {
    return this.childrenOf.get(code) ?? [];
  }

  /** Units from the home unit down to `code` (both included); [] when `code` is not in the tree. */
  pathTo(code: string): UnitSummary[] {
    const path: UnitSummary[] = [];
    let unit = this.byCode.get(code);
    while (unit) {
      path.unshift(unit);
      if (unit.code === this.home) return path;
      unit = unit.parentCode ? this.byCode.get(unit.parentCode) : undefined;
    }
    return path;
  }
}
