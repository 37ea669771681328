import type {
  CircleLayerSpecification,
  ExpressionSpecification,
  SymbolLayerSpecification,
} from 'maplibre-gl';
import type { ScreeningStatus } from '@frontline/contracts';
import { COLOURS, LABEL_FONT } from '../map/layers';

/**
 * The screening board's map layers (typed constants, as map/layers.ts does for the console):
 * one clustered GeoJSON source of sites. Overdue stands out by colour (the critical
 * red-magenta), size and a ring; due is amber; covered is the quiet blue-grey. A cluster
 * takes the colour of its worst site (clusterProperties counts them).
 */
export const SCREENING_SOURCE = 'fl-screening-sites';
export const SCREENING_LAYER_IDS = {
  clusters: 'fl-screening-clusters',
  clusterCount: 'fl-screening-cluster-count',
  sites: 'fl-screening-site',
  overdueRing: 'fl-screening-overdue-ring',
} as const;

export const STATUS_COLOURS: Record<ScreeningStatus, string> = {
  ok: COLOURS.info,
  due: COLOURS.warning,
  overdue: COLOURS.critical,
};

export const SCREENING_CLUSTER_RADIUS = 40;
export const SCREENING_CLUSTER_MAX_ZOOM = 12;

const isOverdue: ExpressionSpecification = ['==', ['get', 'status'], 'overdue'];
const isDue: ExpressionSpecification = ['==', ['get', 'status'], 'due'];
/** Sums per cluster: how many of its sites are overdue, how many due. */
export const SCREENING_CLUSTER_PROPERTIES = {
  overdue: ['+', ['case', isOverdue, 1, 0]],
  due: ['+', ['case', isDue, 1, 0]],
} as const;

const isCluster: ExpressionSpecification = ['has', 'point_count'];
const single: ExpressionSpecification = ['!', ['has', 'point_count']];

export function screeningLayers(): (CircleLayerSpecification | SymbolLayerSpecification)[] {
  return [
    {
      id: SCREENING_LAYER_IDS.clusters,
      type: 'circle',
      source: SCREENING_SOURCE,
      filter: isCluster,
      paint: {
        'circle-color': [
          'case',
          ['>', ['get', 'overdue'], 0],
          STATUS_COLOURS.overdue,
          ['>', ['get', 'due'], 0],
          STATUS_COLOURS.due,
          STATUS_COLOURS.ok,
        ],
        'circle-opacity': 0.9,
        'circle-stroke-color': ['case', ['>', ['get', 'overdue'], 0], '#ffffff', COLOURS.markerEdge],
        'circle-stroke-width': ['case', ['>', ['get', 'overdue'], 0], 3, 1.5],
        'circle-radius': ['step', ['get', 'point_count'], 13, 10, 16, 100, 20],
      },
    },
    {
      id: SCREENING_LAYER_IDS.clusterCount,
      type: 'symbol',
      source: SCREENING_SOURCE,
      filter: isCluster,
      layout: {
        'text-field': ['get', 'point_count_abbreviated'],
        'text-font': LABEL_FONT,
        'text-size': 12,
        'text-allow-overlap': true,
        'text-ignore-placement': true,
      },
      paint: { 'text-color': COLOURS.markerEdge },
    },
    {
      id: SCREENING_LAYER_IDS.overdueRing,
      type: 'circle',
      source: SCREENING_SOURCE,
      filter: ['all', single, isOverdue],
      paint: {
        'circle-radius': 13,
        'circle-color': 'rgba(0,0,0,0)',
        'circle-stroke-color': STATUS_COLOURS.overdue,
        'circle-stroke-width': 2.5,
      },
    },
    {
      id: SCREENING_LAYER_IDS.sites,
      type: 'circle',
      source: SCREENING_SOURCE,
      filter: single,
      paint: {
        'circle-color': [
          'match',
          ['get', 'status'],
          'overdue',
          STATUS_COLOURS.overdue,
          'due',
          STATUS_COLOURS.due,
          STATUS_COLOURS.ok,
        ],
        'circle-radius': ['match', ['get', 'status'], 'overdue', 8, 'due', 6, 5],
        'circle-stroke-color': COLOURS.markerEdge,
        'circle-stroke-width': 1.5,
      },
    },
  ];
}
