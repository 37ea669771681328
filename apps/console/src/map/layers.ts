import type { ExpressionSpecification, FilterSpecification, LayerSpecification } from 'maplibre-gl';
import type { EventType, FeedEvent, MapPointLayer, Severity } from '@frontline/contracts';
import type { MessageKey } from '../i18n/messages';

/**
 * Everything the map can draw, as typed constants (style.md habit 16): the point layers the
 * user toggles (F0, F1, positive tests, urgent reports), the layers planned for later issues
 * (facilities, checkpoints, teams, lockdown zones: listed, not yet drawn), the measures that
 * shade the units, and the MapLibre layer specifications built from them.
 */

// ---- colours with fixed meaning (console-design.md) ---------------------------------------

export const COLOURS = {
  background: '#0b1116',
  critical: '#ff6b96', // red-magenta
  warning: '#f2bb4e', // amber
  info: '#93abc4', // blue-grey
  drill: '#c4a2ff', // purple
  selected: '#5ccfe6', // cyan: the selection and the live link, never a zone colour
  unitLine: '#6f8294',
  rootLine: '#b7c6d4',
  label: '#e6ecf2',
  labelHalo: '#0b1116',
  markerEdge: '#0b1116',
} as const;

const SEVERITY_COLOUR: Record<Severity, string> = {
  critical: COLOURS.critical,
  warning: COLOURS.warning,
  info: COLOURS.info,
};

/** Marker shapes: severity is told by shape as well as colour (red-green colour blindness). */
export type MarkerShape = 'diamond' | 'triangle' | 'circle' | 'square';

// ---- point layers --------------------------------------------------------------------------

export interface PointLayerDef {
  id: MapPointLayer;
  kind: 'points';
  available: true;
  label: MessageKey;
  /** The feed filter that shows the same events (a figure click sets both). */
  feedType: EventType;
  severity: Severity;
  colour: string;
  shape: MarkerShape;
  /** Whether a live event with a location belongs on this layer. */
  accepts: (event: FeedEvent) => boolean;
  /**
   * How long a point stays on the map after it occurred: the window of `GET /map/points` for
   * this layer (the server's base and the live additions leave the map by the same rule).
   */
  maxAgeMs: number;
  /**
   * The keys of this layer's points that `event` takes off the map (e.g. an acknowledgement).
   * A point's key is what later events name it by (`keyOf`): its event id unless said otherwise.
   */
  removes: (event: FeedEvent) => readonly string[];
  /** The key of the point a live event of this layer adds (the server sends it as `keys`). */
  keyOf: (event: FeedEvent) => string;
}

/** A layer a later issue brings; shown greyed in the layer list so the place is known. */
export interface PlannedLayerDef {
  id: 'facilities' | 'checkpoints' | 'teams' | 'lockdown-zones';
  kind: 'markers' | 'areas';
  available: false;
  label: MessageKey;
}

export type LayerDef = PointLayerDef | PlannedLayerDef;

const DAY_MS = 24 * 60 * 60 * 1000;

/** No event takes this layer's points off the map before they age out of its window. */
const NOTHING_REMOVES = (): readonly string[] => [];

/**
 * Events that close a report (`report.acknowledged` now; `report.closed` and `report.merged`
 * of events.md when they exist), naming it by `payload.reportId`.
 */
const REPORT_CLOSING_TYPES: readonly string[] = [
  'report.acknowledged',
  'report.closed',
  'report.merged',
];

function closedReports(event: FeedEvent): readonly string[] {
  if (!REPORT_CLOSING_TYPES.includes(event.type)) return [];
  const id = (event.payload as { reportId?: unknown }).reportId;
  return typeof id === 'string' ? [id] : [];
}

/**
 * An F1 leaves monitoring when its case is released or reclassified (F0, cleared): both events
 * name the contact's case, the key of its point (`contactId` of `contact.identified`).
 */
