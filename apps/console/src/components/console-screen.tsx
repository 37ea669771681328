import type { FeedEvent, MapPointLayer } from '@frontline/contracts';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useAcknowledgeReport } from '../api/queries';
import { isUnauthorized } from '../api/client';
import { useI18n } from '../i18n/i18n';
import { POINT_LAYER_IDS, pointLayerDef } from '../map/layers';
import type { MapPoint } from '../map/map-view';
import type { Session } from '../session/session';
import { useView } from '../views/url-state';
import { useSituation } from '../views/use-situation';
import { WallScreen } from '../views/wall-screen';
import { RosterEntry } from '../roster/gap-notices';
import { DrillBanner } from './drill-banner';
import { EventDetail } from './event-detail';
import { FeedPanel } from './feed-panel';
import type { FeedFilter } from './feed-panel';
import { Figures } from './figures';
import { Header } from './header';
import { MapPanel } from './map-panel';
import { StaleBanner } from './stale-banner';

interface Props {
  session: Session;
  onLogout: () => void;
  /** The server refused the token: the session has expired or was revoked. */
  onUnauthorized: () => void;
}

/** Desk or wall, from the URL; both read the same situation. */
export function ConsoleScreen(props: Props) {
  const [view] = useView();
  return view.wall ? <WallScreen {...props} /> : <DeskScreen {...props} />;
}

function pointOf(event: FeedEvent | null | undefined): MapPoint | null {
  return event?.location
    ? { id: event.id, lon: event.location.lon, lat: event.location.lat }
    : null;
}

function DeskScreen({ session, onLogout, onUnauthorized }: Props) {
  const { t } = useI18n();
  const [view, setView] = useView();
  const s = useSituation(session, view.unit, view.drill, onUnauthorized);
  const { live, client } = s;

  // The URL always names the unit shown; one outside the jurisdiction becomes the home unit.
  useEffect(() => {
    if (s.unit !== null && view.unit !== s.unit) setView({ unit: s.unit }, { replace: true });
  }, [s.unit, view.unit, setView]);

  const [feedFilter, setFeedFilter] = useState<FeedFilter>('all');
  const [selected, setSelected] = useState<{ id: string; event: FeedEvent | null } | null>(null);
  const [focus, setFocus] = useState<MapPoint | null>(null);

  const selectUnit = useCallback(
    (code: string) => {
      setSelected(null);
      setFocus(null);
      setView({ unit: code });
    },
    [setView],
  );
  const selectEvent = useCallback((event: FeedEvent) => {
    setSelected({ id: event.id, event });
    setFocus(pointOf(event));
  }, []);
  const itemsById = useMemo(
    () => new Map(live.items.map((item) => [item.event.id, item.event])),
    [live.items],
  );
  const selectEventById = useCallback(
    (id: string) => {
      const event = itemsById.get(id) ?? s.unacknowledged.find((e) => e.id === id) ?? null;
      setSelected({ id, event });
      setFocus(pointOf(event));
    },
    [itemsById, s.unacknowledged],
  );

  // ---- acknowledgement ----------------------------------------------------------------------
  const acknowledge = useAcknowledgeReport(s.auth);
  const [acknowledging, setAcknowledging] = useState<ReadonlySet<string>>(new Set());
  const [ackFailed, setAckFailed] = useState<string | null>(null);
  const onAcknowledge = useCallback(
    (id: string, note?: string) => {
      setAckFailed(null);
      setAcknowledging((prev) => new Set(prev).add(id));
      acknowledge.mutate(
        { id, note },
        {
          onSuccess: () => client?.markAcknowledged(id),
          onError: (error) => {
            if (isUnauthorized(error)) onUnauthorized();
            else setAckFailed(id);
          },
          onSettled: () =>
            setAcknowledging((prev) => {
              const next = new Set(prev);
              next.delete(id);
              return next;
            }),
        },
      );
    },
    [acknowledge, client, onUnauthorized],
  );

  // ---- a figure shows its layer alone, on the map and in the feed ---------------------------
  const onlyLayer = view.layers.length === 1 ? view.layers[0] : null;
  const activeFigure =
    onlyLayer && pointLayerDef(onlyLayer).feedType === feedFilter ? onlyLayer : null;
  const filterByFigure = (layer: MapPointLayer | null) => {
    if (layer === null) {
      setView({ layers: POINT_LAYER_IDS });
      setFeedFilter('all');
    } else {
      setView({ layers: [layer] });
      setFeedFilter(pointLayerDef(layer).feedType);
    }
  };

  const unackedIds = useMemo(() => new Set(s.unacknowledged.map((e) => e.id)), [s.unacknowledged]);

  return (
    <div
      className={view.drill ? 'console is-drill' : 'console'}
      data-testid="console"
      data-view-unit={s.unit ?? ''}
    >
      <a className="skip-link" href="#feed">
        {t('app.skipToFeed')}
      </a>
      <a className="skip-link" href="#map">
        {t('app.skipToMap')}
      </a>
      <Header
        session={session}
        live={live}
        tree={s.tree}
        unit={s.unit}
        drill={view.drill}
        onSelectUnit={selectUnit}
        onToggleDrill={() => setView({ drill: !view.drill })}
        onOpenWall={() => setView({ wall: true }, { replace: false })}
        onLogout={onLogout}
      />
      <DrillBanner drill={view.drill} />
      <StaleBanner live={live} />
      <RosterEntry session={session} client={client} />
      <Figures
        live={live}
        unacknowledged={s.unacknowledgedInView.length}
        active={activeFigure}
        onFilter={filterByFigure}
        trend={s.trend.data}
        trendError={s.trend.isError}
      />
      <main className="workspace">
        <MapPanel
          situation={s}
          view={view}
          setView={setView}
          focus={focus}
          onSelectUnit={selectUnit}
          onSelectEvent={selectEventById}
        />
        <aside className="side">
          <FeedPanel
            items={s.items}
            loaded={live.loaded}
            units={s.tree}
            filter={feedFilter}
            onFilter={setFeedFilter}
            unacknowledged={s.unacknowledged}
            selectedId={selected?.id ?? null}
            onSelect={selectEvent}
            onAcknowledge={onAcknowledge}
            acknowledging={acknowledging}
          />
          {selected && (
            <EventDetail
              key={selected.id}
              auth={s.auth}
              id={selected.id}
              known={selected.event}
              units={s.tree}
              unacked={unackedIds.has(selected.id)}
              acknowledging={acknowledging.has(selected.id)}
              ackFailed={ackFailed === selected.id}
              onAcknowledge={onAcknowledge}
              onFlyTo={(event) => setFocus(pointOf(event))}
              onClose={() => {
                setSelected(null);
                setFocus(null);
              }}
            />
          )}
        </aside>
      </main>
    </div>
  );
}
