import type { Browser, BrowserContext, Page } from 'playwright-core';
import { join } from 'node:path';
import type { MapPointLayer, UnitsGeoJson } from '@frontline/contracts';
import {
  ARTIFACTS,
  assertConsoleBuilt,
  launchBrowser,
  recordOutsideRequests,
  signIn,
} from '../support/browser';
import { DEMO_PASSWORD, TestStack } from '../support/stack';
import { EventFactory } from '../support/factories';

/**
 * The operations console in headless Chromium against a real api + worker: the map of the
 * jurisdiction, live points and feed, drill-down, the URL, scoping, reconnect, drill mode,
 * acknowledgement across consoles, English, the video wall, and no request off the machine.
 * Two api instances: the first serves the consoles and is stopped to cut their socket, the
 * second takes events meanwhile.
 */
/** What the console exposes with ?testHooks=1 (apps/console/src/map/map-view.tsx). */
interface MapTestHooks {
  renderedUnits(): string[];
  renderedPoints(layer: MapPointLayer): string[];
  hasPoint(layer: MapPointLayer, id: string): Promise<boolean>;
  pointDrawn(layer: MapPointLayer, id: string): Promise<boolean>;
  placement(
    layer: MapPointLayer,
    id: string,
  ): Promise<{ kind: 'marker' } | { kind: 'cluster'; clusterId: number } | { kind: 'none' }>;
  map: {
    getZoom(): number;
    isMoving(): boolean;
    project(at: number[]): { x: number; y: number };
    queryRenderedFeatures(options: { layers: string[] }): {
      properties: Record<string, unknown>;
      geometry: { coordinates: number[] };
    }[];
  };
  unitScreenPoint(code: string): { x: number; y: number } | null;
  stats(): { eventsApplied: number; flushes: number; featuresSent: number };
}
/** The page's global object as the tests see it (this file is compiled without the DOM lib). */
type PageGlobal = {
  __frontlineMap: MapTestHooks;
  document: { body: unknown };
  getComputedStyle(element: unknown): { fontSize: string };
  localStorage: { getItem(key: string): string | null };
};