function endedContacts(event: FeedEvent): readonly string[] {
  const p = event.payload as { caseId?: unknown; classification?: unknown; from?: unknown };
  const ended =
    (event.type === 'case.released' && p.classification === 'F1') ||
    (event.type === 'case.reclassified' && p.from === 'F1');
  return ended && typeof p.caseId === 'string' ? [p.caseId] : [];
}

function contactKey(event: FeedEvent): string {
  const id = (event.payload as { contactId?: unknown }).contactId;
  return typeof id === 'string' ? id : event.id;
}

const EVENT_ID = (event: FeedEvent): string => event.id;

function pointLayer(
  id: MapPointLayer,
  label: MessageKey,
  feedType: EventType,
  severity: Severity,
  shape: MarkerShape,
  accepts: (event: FeedEvent) => boolean,
  leaves: {
    maxAgeDays: number;
    removes?: (event: FeedEvent) => readonly string[];
    keyOf?: (event: FeedEvent) => string;
  },
): PointLayerDef {
  return {
    id,
    kind: 'points',
    available: true,
    label,
    feedType,
    severity,
    colour: SEVERITY_COLOUR[severity],
    shape,
    accepts,
    maxAgeMs: leaves.maxAgeDays * DAY_MS,
    removes: leaves.removes ?? NOTHING_REMOVES,
    keyOf: leaves.keyOf ?? EVENT_ID,
  };
}

export const POINT_LAYERS: readonly PointLayerDef[] = [
  pointLayer(
    'f0',
    'layer.f0',
    'case.confirmed',
    'critical',
    'diamond',
    (e) => e.type === 'case.confirmed',
    // F0 of the last 14 days (the map window of GET /map/points).
    { maxAgeDays: 14 },
  ),
  pointLayer(
    'f1',
    'layer.f1',
    'contact.identified',
    'warning',
    'triangle',
    (e) => e.type === 'contact.identified' && e.payload.classification === 'F1',
    // Under monitoring for 14 days from identification, until released or reclassified.
    { maxAgeDays: 14, removes: endedContacts, keyOf: contactKey },
  ),
  pointLayer(
    'positive-tests',
    'layer.positive-tests',
    'test.resulted',
    'info',
    'circle',
    (e) => e.type === 'test.resulted' && e.payload.result === 'positive',
    { maxAgeDays: 14 },
  ),
  pointLayer(
    'reports',
    'layer.reports',
    'report.received',
    'critical',
    'square',
    (e) => e.type === 'report.received',
    // Open reports of the last 7 days: an acknowledgement (or a close) takes one off the map.
    { maxAgeDays: 7, removes: closedReports },
  ),
];

export const PLANNED_LAYERS: readonly PlannedLayerDef[] = [
  { id: 'facilities', kind: 'markers', available: false, label: 'layer.facilities' },
  { id: 'checkpoints', kind: 'markers', available: false, label: 'layer.checkpoints' },
  { id: 'teams', kind: 'markers', available: false, label: 'layer.teams' },
  { id: 'lockdown-zones', kind: 'areas', available: false, label: 'layer.lockdown-zones' },
];

/** The one registry: what the layer panel lists, in order. */
export const MAP_LAYERS: readonly LayerDef[] = [...POINT_LAYERS, ...PLANNED_LAYERS];

export const POINT_LAYER_IDS: readonly MapPointLayer[] = POINT_LAYERS.map((layer) => layer.id);

/**
 * The order the point layers are drawn in, bottom to top: the many F1 under the rest, urgent
 * reports on top. Clusters of every layer are cells of one grid (clusters.ts), so clusters of
 * different layers in one cell share a place: each layer's clusters are drawn a little apart
 * (`CLUSTER_OFFSETS`, px) so that an F0 cluster is never hidden under an F1 one.
 */
export const POINT_DRAW_ORDER: readonly MapPointLayer[] = ['f1', 'positive-tests', 'f0', 'reports'];
const CLUSTER_OFFSETS: Record<MapPointLayer, [number, number]> = {
  f1: [0, 0],
  'positive-tests': [14, 14],
  f0: [-14, -14],
  reports: [14, -14],
};

