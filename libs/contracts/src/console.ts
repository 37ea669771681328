import { z } from 'zod';
import type { FeedEvent, UnitCounters } from './api';
import type { UnitLevel } from './units';

/**
 * Shapes the operations console reads (issue "The operations console"). All served by the api
 * under /api/v1, scoped to the caller's jurisdiction, without personal data unless stated.
 */

// ---- GET /api/v1/units/geo?root=CODE ------------------------------------------------------
/** Properties of a unit polygon on the map. `label` is a point inside the unit for its name. */
export interface UnitFeatureProperties {
  code: string;
  name: string;
  level: UnitLevel;
  parentCode: string | null;
  /** Derived, not official: drawn with a dashed outline and said so in the legend. */
  approximate: boolean;
  label: [lon: number, lat: number] | null;
}
export interface UnitFeature {
  type: 'Feature';
  id: string;
  properties: UnitFeatureProperties;
  geometry: { type: 'Polygon' | 'MultiPolygon'; coordinates: unknown } | null;
}
export interface UnitsGeoJson {
  type: 'FeatureCollection';
  features: UnitFeature[];
  /** [minLon, minLat, maxLon, maxLat] of the root unit. */
  bbox: [number, number, number, number] | null;
}

// ---- GET /api/v1/units/:code/children ------------------------------------------------------
/** Figures of each child of a unit (for shading the map and the wall's rotation). */
export interface ChildUnitFigures {
  code: string;
  counters: UnitCounters;
  /** Time of the latest event in that unit's subtree in the last 24 h, if any. */
  lastEventAt: string | null;
}
export interface ChildrenFiguresResponse {
  unit: string;
  day: string;
  children: ChildUnitFigures[];
}

// ---- GET /api/v1/trend?unit=CODE&days=14 ---------------------------------------------------
export interface TrendDay {
  day: string;
  f0: number;
  f1: number;
  tests: number;
  positives: number;
  reports: number;
}
export interface TrendResponse {
  unit: string;
  days: TrendDay[];
}

// ---- GET /api/v1/map/points?unit=CODE ------------------------------------------------------
export const MAP_POINT_LAYERS = ['f0', 'f1', 'positive-tests', 'reports'] as const;
export type MapPointLayer = (typeof MAP_POINT_LAYERS)[number];
/**
 * Columnar point lists (compact for 50,000+ points: times as numbers, drill points as a short
 * index list). Locations are coarse (3 decimals). `ids` are event ids (a click opens the event).
 */
export interface MapPointColumns {
  ids: string[];
  lon: number[];
  lat: number[];
  /** When each point's event occurred, epoch milliseconds. */
  occurredMs: number[];
  /** Indexes into `ids` of the drill points (usually none). */
  drill: number[];
  /**
   * The id that later events name the point by, where it is not the event id: on the F1 layer,
   * the contact's case id (`case.released` / `case.reclassified` take the point off the map).
   */
  keys?: string[];
}
export interface MapPointsResponse {
  unit: string;
  generatedAt: string;
  /**
   * F0 and positive tests: last 14 days; F1: identified in the last 14 days and neither released
   * nor reclassified since; reports: open.
   */
  layers: Record<MapPointLayer, MapPointColumns>;
}

// ---- GET /api/v1/events/:id ----------------------------------------------------------------
export interface EventDetailResponse {
  event: FeedEvent;
  /** For report.received: who acknowledged it in a console, if anyone. */
  acknowledgement: { at: string; by: string } | null;
  /**
   * Personal fields of the event (e.g. the caller's phone), only for roles allowed to read
   * them; every such read is written to the audit log.
   */
  personal: Record<string, unknown> | null;
  personalAccess: 'granted' | 'not-allowed' | 'none';
}

// ---- POST /api/v1/reports/:id/acknowledge --------------------------------------------------
export const acknowledgeRequestSchema = z.strictObject({ note: z.string().max(500).optional() });
export interface AcknowledgeResponse {
  /** The report.acknowledged event (or the earlier one if it was already acknowledged). */
  id: string;
  seq: number;
  alreadyAcknowledged: boolean;
}

// ---- GET /api/v1/console-config (no login) --------------------------------------------------
export interface ConsoleConfigResponse {
  /** FRONTLINE_BASEMAP_STYLE_URL: a real basemap style when the deployment has one. */
  basemapStyleUrl: string | null;
  timeZone: string;
}
