import { createServer } from 'node:http';
import type { AddressInfo, Server } from 'node:net';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { MapPointLayer, UnitsGeoJson } from '@frontline/contracts';
import { ARTIFACTS, assertConsoleBuilt, launchBrowser, signIn } from '../support/browser';
import { DEMO_PASSWORD, TestStack } from '../support/stack';
import { EventFactory } from '../support/factories';

/**
 * The console over a shift, in headless Chromium against a real api + worker, on a deployment
 * with its own basemap (FRONTLINE_BASEMAP_STYLE_URL, served by this test's own HTTP server):
 * the basemap, times in Vietnam time from a browser in another zone, urgent reports of the whole
 * jurisdiction (alarm, highlight, acknowledgement taking the point off the map), the video wall
 * (rotation, type size), the keyboard, contrast and the 1366x768 layout.
 */
interface MapTestHooks {
  map: {
    getStyle(): { layers: { id: string }[] };
  };
  renderedUnits(): string[];
  hasPoint(layer: MapPointLayer, id: string): Promise<boolean>;
  pointDrawn(layer: MapPointLayer, id: string): Promise<boolean>;
}
/** The page's globals as this file sees them (compiled without the DOM lib). */
type PageGlobal = {
  __frontlineMap?: MapTestHooks;
  document: PageDocument;
  getComputedStyle(element: PageElement): PageStyle;
  innerWidth: number;
  innerHeight: number;
};
type PageStyle = {
  fontSize: string;
  fontWeight: string;
  color: string;
  backgroundColor: string;
  visibility: string;
  outlineStyle: string;
  outlineWidth: string;
  boxShadow: string;
};
type PageElement = {
  tagName: string;
  id: string;
  className: unknown;
  textContent: string | null;
  parentElement: PageElement | null;
  childNodes: ArrayLike<{ nodeType: number; textContent: string | null }>;
  getClientRects(): ArrayLike<unknown>;
  getBoundingClientRect(): {
    left: number;
    top: number;
    right: number;
    bottom: number;
    width: number;
    height: number;
  };
  closest(selector: string): PageElement | null;
  getAttribute(name: string): string | null;
};
type PageDocument = {
  activeElement: PageElement | null;
  documentElement: { scrollWidth: number; scrollHeight: number };
  querySelector(selector: string): PageElement | null;
  querySelectorAll(selector: string): ArrayLike<PageElement>;
};

/** A small operator basemap: a background and a land polygon, with an attribution. */
const BASEMAP_STYLE = {
  version: 8,
  name: 'Test basemap',
  sources: {
    land: {
      type: 'geojson',
      attribution: 'Test basemap of the deployment',
      data: {
        type: 'Feature',
        properties: {},
        geometry: {
          type: 'Polygon',
          coordinates: [
            [
              [106, 20],
              [109, 20],
              [109, 22.5],
              [106, 22.5],
              [106, 20],
            ],
          ],
        },
      },
    },
  },
  layers: [
    { id: 'basemap-background', type: 'background', paint: { 'background-color': '#0d1a24' } },
    { id: 'basemap-land', type: 'fill', source: 'land', paint: { 'fill-color': '#16252f' } },
  ],
};

/** dd/MM/yyyy HH:mm:ss of `iso` in Vietnam (UTC+7, no daylight saving), computed by hand. */
function vietnamTime(iso: string): string {
  const d = new Date(Date.parse(iso) + 7 * 3600_000);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(d.getUTCDate())}/${two(d.getUTCMonth() + 1)}/${d.getUTCFullYear()} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
}