export function pointLayerDef(id: MapPointLayer): PointLayerDef {
  const def = POINT_LAYERS.find((layer) => layer.id === id);
  if (!def) throw new Error(`unknown point layer ${id}`);
  return def;
}

export function isPointLayer(value: string): value is MapPointLayer {
  return POINT_LAYER_IDS.includes(value as MapPointLayer);
}

// ---- unit shading --------------------------------------------------------------------------

export type MeasureId = 'f0-7d' | 'zone-level' | 'none';

export interface MeasureDef {
  id: MeasureId;
  label: MessageKey;
  /** False for a measure whose data does not exist yet (a typed slot for a later issue). */
  available: boolean;
  /** Class breaks: a value >= breaks[i] takes colours[i + 1]; below breaks[0] takes colours[0]. */
  breaks: readonly number[];
  colours: readonly string[];
}

/**
 * The four Vietnamese epidemic zone colours, reserved for zone levels and nothing else. Their
 * lightness steps apart (dark green to light red would fail for red-green colour blindness),
 * so the scale still reads without hue.
 */
export const ZONE_COLOURS = {
  green: '#2e7d4f',
  yellow: '#e6c229',
  orange: '#e8772e',
  red: '#d93a3a',
} as const;

export const MEASURES: readonly MeasureDef[] = [
  {
    id: 'f0-7d',
    label: 'measure.f0-7d',
    available: true,
    // A blue lightness ramp: no zone colour, no severity colour, readable without hue.
    breaks: [1, 5, 20, 50, 100],
    colours: ['#16212b', '#1f3b54', '#2a5a80', '#3b78a8', '#5b98c9', '#8cbde6'],
  },
  {
    // Slot for `zoneLevel` ('green' | 'yellow' | 'orange' | 'red') once a unit carries it.
    id: 'zone-level',
    label: 'measure.zone-level',
    available: false,
    breaks: [1, 2, 3],
    colours: [ZONE_COLOURS.green, ZONE_COLOURS.yellow, ZONE_COLOURS.orange, ZONE_COLOURS.red],
  },
  {
    id: 'none',
    label: 'measure.none',
    available: true,
    breaks: [],
    colours: ['#16212b'],
  },
];

export function measureDef(id: MeasureId): MeasureDef {
  return MEASURES.find((measure) => measure.id === id) ?? MEASURES[0];
}

export function isMeasure(value: string): value is MeasureId {
  return MEASURES.some((measure) => measure.id === value && measure.available);
}

// ---- sources -------------------------------------------------------------------------------

export const SOURCES = {
  units: 'fl-units',
  unitLabels: 'fl-unit-labels',
  alerts: 'fl-alerts',
  selected: 'fl-selected',
  /**
   * Every point layer in one source (the `layer` property tells them apart): a flush is one
   * setData and one redraw, not one per layer.
   */
  points: 'fl-points',
} as const;

// ---- MapLibre layers ------------------------------------------------------------------------

export const UNIT_LAYER_IDS = {
  fill: 'fl-unit-fill',
  line: 'fl-unit-line',
  lineApprox: 'fl-unit-line-approx',
  root: 'fl-unit-root',
  hover: 'fl-unit-hover',
  labels: 'fl-unit-labels',
} as const;

/** The layers drawn for one point layer, by role. */
export function pointLayerIds(layer: MapPointLayer) {
  return {
    heat: `fl-${layer}-heat`,
    clusters: `fl-${layer}-clusters`,
    clusterCount: `fl-${layer}-cluster-count`,
    drillRing: `fl-${layer}-drill`,
    points: `fl-${layer}-points`,
  };
}

export const ALERT_LAYER_ID = 'fl-alerts';
export const SELECTED_LAYER_ID = 'fl-selected';

/** Local font names: the style has no `glyphs`, so labels are drawn from the page's fonts. */
export const LABEL_FONT = ['Be Vietnam Pro'];

