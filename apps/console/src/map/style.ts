import type { StyleSpecification } from 'maplibre-gl';
import type { UnitFeature, UnitsGeoJson } from '@frontline/contracts';
import { COLOURS } from './layers';
import type { MarkerShape } from './layers';

/**
 * The built-in offline base style: a background and nothing fetched. No `glyphs` and no
 * `sprite`, so no request leaves the machine: MapLibre draws label text with the page's own
 * fonts (Be Vietnam Pro, bundled; Vietnamese diacritics included) and the markers are drawn
 * into images here. The units and points are added on top (map-view.tsx), on this style or on
 * an operator's basemap (console-config `basemapStyleUrl`).
 */
export function buildOfflineStyle(): StyleSpecification {
  return {
    version: 8,
    name: 'Frontline offline',
    sources: {},
    layers: [
      {
        id: 'background',
        type: 'background',
        paint: { 'background-color': COLOURS.background },
      },
    ],
  };
}

/** The style the map starts from: the operator's basemap when configured, else the offline one. */
export function baseStyle(basemapStyleUrl: string | null | undefined): string | StyleSpecification {
  return basemapStyleUrl ? basemapStyleUrl : buildOfflineStyle();
}

// ---- unit geometry -------------------------------------------------------------------------

type Position = [number, number];
type LabelFeature = GeoJSON.Feature<
  GeoJSON.Point,
  { code: string; name: string; parentCode: string | null }
>;

/** Merges unit collections by code (the home unit's context and the view's own subtree). */
export function mergeUnits(...collections: (UnitsGeoJson | undefined)[]): UnitFeature[] {
  const byCode = new Map<string, UnitFeature>();
  for (const collection of collections) {
    for (const feature of collection?.features ?? []) {
      if (feature?.properties?.code) byCode.set(feature.properties.code, feature);
    }
  }
  return [...byCode.values()];
}

/** The polygons MapLibre can draw (units with no geometry are listed but not drawn). */
export function unitPolygons(features: readonly UnitFeature[]): GeoJSON.FeatureCollection {
  return {
    type: 'FeatureCollection',
    features: features
      .filter((feature) => feature.geometry !== null)
      .map((feature) => ({
        type: 'Feature',
        id: feature.id,
        properties: {
          code: feature.properties.code,
          name: feature.properties.name,
          level: feature.properties.level,
          parentCode: feature.properties.parentCode,
          approximate: feature.properties.approximate === true,
        },
        geometry: feature.geometry as GeoJSON.Geometry,
      })),
  };
}

/** One label point per unit: the server's label point, else the middle of its bounding box. */
export function unitLabels(features: readonly UnitFeature[]): GeoJSON.FeatureCollection {
  const labels: LabelFeature[] = [];
  for (const feature of features) {
    const at = feature.properties.label ?? bboxCentre(feature.geometry);
    if (!at) continue;
    labels.push({
      type: 'Feature',
      properties: {
        code: feature.properties.code,
        name: feature.properties.name,
        parentCode: feature.properties.parentCode,
      },
      geometry: { type: 'Point', coordinates: at },
    });
  }
  return { type: 'FeatureCollection', features: labels };
}

function eachPosition(coordinates: unknown, visit: (p: Position) => void): void {
  if (!Array.isArray(coordinates)) return;
  if (typeof coordinates[0] === 'number' && typeof coordinates[1] === 'number') {
    visit(coordinates as Position);
    return;
  }
  for (const child of coordinates) eachPosition(child, visit);
}

export type Bounds = [number, number, number, number];

/** [minLon, minLat, maxLon, maxLat] of a geometry, or null when it has no positions. */
export function geometryBounds(geometry: UnitFeature['geometry']): Bounds | null {
  if (!geometry) return null;
  const b: Bounds = [Infinity, Infinity, -Infinity, -Infinity];
  eachPosition(geometry.coordinates, ([lon, lat]) => {
    b[0] = Math.min(b[0], lon);
    b[1] = Math.min(b[1], lat);
    b[2] = Math.max(b[2], lon);
    b[3] = Math.max(b[3], lat);
  });
  return Number.isFinite(b[0]) ? b : null;
}

function bboxCentre(geometry: UnitFeature['geometry']): Position | null {
  const b = geometryBounds(geometry);
  return b ? [(b[0] + b[2]) / 2, (b[1] + b[3]) / 2] : null;
}

// ---- markers -------------------------------------------------------------------------------

/** A marker image drawn on a canvas (no sprite to fetch); `ratio` for sharp edges on HiDPI. */
export function markerImage(shape: MarkerShape, colour: string, ratio = 2): ImageData | null {
  const size = 16 * ratio;
  const canvas = document.createElement('canvas');
  canvas.width = size;
  canvas.height = size;
  const ctx = canvas.getContext('2d');
  if (!ctx) return null;
  const c = size / 2;
  const r = size / 2 - 2 * ratio;
  ctx.beginPath();
  switch (shape) {
    case 'diamond':
      ctx.moveTo(c, c - r);
      ctx.lineTo(c + r, c);
      ctx.lineTo(c, c + r);
      ctx.lineTo(c - r, c);
      break;
    case 'triangle':
      ctx.moveTo(c, c - r);
      ctx.lineTo(c + r, c + r * 0.8);
      ctx.lineTo(c - r, c + r * 0.8);
      break;
    case 'circle':
      ctx.arc(c, c, r * 0.8, 0, Math.PI * 2);
      break;
    case 'square':
      ctx.rect(c - r * 0.8, c - r * 0.8, r * 1.6, r * 1.6);
      break;
  }
  ctx.closePath();
  ctx.fillStyle = colour;
  ctx.fill();
  ctx.lineWidth = 1.5 * ratio;
  ctx.strokeStyle = COLOURS.markerEdge;
  ctx.stroke();
  if (shape === 'square') {
    // An exclamation mark: an urgent report reads as one even without colour.
    ctx.fillStyle = COLOURS.markerEdge;
    ctx.fillRect(c - ratio, c - r * 0.55, 2 * ratio, r * 0.7);
    ctx.fillRect(c - ratio, c + r * 0.3, 2 * ratio, 2 * ratio);
  }
  return ctx.getImageData(0, 0, size, size);
}
