import { useSyncExternalStore } from 'react';
import type { MapPointLayer } from '@frontline/contracts';
import type { MapPointSource } from './point-store';

/** Points drawn per layer, re-rendering only the component that shows them (after each flush). */
export function usePointCounts(store: MapPointSource): Readonly<Record<MapPointLayer, number>> {
  return useSyncExternalStore(store.subscribe, store.getCounts);
}