/** The fill colour of a unit from its feature-state `value` (null: no figure known). */
export function measureFill(measure: MeasureDef): ExpressionSpecification {
  const value: ExpressionSpecification = ['coalesce', ['feature-state', 'value'], -1];
  if (measure.breaks.length === 0)
    return ['literal', measure.colours[0]] as unknown as ExpressionSpecification;
  const stops: (number | string)[] = [];
  measure.breaks.forEach((limit, i) => stops.push(limit, measure.colours[i + 1]));
  return [
    'case',
    ['<', value, 0],
    '#121a21',
    ['step', value, measure.colours[0], ...stops],
  ] as ExpressionSpecification;
}

/** Filters for the unit layers when `view` is the unit shown: its children, or itself. */
export function unitFilters(view: string, drawChildren: boolean) {
  const children: FilterSpecification = ['==', ['get', 'parentCode'], view];
  const self: FilterSpecification = ['==', ['get', 'code'], view];
  const shown = drawChildren ? children : self;
  return {
    fill: shown,
    line: ['all', shown, ['!', ['get', 'approximate']]] as FilterSpecification,
    lineApprox: ['all', shown, ['get', 'approximate']] as FilterSpecification,
    root: self,
    labels: shown,
  };
}

/**
 * Sizes on the map follow the page's type scale: `scale` is the root font size over 15 px
 * (1 on a desk at 1080p, 2 on a 4K desk at 100 %, 1.6 and 3.2 on the wall at 1080p and 4K).
 */
export function unitLayers(measure: MeasureDef, scale = 1): LayerSpecification[] {
  return [
    {
      id: UNIT_LAYER_IDS.fill,
      type: 'fill',
      source: SOURCES.units,
      // Opaque and without the antialiasing outline pass (the lines are their own layers):
      // the cheapest fill to draw, which matters at 4K or on a software renderer.
      paint: { 'fill-color': measureFill(measure), 'fill-antialias': false },
    },
    {
      id: UNIT_LAYER_IDS.hover,
      type: 'fill',
      source: SOURCES.units,
      // Only the unit under the pointer (map-view.tsx sets the filter), so nothing is drawn
      // by this layer most of the time.
      filter: ['==', ['get', 'code'], ''],
      paint: { 'fill-color': '#ffffff', 'fill-opacity': 0.08, 'fill-antialias': false },
    },
    {
      id: UNIT_LAYER_IDS.line,
      type: 'line',
      source: SOURCES.units,
      paint: { 'line-color': COLOURS.unitLine, 'line-width': 1.2 * scale },
    },
    {
      // Approximate geometry (derived, not official) is dashed, and the legend says so.
      id: UNIT_LAYER_IDS.lineApprox,
      type: 'line',
      source: SOURCES.units,
      paint: {
        'line-color': COLOURS.unitLine,
        'line-width': 1.2 * scale,
        'line-dasharray': [3, 2],
      },
    },
    {
      id: UNIT_LAYER_IDS.root,
      type: 'line',
      source: SOURCES.units,
      paint: {
        'line-color': COLOURS.rootLine,
        'line-width': 2 * scale,
        'line-dasharray': [
          'case',
          ['get', 'approximate'],
          ['literal', [3, 2]],
          ['literal', [1, 0]],
        ],
      },
    },
  ];
}

export function unitLabelLayer(scale = 1): LayerSpecification {
  return {
    id: UNIT_LAYER_IDS.labels,
    type: 'symbol',
    source: SOURCES.unitLabels,
    layout: {
      'text-field': ['get', 'name'],
      'text-font': LABEL_FONT,
      'text-size': ['interpolate', ['linear'], ['zoom'], 7, 12 * scale, 11, 16 * scale],
      'text-padding': 2,
      'text-max-width': 8,
      'text-allow-overlap': false,
    },
    paint: {
      'text-color': COLOURS.label,
      'text-halo-color': COLOURS.labelHalo,
      'text-halo-width': 1.6 * scale,
      'text-opacity': 0.92,
    },
  };
}