describe('console (headless Chromium): the situation map', () => {
  const stack = new TestStack({ apiInstances: 2 });
  let browser: Browser;
  let deskContext: BrowserContext;
  let desk: Page;
  const outside: string[] = [];
  /** Label points of the districts (where the map writes their names). */
  const labels = new Map<string, [number, number]>();

  /** A location inside `code`, away from its label (so a click on the label hits the unit). */
  const near = (code: string, dLat = 0.03, dLon = 0.03): [number, number] => {
    const label = labels.get(code);
    if (!label) throw new Error(`no label point for ${code}`);
    return [label[1] + dLat, label[0] + dLon];
  };

  const newDesk = async (context: BrowserContext, width = 1366, height = 768): Promise<Page> => {
    const page = await context.newPage();
    await page.setViewportSize({ width, height });
    recordOutsideRequests(page, stack.apiUrl, outside);
    return page;
  };
  const newContext = async (width = 1366, height = 768): Promise<BrowserContext> =>
    browser.newContext({ viewport: { width, height } });

  const mapReady = (page: Page) =>
    // Not an arrival check: a first frame at 4K on a software renderer can take a while.
    page.locator('[data-testid="map"][data-ready="true"]').waitFor({ timeout: 30_000 });
  const feedItem = (page: Page, id: string) =>
    page.locator(`[data-testid="feed-item"][data-event-id="${id}"]`);
  const onMap = (page: Page, layer: MapPointLayer, id: string, timeout = 2000) =>
    page.waitForFunction(
      async ([l, i]) => {
        // In the store, and drawn: as its own marker or inside a cluster on the screen.
        const hooks = (globalThis as unknown as Partial<PageGlobal>).__frontlineMap;
        return (
          !!hooks &&
          (await hooks.hasPoint(l as MapPointLayer, i)) &&
          (await hooks.pointDrawn(l as MapPointLayer, i))
        );
      },
      [layer, id],
      { timeout, polling: 50 },
    );

  beforeAll(async () => {
    assertConsoleBuilt();
    await stack.start();
    const geo = await stack.request('GET', '/api/v1/units/geo?root=22', 'province.duty');
    for (const feature of (geo.body as UnitsGeoJson).features) {
      if (feature.properties.label) labels.set(feature.properties.code, feature.properties.label);
    }
    browser = await launchBrowser();
    deskContext = await newContext();
    desk = await newDesk(deskContext);
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await stack.stop();
  });

  it('signs in and draws the province with its 13 districts, names in Vietnamese, dashed where approximate', async () => {
    const pointReads: string[] = [];
    desk.on('request', (request) => {
      if (request.url().includes('/api/v1/map/points')) pointReads.push(request.url());
    });
    // Layout shifts (the Layout Instability API): what moved on the page while it loaded.
    type Shift = {
      value: number;
      hadRecentInput: boolean;
      sources?: { node?: { className?: string } }[];
    };
    type ShiftObserver = new (callback: (list: { getEntries(): Shift[] }) => void) => {
      observe(options: { type: string; buffered: boolean }): void;
    };
    await desk.addInitScript(() => {
      const g = globalThis as unknown as { __shifts: string[]; PerformanceObserver: ShiftObserver };
      g.__shifts = [];
      new g.PerformanceObserver((list) => {
        for (const entry of list.getEntries()) {
          // Shifts under 0.01 (a card growing by a line) are not what an officer sees as a jump.
          if (entry.hadRecentInput || entry.value < 0.01) continue;
          const moved = (entry.sources ?? []).map((s) => s.node?.className ?? '?').join(' + ');
          g.__shifts.push(`${entry.value.toFixed(3)} ${moved}`);
        }
      }).observe({ type: 'layout-shift', buffered: true });
    });
    await signIn(desk, stack.apiUrl, 'province.duty', DEMO_PASSWORD, '/?testHooks=1');
    await mapReady(desk);
    // Nothing moved while the console loaded: the figures bar keeps its height as the figures
    // and the trend arrive, and the first sync shows no banner (the header says it).
    expect(
      await desk.evaluate(() => (globalThis as unknown as { __shifts: string[] }).__shifts),
    ).toEqual([]);
    // The points are read once: fetched by the point worker right after sign-in, and taken
    // from there when the console asks (not fetched a second time).
    expect(pointReads).toEqual([expect.stringMatching(/\/api\/v1\/map\/points\?unit=22$/)]);
    const units = await desk.evaluate(() =>
      (globalThis as unknown as PageGlobal).__frontlineMap.renderedUnits().sort(),
    );
    expect(units).toHaveLength(13);
    expect(units).toEqual(expect.arrayContaining(['193', '194', '207']));
    expect(await desk.getByTestId('breadcrumb-current').innerText()).toBe('Quảng Ninh');
    expect(await desk.getByTestId('header-role').getAttribute('data-role')).toBe('duty-officer');
    expect(await desk.getByTestId('header-unit').innerText()).toMatch(/Quảng Ninh/);
    await desk.getByTestId('legend-approx').waitFor();
    expect(new URL(desk.url()).searchParams.get('unit')).toBe('22');
  });

  it('shows events posted to the API on the map and in the feed within 2 seconds, and rings for an urgent report', async () => {
    const ringsBefore = Number(await desk.getByTestId('sound-toggle').getAttribute('data-rings'));
    const f0 = EventFactory.caseConfirmed()
      .inUnit('194')
      .at(...near('194'))
      .build();
    const f1 = EventFactory.contactIdentified(String(f0.payload.caseId))
      .inUnit('193')
      .at(...near('193'))
      .build();
    const report = EventFactory.reportReceived()
      .inUnit('195')
      .at(...near('195', -0.02, 0.04))
      .build();
    const posted = Date.now();
    await stack.postEvents('province.duty', [f0, f1, report]);
    await Promise.all([
      feedItem(desk, f0.id).waitFor({ timeout: 2000 }),
      feedItem(desk, f1.id).waitFor({ timeout: 2000 }),
      feedItem(desk, report.id).waitFor({ timeout: 2000 }),
      onMap(desk, 'f0', f0.id),
      onMap(desk, 'f1', f1.id),
      onMap(desk, 'reports', report.id),
    ]);
    expect(Date.now() - posted).toBeLessThan(2000);
    // The urgent report stays highlighted (feed and list above it) and the alarm rang.
    expect(await feedItem(desk, report.id).getAttribute('data-unacked')).toBe('true');
    await desk.locator(`[data-testid="unacked-item"][data-event-id="${report.id}"]`).waitFor();
    expect(
      Number(await desk.getByTestId('sound-toggle').getAttribute('data-rings')),
    ).toBeGreaterThan(ringsBefore);
    expect(await desk.content()).not.toContain('0912 345 678');
    // Live points reach the map in batches: far fewer source updates than events.
    const stats = await desk.evaluate(() =>
      (globalThis as unknown as PageGlobal).__frontlineMap.stats(),
    );
    expect(stats.eventsApplied).toBeGreaterThanOrEqual(3);
    await desk.screenshot({ path: join(ARTIFACTS, 'console-map-desk-1366.png') });
  });

  it('clusters nearby points at province zoom and splits them when the cluster is clicked', async () => {
    // Twelve F1 in a block of about 1 x 1.5 km in Móng Cái: one cluster at province zoom.
    const source = EventFactory.caseConfirmed().inUnit('194').build();
    const block = Array.from({ length: 12 }, (_, i) =>
      EventFactory.contactIdentified(String(source.payload.caseId))
        .inUnit('194')
        .at(...near('194', -0.05 + Math.floor(i / 4) * 0.004, -0.05 + (i % 4) * 0.004))
        .build(),
    );
    await stack.postEvents('province.duty', [source, ...block]);
    const context = await newContext();
    const page = await newDesk(context);
    await signIn(page, stack.apiUrl, 'province.duty', DEMO_PASSWORD, '/?testHooks=1');
    await mapReady(page);
    const placements = () =>
      page.evaluate(
        (ids) =>
          Promise.all(
            ids.map((id) =>
              (globalThis as unknown as PageGlobal).__frontlineMap.placement('f1', id),
            ),
          ),
        block.map((e) => e.id),
      );
    await page.waitForFunction(
      (id) =>
        (globalThis as unknown as PageGlobal).__frontlineMap
          .placement('f1', id)
          .then((p) => p.kind === 'cluster'),
      block[0].id,
      { timeout: 5000 },
    );
    const before = await placements();
    const cluster = before[0];
    if (cluster.kind !== 'cluster')
      throw new Error(
        `the block is not clustered: ${JSON.stringify(before)} at zoom ${await page.evaluate(() => (globalThis as unknown as PageGlobal).__frontlineMap.map.getZoom())}`,
      );
    expect(before.every((p) => p.kind === 'cluster')).toBe(true);
    const zoomBefore = await page.evaluate(() =>
      (globalThis as unknown as PageGlobal).__frontlineMap.map.getZoom(),
    );
    // Click the cluster where the map draws it.
    const at = await page.evaluate((clusterId) => {
      const map = (globalThis as unknown as PageGlobal).__frontlineMap.map;
      const hit = map
        .queryRenderedFeatures({ layers: ['fl-f1-clusters'] })
        .find((f) => f.properties.cluster_id === clusterId);
      if (!hit) return null;
      const p = map.project(hit.geometry.coordinates);
      return { x: p.x, y: p.y };
    }, cluster.clusterId);
    const box = await page.getByTestId('map').boundingBox();
    if (!at || !box) throw new Error('cluster not on screen');
    await page.mouse.click(box.x + at.x, box.y + at.y);
    // The map zooms to the cluster's points and they come apart.
    await page.waitForFunction(
      ([ids, zoom]) => {
        const hooks = (globalThis as unknown as PageGlobal).__frontlineMap;
        if (hooks.map.getZoom() < (zoom as number) + 1 || hooks.map.isMoving()) return false;
        return Promise.all((ids as string[]).map((id) => hooks.placement('f1', id))).then(
          (all) =>
            new Set(all.map((p) => (p.kind === 'cluster' ? `c${p.clusterId}` : p.kind))).size > 1 ||
            all.every((p) => p.kind === 'marker'),
        );
      },
      [block.map((e) => e.id), zoomBefore] as const,
      { timeout: 10_000 },
    );
    expect((await placements()).every((p) => p.kind !== 'none')).toBe(true);
    await page.screenshot({ path: join(ARTIFACTS, 'console-map-cluster-opened.png') });
    await context.close();
  });

  it('drills down by clicking a district: URL, breadcrumb, map and feed follow it', async () => {
    const box = await desk.getByTestId('map').boundingBox();
    const at = await desk.evaluate(() =>
      (globalThis as unknown as PageGlobal).__frontlineMap.unitScreenPoint('194'),
    );
    if (!box || !at) throw new Error('map or Móng Cái label not on screen');
    await desk.mouse.click(box.x + at.x, box.y + at.y);
    await desk.locator('[data-testid="console"][data-view-unit="194"]').waitFor({ timeout: 5000 });
    expect(new URL(desk.url()).searchParams.get('unit')).toBe('194');
    expect(await desk.getByTestId('breadcrumb-current').innerText()).toBe('Móng Cái');
    await desk.locator('[data-testid="map"][data-view-unit="194"]').waitFor();

    // The feed shows Móng Cái only; new events elsewhere stay out, Móng Cái's come in.
    const inside = EventFactory.caseConfirmed()
      .inUnit('194')
      .at(...near('194', -0.03, -0.02))
      .build();
    const elsewhere = EventFactory.caseConfirmed()
      .inUnit('193')
      .at(...near('193', -0.02, 0.02))
      .build();
    await stack.postEvents('province.duty', [elsewhere, inside]);
    await feedItem(desk, inside.id).waitFor({ timeout: 2000 });
    await onMap(desk, 'f0', inside.id);
    expect(await feedItem(desk, elsewhere.id).count()).toBe(0);
    expect(
      await desk.evaluate(
        (id) => (globalThis as unknown as PageGlobal).__frontlineMap.hasPoint('f0', id),
        elsewhere.id,
      ),
    ).toBe(false);
    await desk.screenshot({ path: join(ARTIFACTS, 'console-map-drilldown-mong-cai.png') });

    // Back up through the breadcrumb, and down again from the keyboard (units list).
    await desk.getByTestId('breadcrumb-22').click();
    await desk.locator('[data-testid="console"][data-view-unit="22"]').waitFor({ timeout: 5000 });
    const units = desk.getByTestId('units-list');
    if ((await units.getAttribute('open')) === null) await units.locator('summary').click();
    await desk.locator('[data-testid="unit-item"][data-code="193"]').focus();
    await desk.keyboard.press('Enter');
    await desk.locator('[data-testid="console"][data-view-unit="193"]').waitFor({ timeout: 5000 });
    await feedItem(desk, elsewhere.id).waitFor({ timeout: 5000 });
    await desk.goBack();
    await desk.locator('[data-testid="console"][data-view-unit="22"]').waitFor({ timeout: 5000 });
  });

  it('restores the view from a shared URL after a reload; a unit outside the jurisdiction falls back to home', async () => {
    await desk.goto(`${stack.apiUrl}/?unit=194&layers=f0,reports&mode=heat&testHooks=1`);
    await desk
      .locator('[data-testid="console"][data-view-unit="194"]')
      .waitFor({ timeout: 10_000 });
    await mapReady(desk);
    expect(await desk.getByTestId('layer-toggle-f0').getAttribute('aria-pressed')).toBe('true');
    expect(await desk.getByTestId('layer-toggle-f1').getAttribute('aria-pressed')).toBe('false');
    expect(await desk.getByTestId('mode-heat').getAttribute('aria-pressed')).toBe('true');
    expect(await desk.getByTestId('map').getAttribute('data-mode')).toBe('heat');

    const context = await newContext();
    const district = await newDesk(context);
    await signIn(district, stack.apiUrl, 'mong-cai.duty', DEMO_PASSWORD, '/?unit=193&testHooks=1');
    await district
      .locator('[data-testid="console"][data-view-unit="194"]')
      .waitFor({ timeout: 10_000 });
    expect(new URL(district.url()).searchParams.get('unit')).toBe('194');
    await context.close();

    await desk.goto(`${stack.apiUrl}/?testHooks=1`);
    await desk
      .locator('[data-testid="connection-status"][data-state="live"]')
      .waitFor({ timeout: 10_000 });
  });

  it("never shows a district account another district's events, on the map or in the feed", async () => {
    const context = await newContext();
    const district = await newDesk(context);
    await signIn(district, stack.apiUrl, 'mong-cai.duty', DEMO_PASSWORD, '/?testHooks=1');
    await mapReady(district);
    expect(
      await district.evaluate(() =>
        (globalThis as unknown as PageGlobal).__frontlineMap.renderedUnits(),
      ),
    ).toEqual(['194']);
    const theirs = EventFactory.caseConfirmed()
      .inUnit('193')
      .at(...near('193'))
      .build();
    const mine = EventFactory.caseConfirmed()
      .inUnit('194')
      .at(...near('194', 0.01, -0.03))
      .build();
    await stack.postEvents('province.duty', [theirs, mine]);
    await feedItem(district, mine.id).waitFor({ timeout: 2000 });
    await onMap(district, 'f0', mine.id);
    await district.waitForTimeout(500);
    expect(await feedItem(district, theirs.id).count()).toBe(0);
    expect(
      await district.evaluate(
        (id) => (globalThis as unknown as PageGlobal).__frontlineMap.hasPoint('f0', id),
        theirs.id,
      ),
    ).toBe(false);
    await context.close();
  });

  it('shows drill events only in drill mode, under a drill banner', async () => {
    const drill = EventFactory.caseConfirmed()
      .inUnit('196')
      .at(...near('196'))
      .asDrill()
      .build();
    const real = EventFactory.caseConfirmed()
      .inUnit('196')
      .at(...near('196', -0.02, -0.03))
      .build();
    await stack.postEvents('province.duty', [drill, real]);
    await feedItem(desk, real.id).waitFor({ timeout: 2000 });
    expect(await feedItem(desk, drill.id).count()).toBe(0);
    expect(await desk.getByTestId('drill-banner').count()).toBe(0);

    await desk.getByTestId('drill-toggle').click();
    await desk.getByTestId('drill-banner').waitFor();
    await feedItem(desk, drill.id).waitFor({ timeout: 2000 });
    expect(await feedItem(desk, drill.id).getAttribute('data-drill')).toBe('true');
    expect(new URL(desk.url()).searchParams.get('drill')).toBe('1');
    // Switching modes redraws the layers (not an arrival-latency check): allow the software renderer time.
    await onMap(desk, 'f0', drill.id, 6000);
    await desk.screenshot({ path: join(ARTIFACTS, 'console-map-drill-mode.png') });

    await desk.getByTestId('drill-toggle').click();
    await desk.getByTestId('drill-banner').waitFor({ state: 'detached' });
    expect(await feedItem(desk, drill.id).count()).toBe(0);
  });

  it('opens an event: personal data only with the note that the read was logged', async () => {
    const report = EventFactory.reportReceived()
      .inUnit('198')
      .at(...near('198'))
      .build();
    await stack.postEvents('province.duty', [report]);
    await feedItem(desk, report.id).locator('button').click();
    const detail = desk.getByTestId('event-detail');
    await detail.waitFor();
    await desk.getByTestId('detail-personal').waitFor({ timeout: 5000 });
    expect(await desk.getByTestId('detail-personal').innerText()).toContain('0912 345 678');
    await desk.getByTestId('personal-logged').waitFor();
    await desk.getByTestId('detail-close').click();
    await detail.waitFor({ state: 'detached' });
  });

  it('clears the highlight of an acknowledged urgent report in every console', async () => {
    const context = await newContext();
    const second = await newDesk(context);
    await signIn(second, stack.apiUrl, 'province.commander', DEMO_PASSWORD, '/?testHooks=1');
    const report = EventFactory.reportReceived()
      .inUnit('205')
      .at(...near('205'))
      .build();
    await stack.postEvents('province.duty', [report]);
    for (const page of [desk, second]) {
      await page
        .locator(`[data-testid="feed-item"][data-event-id="${report.id}"][data-unacked="true"]`)
        .waitFor({ timeout: 3000 });
    }
    // The highlight survives a reload (the snapshot lists the reports nobody acknowledged).
    await second.reload();
    await second
      .locator(`[data-testid="unacked-item"][data-event-id="${report.id}"]`)
      .waitFor({ timeout: 10_000 });
    await desk
      .locator(
        `[data-testid="unacked-item"][data-event-id="${report.id}"] [data-testid="acknowledge"]`,
      )
      .click();
    const acked = Date.now();
    await second
      .locator(`[data-testid="feed-item"][data-event-id="${report.id}"][data-unacked="false"]`)
      .waitFor({ timeout: 3000 });
    expect(Date.now() - acked).toBeLessThan(3000);
    expect(
      await second.locator(`[data-testid="unacked-item"][data-event-id="${report.id}"]`).count(),
    ).toBe(0);
    await context.close();
  });

  it('says "reconnecting" when its socket is cut, and shows what was sent meanwhile once back', async () => {
    await stack.apis[0].stop();
    await desk
      .locator('[data-testid="connection-status"][data-state="reconnecting"]')
      .waitFor({ timeout: 5000 });
    await desk.getByTestId('stale-banner').waitFor();
    await desk.screenshot({ path: join(ARTIFACTS, 'console-map-reconnecting.png') });
    const missed = EventFactory.caseConfirmed()
      .inUnit('193')
      .at(...near('193', 0.02, -0.04))
      .build();
    const res = await stack.request(
      'POST',
      '/api/v1/events',
      'province.duty',
      { events: [missed] },
      stack.apiUrls[1],
    );
    expect(res.status).toBe(202);
    await stack.apis[0].start();
    await desk
      .locator('[data-testid="connection-status"][data-state="live"]')
      .waitFor({ timeout: 15_000 });
    await feedItem(desk, missed.id).waitFor({ timeout: 3000 });
    await onMap(desk, 'f0', missed.id, 3000);
  });

  it('switches the whole console to English', async () => {
    const before = await desk.getByTestId('layer-panel').locator('summary').innerText();
    await desk.getByTestId('language-switch').click();
    await desk.locator('[data-testid="language-switch"][data-lang="en"]').waitFor();
    expect(await desk.getByTestId('layer-panel').locator('summary').innerText()).toBe('Map layers');
    expect(before).toBe('Lớp bản đồ');
    expect(await desk.getByTestId('logout').innerText()).toBe('Sign out');
    await desk.screenshot({ path: join(ARTIFACTS, 'console-map-english.png') });
    await desk.getByTestId('language-switch').click();
    await desk.locator('[data-testid="language-switch"][data-lang="vi"]').waitFor();
  });

  it('renders the desk at 4K and the video wall at 1080p and 4K: large type, no controls, Esc leaves', async () => {
    const big = await newDesk(deskContext, 3840, 2160);
    await big.goto(`${stack.apiUrl}/?testHooks=1`);
    await mapReady(big);
    await big.screenshot({ path: join(ARTIFACTS, 'console-map-desk-4k.png') });
    await big.close();

    for (const [width, height, minFont] of [
      [1920, 1080, 24],
      [3840, 2160, 48],
    ] as const) {
      const wall = await newDesk(deskContext, width, height);
      await wall.goto(`${stack.apiUrl}/wall?testHooks=1`);
      await wall.getByTestId('wall').waitFor({ timeout: 10_000 });
      await mapReady(wall);
      await wall
        .locator('[data-testid="counters"][data-stale="false"]')
        .waitFor({ timeout: 10_000 });
      const fontSize = await wall.evaluate(() => {
        const page = globalThis as unknown as PageGlobal;
        return parseFloat(page.getComputedStyle(page.document.body).fontSize);
      });
      expect(fontSize).toBeGreaterThanOrEqual(minFont);
      expect(await wall.locator('[data-testid="wall"] button:visible').count()).toBe(0);
      expect(await wall.getByTestId('wall-unit').innerText()).toBe('Quảng Ninh');
      await wall.screenshot({ path: join(ARTIFACTS, `console-wall-${width}x${height}.png`) });
      if (width === 1920) {
        await wall.keyboard.press('Escape');
        await wall.getByTestId('console').waitFor({ timeout: 5000 });
        expect(new URL(wall.url()).pathname).toBe('/');
      }
      await wall.close();
    }
  });

  it("warms up its map out of sight on the sign-in screen and shows that map once signed in; a field team's sign-in lets it go", async () => {
    type WarmGlobal = {
      __warmCanvas: unknown;
      document: {
        querySelector(selector: string): { style: { display: string } } | null;
        querySelectorAll(selector: string): ArrayLike<{ closest(selector: string): unknown }>;
        activeElement: { tagName: string; closest(selector: string): unknown } | null;
      };
      performance: { getEntriesByName(name: string): unknown[] };
    };
    const warmed = (page: Page) =>
      page.waitForFunction(
        () =>
          (globalThis as unknown as WarmGlobal).performance.getEntriesByName('map:warmed').length >
          0,
        undefined,
        { timeout: 30_000 },
      );
    const context = await newContext();
    const page = await newDesk(context);
    await page.goto(`${stack.apiUrl}/?testHooks=1`);
    await warmed(page);
    // Out of sight: the sign-in screen looks the same with and without the warm map under it.
    const corner = { x: 0, y: 0, width: 400, height: 300 };
    const withMap = await page.screenshot({ clip: corner });
    await page.evaluate(() => {
      (globalThis as unknown as WarmGlobal).document.querySelector('.map-host')!.style.display =
        'none';
    });
    const withoutMap = await page.screenshot({ clip: corner });
    await page.evaluate(() => {
      (globalThis as unknown as WarmGlobal).document.querySelector('.map-host')!.style.display = '';
    });
    expect(withMap.equals(withoutMap)).toBe(true);
    // Out of the tab order: the keyboard goes through the sign-in form only.
    const focused: string[] = [];
    for (let i = 0; i < 10; i++) {
      await page.keyboard.press('Tab');
      focused.push(
        await page.evaluate(() => {
          const active = (globalThis as unknown as WarmGlobal).document.activeElement;
          return active?.closest('.map-host') ? 'warm map' : (active?.tagName ?? '');
        }),
      );
    }
    expect(focused).not.toContain('warm map');
    await page.evaluate(() => {
      const g = globalThis as unknown as WarmGlobal;
      g.__warmCanvas = g.document.querySelector('.map-host canvas');
    });
    await page.getByTestId('login-username').fill('province.duty');
    await page.getByTestId('login-password').fill(DEMO_PASSWORD);
    await page.getByTestId('login-submit').click();
    await mapReady(page);
    // The console draws on the very canvas (and WebGL context) warmed up before: one map.
    expect(
      await page.evaluate(() => {
        const g = globalThis as unknown as WarmGlobal;
        const canvases = g.document.querySelectorAll('canvas.maplibregl-canvas');
        return {
          maps: canvases.length,
          warmed: canvases[0] === g.__warmCanvas,
          inPanel: !!canvases[0]?.closest('[data-testid="map"]'),
        };
      }),
    ).toEqual({ maps: 1, warmed: true, inPanel: true });
    await context.close();

    // A field team signs in where the map warms up, and lands on its phone page without it.
    await stack.createAccount('field.warmup', 'field-team', '193');
    const fieldContext = await newContext();
    const field = await newDesk(fieldContext);
    await field.goto(`${stack.apiUrl}/`);
    await warmed(field);
    await field.getByTestId('login-username').fill('field.warmup');
    await field.getByTestId('login-password').fill(DEMO_PASSWORD);
    await field.getByTestId('login-submit').click();
    await field.getByTestId('field-screen').waitFor({ timeout: 15_000 });
    await field.waitForFunction(
      () =>
        (globalThis as unknown as WarmGlobal).document.querySelectorAll('.map-host, canvas')
          .length === 0,
      undefined,
      { timeout: 5000 },
    );
    await fieldContext.close();
  });

  it('signs out', async () => {
    await desk.getByTestId('logout').click();
    await desk.getByTestId('login-username').waitFor();
    expect(
      await desk.evaluate(() =>
        (globalThis as unknown as PageGlobal).localStorage.getItem('frontline.session'),
      ),
    ).toBeNull();
  });

  it('made no request to any host but its own origin (no tile, glyph, font or CDN request)', () => {
    expect(outside).toEqual([]);
  });
});
