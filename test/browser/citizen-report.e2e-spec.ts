import type { Browser, Page } from 'playwright-core';
import { join } from 'node:path';
import { ARTIFACTS, launchBrowser, recordOutsideRequests } from '../support/browser';
import { DISTRICTS } from '../support/factories';
import { TestStack } from '../support/stack';

/**
 * The citizen report form (/bao-tin, no login) on a phone (360x640): a bad phone number comes
 * back as the API's field error next to the field, in Vietnamese; fixed, the report is accepted
 * with a reference the dispatchers find; too many reports get the 429 message; nothing is loaded
 * from another host.
 */
describe('citizen report form (headless Chromium, 360x640)', () => {
  const stack = new TestStack();
  const HERE = { latitude: 21.376, longitude: 107.878 }; // Móng Cái
  let browser: Browser;
  let page: Page;
  const outside: string[] = [];

  const publicForm = () => stack.count(`SELECT count(*) FROM event_log WHERE payload->>'channel' = 'public-form'`);

  beforeAll(async () => {
    await stack.start();
    browser = await launchBrowser();
    const context = await browser.newContext({
      viewport: { width: 360, height: 640 },
      isMobile: true,
      hasTouch: true,
      locale: 'vi-VN',
      geolocation: HERE,
      permissions: ['geolocation'],
    });
    page = await context.newPage();
    recordOutsideRequests(page, stack.apiUrl, outside);
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await stack.stop();
  });

  it('shows the field error for a bad phone, then accepts the fixed report with a reference', async () => {
    const response = await page.goto(`${stack.apiUrl}/report`);
    expect(new URL(page.url()).pathname).toBe('/bao-tin');
    // One small document (inline style and script): fine on slow 3G.
    expect((await response!.body()).length).toBeLessThan(40_000);
    expect(response!.headers()['cache-control']).toMatch(/max-age=/);
    expect(await page.locator('h1').innerText()).toBe('Báo tin cho Trung tâm Chỉ huy');
    // Districts of the province to pick from (names and codes only).
    expect(await page.locator(`[data-testid="report-unit"] option[value="${DISTRICTS.mongCai.code}"]`).innerText()).toBe('Móng Cái');

    await page.locator('label.cat', { hasText: 'Người nhập cảnh trái phép' }).tap();
    await page.getByTestId('report-description').fill('Có 3 người lạ đi qua đường mòn gần mốc 1300, khoảng 21 giờ');
    await page.getByTestId('report-phone').fill('gọi tôi');
    await page.getByTestId('report-unit').selectOption(DISTRICTS.mongCai.code);
    await page.getByTestId('report-locate').tap();
    await page.getByTestId('report-location').filter({ hasText: 'Đã lấy vị trí: 21.376, 107.878' }).waitFor({ timeout: 10_000 });

    await page.getByTestId('report-submit').tap();
    const phoneError = page.getByTestId('report-error-phone');
    await phoneError.filter({ hasText: /\S/ }).waitFor({ timeout: 10_000 });
    expect(await phoneError.innerText()).toBe('Số điện thoại không hợp lệ: 6 đến 20 chữ số.');
    expect(await page.getByTestId('report-phone').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByTestId('report-error-description').innerText()).toBe('');
    expect(await publicForm()).toBe(0);
    await page.screenshot({ path: join(ARTIFACTS, 'citizen-report-error.png'), fullPage: true });

    await page.getByTestId('report-phone').fill('0912 345 678');
    await page.getByTestId('report-submit').tap();
    const reference = page.getByTestId('report-reference');
    await page.getByTestId('report-done').waitFor({ timeout: 10_000 });
    const id = (await reference.getAttribute('data-id'))!;
    expect(await reference.innerText()).toBe(id.slice(0, 8).toUpperCase());
    await page.screenshot({ path: join(ARTIFACTS, 'citizen-report-done.png'), fullPage: true });

    // The dispatchers of the place see it; its phone is kept apart from the event.
    const report = await stack.request('GET', `/api/v1/dispatch/reports/${id}`, DISTRICTS.mongCai.account);
    expect(report.status).toBe(200);
    const { rows } = await stack.db.query(`SELECT type, unit_code, payload FROM event_log WHERE id = $1`, [id]);
    expect(rows[0]).toMatchObject({ type: 'report.received', unit_code: DISTRICTS.mongCai.code });
    expect(rows[0].payload).toMatchObject({ channel: 'public-form', category: 'illegal-entry' });
    expect(rows[0].payload.callerPhone).toBeUndefined();
    expect(await publicForm()).toBe(1);
  });

  it('places the report by a tap on the districts map (loaded only when asked for)', async () => {
    const { rows: seat } = await stack.db.query(
      `SELECT ST_X(label_point) AS lon, ST_Y(label_point) AS lat FROM admin_units WHERE code = $1`,
      [DISTRICTS.mongCai.code],
    );
    const { lon, lat } = seat[0] as { lon: number; lat: number };
    await page.goto(`${stack.apiUrl}/bao-tin`);
    expect(await page.getByTestId('report-map-svg').count()).toBe(0);
    await page.locator('label.cat', { hasText: 'Người nghi nhiễm Covid-19' }).tap();
    await page.getByTestId('report-description').fill('Một người ho, sốt cao ở khu chợ biên giới');
    const [mapResponse] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/bao-tin/ban-do.svg')),
      page.getByTestId('report-map-open').tap(),
    ]);
    expect((await mapResponse.body()).length).toBeLessThan(120_000);
    await page.getByTestId('report-map-svg').waitFor({ timeout: 10_000 });
    expect(await page.locator('[data-testid="report-map-svg"] path').count()).toBe(13);
    const spot = (await page.evaluate(
      `(() => { const m = document.querySelector('[data-testid="report-map-svg"] g').getScreenCTM();
        const p = new DOMPoint(${lon}, ${-lat}).matrixTransform(m); return { x: p.x, y: p.y }; })()`,
    )) as { x: number; y: number };
    await page.touchscreen.tap(spot.x, spot.y);
    await page.getByTestId('report-location').filter({ hasText: 'Đã chọn trên bản đồ' }).waitFor({ timeout: 5_000 });
    expect(await page.getByTestId('report-unit').inputValue()).toBe(DISTRICTS.mongCai.code);
    await page.screenshot({ path: join(ARTIFACTS, 'citizen-report-map.png'), fullPage: true });
    await page.getByTestId('report-submit').tap();
    await page.getByTestId('report-done').waitFor({ timeout: 10_000 });
    const id = (await page.getByTestId('report-reference').getAttribute('data-id'))!;
    const { rows } = await stack.db.query(
      `SELECT unit_code, ST_X(location) AS lon, ST_Y(location) AS lat FROM event_log WHERE id = $1`,
      [id],
    );
    expect(rows[0].unit_code).toBe(DISTRICTS.mongCai.code);
    expect(Math.abs(rows[0].lon - lon)).toBeLessThan(0.005);
    expect(Math.abs(rows[0].lat - lat)).toBeLessThan(0.005);
  });

  it('says when to try again after too many reports, in Vietnamese; switches to English', async () => {
    await page.goto(`${stack.apiUrl}/bao-tin`);
    // Spend this connection's allowance (5 at once, then one per 20 s).
    await page.evaluate(async () => {
      const body = JSON.stringify({ category: 'other', description: 'Thử giới hạn gửi', unit: '194' });
      for (let i = 0; i < 5; i++) {
        await fetch('/api/v1/public/reports', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
      }
    });
    await page.locator('label.cat', { hasText: 'Tụ tập đông người' }).tap();
    await page.getByTestId('report-description').fill('Khoảng 30 người tụ tập ở chợ đêm');
    await page.getByTestId('report-unit').selectOption(DISTRICTS.mongCai.code);
    await page.getByTestId('report-submit').tap();
    const alert = page.getByTestId('report-alert');
    await alert.filter({ hasText: /\S/ }).waitFor({ timeout: 10_000 });
    expect(await alert.innerText()).toMatch(/^Bạn gửi quá nhiều, vui lòng thử lại sau \d+ phút\.$/);

    await page.getByTestId('language-switch').tap();
    await page.waitForURL(/\/bao-tin\?lang=en$/);
    expect(await page.locator('h1').innerText()).toBe('Report to the command center');
    expect(outside).toEqual([]);
  });
});