/** The layers of one point layer: heat (density mode), clusters with counts, single markers. */
export function pointLayers(def: PointLayerDef, scale = 1): LayerSpecification[] {
  const source = SOURCES.points;
  const ids = pointLayerIds(def.id);
  const ofLayer: FilterSpecification = ['==', ['get', 'layer'], def.id];
  const isCluster: FilterSpecification = ['all', ofLayer, ['has', 'point_count']];
  const offset = CLUSTER_OFFSETS[def.id].map((px) => px * scale) as [number, number];
  const single: FilterSpecification = ['all', ofLayer, ['!', ['has', 'point_count']]];
  return [
    {
      id: ids.heat,
      type: 'heatmap',
      source,
      filter: ofLayer,
      layout: { visibility: 'none' },
      paint: {
        // A heat feature is a cell of the point worker's grid, weighted by its points.
        'heatmap-weight': ['coalesce', ['get', 'point_count'], 1],
        'heatmap-intensity': ['interpolate', ['linear'], ['zoom'], 6, 0.6, 12, 2],
        'heatmap-radius': ['interpolate', ['linear'], ['zoom'], 6, 10 * scale, 12, 24 * scale],
        'heatmap-opacity': 0.8,
        'heatmap-color': [
          'interpolate',
          ['linear'],
          ['heatmap-density'],
          0,
          'rgba(0,0,0,0)',
          0.25,
          `${def.colour}55`,
          0.6,
          `${def.colour}bb`,
          1,
          '#ffffff',
        ],
      },
    },
    {
      id: ids.clusters,
      type: 'circle',
      source,
      filter: isCluster,
      paint: {
        'circle-translate': offset,
        'circle-color': def.colour,
        'circle-opacity': 0.85,
        'circle-stroke-color': COLOURS.markerEdge,
        'circle-stroke-width': 1.5 * scale,
        'circle-radius': [
          'step',
          ['get', 'point_count'],
          11 * scale,
          10,
          14 * scale,
          100,
          18 * scale,
          1000,
          23 * scale,
          10000,
          28 * scale,
        ],
      },
    },
    {
      id: ids.clusterCount,
      type: 'symbol',
      source,
      filter: isCluster,
      layout: {
        'text-field': ['get', 'point_count_abbreviated'],
        'text-font': LABEL_FONT,
        'text-size': 12 * scale,
        'text-allow-overlap': true,
        'text-ignore-placement': true,
      },
      paint: { 'text-color': '#0b1116', 'text-translate': offset },
    },
    {
      // Drill items carry a purple ring (shown only in drill mode, when they are in the data).
      id: ids.drillRing,
      type: 'circle',
      source,
      filter: ['all', single, ['==', ['get', 'drill'], true]],
      paint: {
        'circle-radius': 11 * scale,
        'circle-color': 'rgba(0,0,0,0)',
        'circle-stroke-color': COLOURS.drill,
        'circle-stroke-width': 2.5 * scale,
      },
    },
    {
      id: ids.points,
      type: 'symbol',
      source,
      filter: single,
      layout: {
        'icon-image': `fl-marker-${def.id}`,
        'icon-size': 1, // the image is drawn at this scale (map-view.tsx)
        'icon-allow-overlap': true,
        'icon-ignore-placement': true,
      },
    },
  ];
}

/** Unacknowledged urgent reports: a ring that stays until someone acknowledges them. */
export function alertLayer(scale = 1): LayerSpecification {
  return {
    id: ALERT_LAYER_ID,
    type: 'circle',
    source: SOURCES.alerts,
    paint: {
      'circle-radius': 14 * scale,
      'circle-color': 'rgba(255,107,150,0.18)',
      'circle-stroke-color': COLOURS.critical,
      'circle-stroke-width': 2.5 * scale,
    },
  };
}

export function selectedLayer(scale = 1): LayerSpecification {
  return {
    id: SELECTED_LAYER_ID,
    type: 'circle',
    source: SOURCES.selected,
    paint: {
      'circle-radius': 18 * scale,
      'circle-color': 'rgba(0,0,0,0)',
      'circle-stroke-color': COLOURS.selected,
      'circle-stroke-width': 3 * scale,
    },
  };
}