describe('console (headless Chromium): a shift on the desk and on the wall', () => {
  let stack: TestStack;
  let styleServer: Server;
  let basemapOrigin = '';
  const styleRequests: string[] = [];
  let browser: Browser;
  let context: BrowserContext;
  let desk: Page;
  const outside: string[] = [];
  const labels = new Map<string, [number, number]>();

  const near = (code: string, dLat = 0.03, dLon = 0.03): [number, number] => {
    const label = labels.get(code);
    if (!label) throw new Error(`no label point for ${code}`);
    return [label[1] + dLat, label[0] + dLon];
  };
  const watch = (page: Page) => {
    page.on('request', (req) => {
      const url = req.url();
      if (url.startsWith('data:') || url.startsWith('blob:') || url.startsWith(stack.apiUrl))
        return;
      outside.push(url);
    });
  };
  const newPage = async (width = 1366, height = 768): Promise<Page> => {
    const page = await context.newPage();
    await page.setViewportSize({ width, height });
    watch(page);
    return page;
  };
  const mapReady = (page: Page) =>
    page.locator('[data-testid="map"][data-ready="true"]').waitFor({ timeout: 30_000 });
  const hooks = (page: Page) =>
    page.waitForFunction(() => !!(globalThis as unknown as PageGlobal).__frontlineMap);
  const hasPoint = (page: Page, layer: MapPointLayer, id: string) =>
    page.evaluate(
      ([l, i]) =>
        (globalThis as unknown as PageGlobal).__frontlineMap?.hasPoint(l as MapPointLayer, i) ??
        false,
      [layer, id],
    );

  beforeAll(async () => {
    assertConsoleBuilt();
    styleServer = createServer((req, res) => {
      styleRequests.push(req.url ?? '');
      if (req.url === '/style.json') {
        res.writeHead(200, {
          'content-type': 'application/json',
          'access-control-allow-origin': '*',
        });
        res.end(JSON.stringify(BASEMAP_STYLE));
        return;
      }
      res.writeHead(404, { 'access-control-allow-origin': '*' });
      res.end();
    });
    await new Promise<void>((resolve) => styleServer.listen(0, '127.0.0.1', resolve));
    basemapOrigin = `http://127.0.0.1:${(styleServer.address() as AddressInfo).port}`;
    stack = new TestStack({ env: { FRONTLINE_BASEMAP_STYLE_URL: `${basemapOrigin}/style.json` } });
    await stack.start();
    const geo = await stack.request('GET', '/api/v1/units/geo?root=22', 'province.duty');
    for (const feature of (geo.body as UnitsGeoJson).features) {
      if (feature.properties.label) labels.set(feature.properties.code, feature.properties.label);
    }
    browser = await launchBrowser();
    // The browser runs in New York; the console must still show Vietnam time.
    context = await browser.newContext({
      viewport: { width: 1366, height: 768 },
      timezoneId: 'America/New_York',
      locale: 'en-US',
    });
    desk = await newPage();
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    await new Promise((resolve) => styleServer?.close(resolve));
  });

  it("draws the units over the deployment's basemap (FRONTLINE_BASEMAP_STYLE_URL), with its attribution", async () => {
    const config = await stack.request('GET', '/api/v1/console-config', null);
    expect(config.body).toEqual({
      basemapStyleUrl: `${basemapOrigin}/style.json`,
      timeZone: 'Asia/Ho_Chi_Minh',
    });
    await signIn(desk, stack.apiUrl, 'province.duty', DEMO_PASSWORD, '/?testHooks=1');
    await mapReady(desk);
    expect(styleRequests).toContain('/style.json');
    const drawn = await desk.evaluate(() => {
      const map = (globalThis as unknown as PageGlobal).__frontlineMap!;
      return { layers: map.map.getStyle().layers.map((l) => l.id), units: map.renderedUnits() };
    });
    expect(drawn.layers.slice(0, 2)).toEqual(['basemap-background', 'basemap-land']);
    expect(drawn.layers.length).toBeGreaterThan(10); // the console's own layers on top
    expect(drawn.units).toHaveLength(13);
    expect(await desk.locator('.maplibregl-ctrl-attrib').innerText()).toContain(
      'Test basemap of the deployment',
    );
    await desk.screenshot({ path: join(ARTIFACTS, 'console-shift-basemap.png') });
  });

  it('shows times in Vietnam time (console-config timeZone), dd/MM/yyyy, in a browser set to New York', async () => {
    const offset = await desk.evaluate(() => new Date('2026-12-02T12:00:00Z').getTimezoneOffset());
    expect(offset).toBe(300); // the browser's own zone is UTC-5
    // An hour ago, at a whole second: shown as Vietnam's wall-clock time, not New York's.
    const occurredAt = new Date(Date.now() - 60 * 60_000);
    occurredAt.setUTCMilliseconds(0);
    const event = EventFactory.caseConfirmed()
      .inUnit('193')
      .at(...near('193'))
      .with({ occurredAt: occurredAt.toISOString() })
      .build();
    await stack.postEvents('province.duty', [event]);
    const item = desk.locator(`[data-testid="feed-item"][data-event-id="${event.id}"]`);
    await item.waitFor({ timeout: 2000 });
    expect(await item.locator('time').innerText()).toBe(vietnamTime(event.occurredAt));
    // The clock of the "as of" line is Vietnam time as well (HH:mm:ss of today in Vietnam).
    expect(await desk.getByTestId('counters-as-of').innerText()).toContain(
      vietnamTime(new Date().toISOString()).slice(0, 10),
    );
  });

  it('rings for an urgent report anywhere in the jurisdiction and keeps it highlighted whatever unit is in view; acknowledging takes it off the map', async () => {
    await desk.goto(`${stack.apiUrl}/?unit=194&testHooks=1`);
    await desk
      .locator('[data-testid="connection-status"][data-state="live"]')
      .waitFor({ timeout: 15_000 });
    await desk.locator('[data-testid="console"][data-view-unit="194"]').waitFor();
    await mapReady(desk);
    // A click allows sound (browsers need a gesture); the ring counter counts either way.
    await desk.getByTestId('feed-filter-all').click();
    const rings = async () =>
      Number(await desk.getByTestId('sound-toggle').getAttribute('data-rings'));
    const before = await rings();

    // In Hạ Long (193) while Móng Cái (194) is in view.
    const report = EventFactory.reportReceived('suspected-case')
      .inUnit('193')
      .at(...near('193', -0.02, 0.05))
      .build();
    await stack.postEvents('province.duty', [report]);
    const strip = desk.locator(`[data-testid="unacked-item"][data-event-id="${report.id}"]`);
    await strip.waitFor({ timeout: 2000 });
    expect(await rings()).toBeGreaterThan(before);
    // The feed stays scoped to Móng Cái; the report is listed above it until acknowledged.
    expect(
      await desk.locator(`[data-testid="feed-item"][data-event-id="${report.id}"]`).count(),
    ).toBe(0);

    // Drilling to another district (no reload: the same socket) keeps it listed.
    await desk.evaluate(() => {
      const w = globalThis as unknown as {
        history: { pushState(data: unknown, title: string, url: string): void };
        dispatchEvent(event: unknown): void;
        PopStateEvent: new (type: string) => unknown;
      };
      w.history.pushState(null, '', '/?unit=195&testHooks=1');
      w.dispatchEvent(new w.PopStateEvent('popstate'));
    });
    await desk.locator('[data-testid="console"][data-view-unit="195"]').waitFor({ timeout: 5000 });
    // It must persist: look again once the new unit's snapshot has had time to land.
    await desk.waitForTimeout(3000);
    expect(await strip.count()).toBe(1);

    // A reload in another district keeps it (the jurisdiction's snapshot lists it).
    await desk.goto(`${stack.apiUrl}/?unit=196&testHooks=1`);
    await desk
      .locator('[data-testid="console"][data-view-unit="196"]')
      .waitFor({ timeout: 15_000 });
    await strip.waitFor({ timeout: 10_000 });

    // At the province, the report is on the map; acknowledged, it leaves the map and the list.
    await desk.getByTestId('breadcrumb-22').click();
    await desk.locator('[data-testid="console"][data-view-unit="22"]').waitFor({ timeout: 5000 });
    await hooks(desk);
    await desk.waitForFunction(
      async (id) =>
        (await (globalThis as unknown as PageGlobal).__frontlineMap?.hasPoint('reports', id)) ??
        false,
      report.id,
      { timeout: 10_000 },
    );
    await desk
      .locator(`[data-testid="feed-item"][data-event-id="${report.id}"][data-unacked="true"]`)
      .waitFor();
    await strip.getByTestId('acknowledge').click();
    await strip.waitFor({ state: 'detached', timeout: 5000 });
    // Once the acknowledgement has come back live, the point leaves the map and stays off.
    await desk
      .locator(`[data-testid="feed-item"][data-event-id="${report.id}"][data-unacked="false"]`)
      .waitFor();
    const offMap = () =>
      desk.waitForFunction(
        async (id) =>
          !(
            (await (globalThis as unknown as PageGlobal).__frontlineMap?.hasPoint('reports', id)) ??
            true
          ),
        report.id,
        { timeout: 5000 },
      );
    await offMap();
    await desk.waitForTimeout(1000);
    expect(await hasPoint(desk, 'reports', report.id)).toBe(false);
  });

  it('is usable from the keyboard: skip link to the feed, an item opened and closed with Enter', async () => {
    await desk.goto(`${stack.apiUrl}/?testHooks=1`);
    await desk
      .locator('[data-testid="connection-status"][data-state="live"]')
      .waitFor({ timeout: 15_000 });
    await desk.locator('[data-testid="feed-item"]').first().waitFor({ timeout: 10_000 });
    await desk.keyboard.press('Tab');
    const focused = () =>
      desk.evaluate(() => {
        const g = globalThis as unknown as PageGlobal;
        const el = g.document.activeElement;
        if (!el) return null;
        const style = g.getComputedStyle(el);
        return {
          tag: el.tagName,
          id: el.id,
          href: el.getAttribute('href'),
          inFeedItem: !!el.closest('[data-testid="feed-item"]'),
          ring: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0,
        };
      });
    expect(await focused()).toMatchObject({ tag: 'A', href: '#feed', ring: true });
    await desk.keyboard.press('Enter');
    expect((await focused())?.id).toBe('feed');
    let reached = false;
    for (let i = 0; i < 40 && !reached; i++) {
      await desk.keyboard.press('Tab');
      const f = await focused();
      reached = f?.inFeedItem === true;
      if (reached) expect(f?.ring).toBe(true);
    }
    expect(reached).toBe(true);
    await desk.keyboard.press('Enter');
    await desk.getByTestId('event-detail').waitFor({ timeout: 5000 });
    await desk.getByTestId('detail-close').focus();
    await desk.keyboard.press('Enter');
    await desk.getByTestId('event-detail').waitFor({ state: 'detached', timeout: 5000 });
  });

  it('fits a 1366x768 laptop with readable contrast (WCAG AA) for every text on the desk', async () => {
    await desk.goto(`${stack.apiUrl}/?testHooks=1`);
    await mapReady(desk);
    await desk.locator('[data-testid="feed-item"]').first().waitFor({ timeout: 10_000 });
    const layout = await desk.evaluate(() => {
      const g = globalThis as unknown as PageGlobal;
      const box = (selector: string) => {
        const el = g.document.querySelector(selector);
        return el ? el.getBoundingClientRect() : null;
      };
      return {
        scrollWidth: g.document.documentElement.scrollWidth,
        scrollHeight: g.document.documentElement.scrollHeight,
        map: box('[data-testid="map"]'),
        feed: box('#feed'),
        figures: box('[data-testid="counters"]'),
      };
    });
    expect(layout.scrollWidth).toBeLessThanOrEqual(1366);
    expect(layout.scrollHeight).toBeLessThanOrEqual(768);
    for (const part of [layout.map, layout.feed, layout.figures]) {
      expect(part).not.toBeNull();
      expect(part!.width).toBeGreaterThan(200);
      expect(part!.right).toBeLessThanOrEqual(1366);
      expect(part!.top).toBeLessThan(768);
    }
    const failures = await desk.evaluate(contrastFailures);
    expect(failures).toEqual([]);
    await desk.screenshot({ path: join(ARTIFACTS, 'console-shift-desk-1366.png') });
  });

  it('rotates the wall between the province and the districts with recent activity (?rotate=3)', async () => {
    // Recent activity in two districts (the earlier tests added some in Hạ Long too).
    await stack.postEvents('province.duty', [
      EventFactory.caseConfirmed()
        .inUnit('194')
        .at(...near('194'))
        .build(),
      EventFactory.caseConfirmed()
        .inUnit('196')
        .at(...near('196'))
        .build(),
    ]);
    const wall = await newPage(1920, 1080);
    await wall.goto(`${stack.apiUrl}/wall?rotate=3&testHooks=1`);
    await wall.locator('[data-testid="wall"][data-unit="22"]').waitFor({ timeout: 15_000 });
    expect(new URL(wall.url()).searchParams.get('rotate')).toBe('3');
    // Children figures are refetched as events arrive; the rotation picks the districts up.
    const seen = new Set<string>();
    const deadline = Date.now() + 40_000;
    while (Date.now() < deadline && !(seen.has('194') && seen.has('196') && seen.has('22'))) {
      const unit = await wall.getByTestId('wall').getAttribute('data-unit');
      if (unit) seen.add(unit);
      await wall.waitForTimeout(250);
    }
    expect([...seen]).toEqual(expect.arrayContaining(['22', '194', '196']));
    // The map follows the unit shown (read together: the rotation moves on every 3 s).
    const pair = await wall.evaluate(() => {
      const d = (globalThis as unknown as PageGlobal).document;
      return [
        d.querySelector('[data-testid="wall"]')?.getAttribute('data-unit'),
        d.querySelector('[data-testid="map"]')?.getAttribute('data-view-unit'),
      ];
    });
    expect(pair[0]).toBe(pair[1]);
    expect(await wall.getByTestId('wall-next').innerText()).not.toBe('');
    await wall.screenshot({ path: join(ARTIFACTS, 'console-shift-wall-rotation.png') });
    await wall.close();
  });

  it('writes every text of the wall at 24 px or more at 1080p (legend, figures, footer, attribution)', async () => {
    const wall = await newPage(1920, 1080);
    await wall.goto(`${stack.apiUrl}/wall?testHooks=1`);
    await wall.getByTestId('wall').waitFor({ timeout: 15_000 });
    // Not an arrival check: a first wall frame on a software renderer under load takes a while.
    await wall.locator('[data-testid="map"][data-ready="true"]').waitFor({ timeout: 60_000 });
    await wall.locator('[data-testid="counters"][data-stale="false"]').waitFor({ timeout: 10_000 });
    await wall.locator('.legend').waitFor();
    const small = await wall.evaluate(() => {
      const g = globalThis as unknown as PageGlobal;
      const out: string[] = [];
      const all = g.document.querySelectorAll('[data-testid="wall"] *');
      for (let i = 0; i < all.length; i++) {
        const el = all[i];
        const own = Array.from(el.childNodes).some(
          (n) => n.nodeType === 3 && (n.textContent ?? '').trim() !== '',
        );
        if (!own || el.getClientRects().length === 0) continue;
        const style = g.getComputedStyle(el);
        if (style.visibility === 'hidden' || el.closest('.visually-hidden')) continue;
        const size = parseFloat(style.fontSize);
        if (size < 24)
          out.push(
            `${el.tagName}.${String(el.className)} ${size}px "${(el.textContent ?? '').trim().slice(0, 30)}"`,
          );
      }
      return out;
    });
    expect(small).toEqual([]);
    expect(await wall.locator('.maplibregl-ctrl-attrib').innerText()).toContain(
      'Test basemap of the deployment',
    );
    expect(await wall.locator('[data-testid="wall"] button:visible').count()).toBe(0);
    await wall.screenshot({ path: join(ARTIFACTS, 'console-shift-wall-1080p.png') });
    await wall.close();
  });

  it('made no request to any host but its own origin and the configured basemap (its style only)', () => {
    const elsewhere = outside.filter((url) => !url.startsWith(`${basemapOrigin}/`));
    expect(elsewhere).toEqual([]);
    expect(new Set(outside.map((url) => new URL(url).pathname))).toEqual(new Set(['/style.json']));
  });
});

