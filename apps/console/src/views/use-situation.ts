import { useEffect, useMemo, useState } from 'react';
import type { FeedEvent, UnitFeature } from '@frontline/contracts';
import {
  useChildrenFigures,
  useConsoleConfig,
  useMapPoints,
  useTrend,
  useUnits,
  useUnitsGeo,
} from '../api/queries';
import type { Auth } from '../api/queries';
import { isUnauthorized } from '../api/client';
import type { MapPointSource } from '../map/point-store';
import { WorkerPointStore } from '../map/point-store-client';
import { mergeUnits } from '../map/style';
import type { MapPoint } from '../map/map-view';
import { inUnit } from '../lib/unit-path';
import type { FeedItem, LiveState } from '../realtime/feed-state';
import { useLiveFeed } from '../realtime/use-live-feed';
import type { LiveClient } from '../realtime/live-client';
import type { Session } from '../session/session';
import type { UnitTree } from '../lib/unit-tree';

export interface Situation {
  auth: Auth;
  tree: UnitTree | undefined;
  /** The unit in view (checked against the jurisdiction); null while the jurisdiction loads. */
  unit: string | null;
  /** True when the requested unit is outside the jurisdiction (the home unit is shown). */
  fellBack: boolean;
  live: LiveState;
  client: LiveClient | null;
  /** Feed items and highlights as this console shows them (drill events only in drill mode). */
  items: readonly FeedItem[];
  /** Urgent reports nobody acknowledged in the whole jurisdiction (drill ones in drill mode). */
  unacknowledged: readonly FeedEvent[];
  /** The same, of the unit in view only (its figure). */
  unacknowledgedInView: readonly FeedEvent[];
  basemapStyleUrl: string | null;
  configLoaded: boolean;
  geo: readonly UnitFeature[];
  geoError: boolean;
  children: ReturnType<typeof useChildrenFigures>;
  trend: ReturnType<typeof useTrend>;
  pointsError: boolean;
  store: MapPointSource;
}

/**
 * Everything a screen (desk or wall) shows about one unit of the jurisdiction: the live state
 * (one socket per user), the REST resources (one query hook each), the map's point store fed
 * in batches. The alarm belongs to the session shell (it rings on every screen).
 */
export function useSituation(
  session: Session,
  requestedUnit: string | null,
  drill: boolean,
  onUnauthorized: () => void,
): Situation {
  const { accessToken: token, user } = session;
  const home = user.unit.code;
  const auth = useMemo<Auth>(
    () => ({ token, username: user.username, home }),
    [token, user.username, home],
  );

  const units = useUnits(auth);
  const tree = units.data;
  const treeSettled = units.isSuccess || units.isError;
  const wanted = requestedUnit ?? home;
  const unit = !treeSettled ? null : tree?.has(wanted) ? wanted : home;
  const fellBack = treeSettled && unit !== wanted;

  useEffect(() => {
    if (isUnauthorized(units.error)) onUnauthorized();
  }, [units.error, onUnauthorized]);

  const { live, client } = useLiveFeed(unit);

  const config = useConsoleConfig();
  // The home unit's shapes do not wait for the tree: the map fits them first.
  const homeGeo = useUnitsGeo(auth, home);
  const viewGeo = useUnitsGeo(auth, unit === null || unit === home ? null : unit);
  const geo = useMemo(() => mergeUnits(homeGeo.data, viewGeo.data), [homeGeo.data, viewGeo.data]);
  const children = useChildrenFigures(auth, unit);
  const trend = useTrend(auth, unit);
  // ---- the point store (in its worker): reset per unit, base from REST, live events in batches
  // The base (the biggest read) is asked for at once, for the unit the URL names, while the
  // unit tree that checks it loads; the api refuses a unit outside the jurisdiction anyway,
  // and a unit the tree then turns down is replaced by the home unit's base.
  const [store] = useState(() => new WorkerPointStore());
  useEffect(() => () => store.dispose(), [store]);
  const pointsUnit = treeSettled ? unit : wanted;
  const points = useMapPoints(auth, pointsUnit, store.loadBase);
  useEffect(() => {
    if (pointsUnit === null) return;
    store.reset(pointsUnit);
    if (client) store.addEvents(client.recentEvents());
  }, [store, pointsUnit, client]);
  useEffect(() => store.setDrillMode(drill), [store, drill]);
  useEffect(() => {
    if (!client) return;
    return client.subscribeEvents((events) => store.addEvents(events));
  }, [store, client]);

  const items = useMemo(
    () => (drill ? live.items : live.items.filter((item) => !item.event.drill)),
    [live.items, drill],
  );
  const unacknowledged = useMemo(
    () => (drill ? live.unacknowledged : live.unacknowledged.filter((event) => !event.drill)),
    [live.unacknowledged, drill],
  );
  const unacknowledgedInView = useMemo(
    () => (unit === null ? [] : unacknowledged.filter((event) => inUnit(event, unit))),
    [unacknowledged, unit],
  );

  return {
    auth,
    tree,
    unit,
    fellBack,
    live,
    client,
    items,
    unacknowledged,
    unacknowledgedInView,
    basemapStyleUrl: config.data?.basemapStyleUrl ?? null,
    configLoaded: !config.isPending,
    geo,
    geoError: homeGeo.isError,
    children,
    trend,
    pointsError: unit !== null && points.isError,
    store,
  };
}

/** Where the urgent reports nobody acknowledged are, for the map's rings. */
export function alertPoints(events: readonly FeedEvent[]): MapPoint[] {
  const points: MapPoint[] = [];
  for (const event of events) {
    if (event.location)
      points.push({ id: event.id, lon: event.location.lon, lat: event.location.lat });
  }
  return points;
}

/** The measure values (F0 in 7 days) of the children of the unit in view, by code. */
export function f0Figures(children: Situation['children']['data']): ReadonlyMap<string, number> {
  return new Map(
    (children?.children ?? []).map((child) => [child.code, child.counters.f0Last7Days]),
  );
}
