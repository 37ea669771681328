import { Injectable } from '@nestjs/common';
import { MAP_POINT_LAYERS, MapPointLayer } from '@frontline/contracts';
import type { UnitNode } from '@frontline/spine';
import { LayerRow, MapPointsRepository } from './map-points.repository';

/** Layers whose points later events name by something other than the event id. */
const KEYED_LAYERS: ReadonlySet<MapPointLayer> = new Set(['f1']);

/** Indexes of the drill points, from the one-character-per-point flags. */
function drillIndexes(flags: string): string {
  const indexes: number[] = [];
  for (let i = flags.indexOf('1'); i !== -1; i = flags.indexOf('1', i + 1)) indexes.push(i);
  return indexes.join(',');
}

function columnsJson(layer: MapPointLayer, row: LayerRow | undefined): string {
  const columns = [
    `"ids":[${row?.ids ?? ''}]`,
    `"lon":[${row?.lon ?? ''}]`,
    `"lat":[${row?.lat ?? ''}]`,
    `"occurredMs":[${row?.occurred_ms ?? ''}]`,
    `"drill":[${drillIndexes(row?.drill ?? '')}]`,
  ];
  if (KEYED_LAYERS.has(layer)) columns.push(`"keys":[${row?.keys ?? ''}]`);
  return `{${columns.join(',')}}`;
}

/**
 * The points of the map layers for a unit's subtree (read by `MapPointsRepository`).
 *
 * The answer is MapPointsResponse as JSON text, its columns written by PostgreSQL (one row per
 * layer; ids are uuids, numbers are numbers, keys go through `to_json`). Parsing 55,000 rows
 * into objects and serialising them again took the api's event loop, which also serves every
 * console's socket, about 250 ms per console that opened; this takes it about 20 ms.
 */
@Injectable()
export class MapPointsService {
  constructor(private readonly repository: MapPointsRepository) {}

  async pointsJson(unit: UnitNode): Promise<string> {
    const rows = await this.repository.layers(unit.code);
    const byLayer = new Map(rows.map((row) => [row.layer, row]));
    const layers = MAP_POINT_LAYERS.map(
      (layer) => `${JSON.stringify(layer)}:${columnsJson(layer, byLayer.get(layer))}`,
    );
    return `{"unit":${JSON.stringify(unit.code)},"generatedAt":${JSON.stringify(new Date().toISOString())},"layers":{${layers.join(',')}}}`;
  }
}