/**
 * Texts whose colour against their background is below WCAG AA (4.5:1, or 3:1 for large
 * text). Runs in the page: the background is the nearest opaque one among the ancestors.
 */
function contrastFailures(): string[] {
  const g = globalThis as unknown as PageGlobal;
  const parse = (css: string): [number, number, number, number] | null => {
    const m = /rgba?\(([\d.]+)[ ,]+([\d.]+)[ ,]+([\d.]+)(?:[ ,/]+([\d.]+))?\)/.exec(css);
    return m
      ? [Number(m[1]), Number(m[2]), Number(m[3]), m[4] === undefined ? 1 : Number(m[4])]
      : null;
  };
  const luminance = ([r, gr, b]: number[]) => {
    const lin = (c: number) => {
      const s = c / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    };
    return 0.2126 * lin(r) + 0.7152 * lin(gr) + 0.0722 * lin(b);
  };
  const background = (el: PageElement | null): number[] => {
    const layers: number[][] = [];
    for (let e = el; e; e = e.parentElement) {
      const c = parse(g.getComputedStyle(e).backgroundColor);
      if (c && c[3] > 0) {
        layers.push(c);
        if (c[3] >= 1) break;
      }
    }
    // Blend from the opaque one up (a page with no background counts as black: the console's is dark).
    let out = [0, 0, 0];
    for (const c of layers.reverse()) out = out.map((v, i) => v * (1 - c[3]) + c[i] * c[3]);
    return out;
  };
  const failures: string[] = [];
  const all = g.document.querySelectorAll('body *');
  for (let i = 0; i < all.length; i++) {
    const el = all[i];
    const own = Array.from(el.childNodes).some(
      (n) => n.nodeType === 3 && (n.textContent ?? '').trim() !== '',
    );
    if (!own || el.getClientRects().length === 0) continue;
    if (
      el.closest('.visually-hidden, .skip-link, [aria-hidden="true"], [disabled], .maplibregl-ctrl')
    )
      continue;
    const style = g.getComputedStyle(el);
    if (style.visibility === 'hidden') continue;
    const fg = parse(style.color);
    if (!fg) continue;
    const bg = background(el);
    const colour = fg.slice(0, 3).map((v, k) => v * fg[3] + bg[k] * (1 - fg[3]));
    const [l1, l2] = [luminance(colour), luminance(bg)].sort((a, b) => b - a);
    const ratio = (l1 + 0.05) / (l2 + 0.05);
    const size = parseFloat(style.fontSize);
    const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
    if (ratio < (large ? 3 : 4.5)) {
      failures.push(
        `${el.tagName}.${String(el.className)} ${ratio.toFixed(2)} "${(el.textContent ?? '').trim().slice(0, 30)}"`,
      );
    }
  }
  return failures;
}
