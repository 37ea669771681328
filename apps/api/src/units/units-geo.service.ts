import { Injectable } from '@nestjs/common';
import type { UnitsGeoJson } from '@frontline/contracts';
import { UnitsRepository } from './units.repository';

/** Units change only through `npm run geo:import`; a minute of staleness is harmless. */
const CACHE_MS = 60_000;
/**
 * Simplification tolerance in degrees (~20 m at 21°N): invisible at the zoom levels a command
 * centre uses for a district or a province, and it shrinks official boundaries, which come with
 * a vertex every few metres, several times over.
 */
const SIMPLIFY_TOLERANCE = 0.0002;
/** Decimals of every coordinate sent (~1 m). */
const DECIMALS = 5;

/** The unit polygons of a subtree for the console's map, simplified for the screen and cached. */
@Injectable()
export class UnitsGeoService {
  private readonly cache = new Map<string, { expires: number; body: Promise<UnitsGeoJson> }>();

  constructor(private readonly units: UnitsRepository) {}

  /** The root unit and its whole subtree; the caller has checked the jurisdiction. */
  geo(rootCode: string): Promise<UnitsGeoJson> {
    const now = Date.now();
    const hit = this.cache.get(rootCode);
    if (hit && hit.expires > now) return hit.body;
    for (const [code, entry] of this.cache) if (entry.expires <= now) this.cache.delete(code);
    // The promise is cached, so concurrent consoles opening at once share one query.
    const body = this.load(rootCode);
    this.cache.set(rootCode, { expires: now + CACHE_MS, body });
    body.catch(() => this.cache.delete(rootCode));
    return body;
  }

  private async load(rootCode: string): Promise<UnitsGeoJson> {
    const rows = await this.units.subtreeOutlines(rootCode, SIMPLIFY_TOLERANCE, DECIMALS);
    return {
      type: 'FeatureCollection',
      features: rows.map((r) => ({
        type: 'Feature',
        id: r.code,
        properties: {
          code: r.code,
          name: r.name,
          level: r.level,
          parentCode: r.parent_code,
          approximate: r.approximate,
          label: r.label_lon !== null && r.label_lat !== null ? [r.label_lon, r.label_lat] : null,
        },
        geometry: r.geometry,
      })),
      bbox: rows.find((r) => r.code === rootCode)?.bbox ?? null,
    };
  }
}
