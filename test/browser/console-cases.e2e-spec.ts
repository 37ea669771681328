import type { Browser, Page } from 'playwright-core';
import { join } from 'node:path';
import { ARTIFACTS, assertConsoleBuilt, launchBrowser, recordOutsideRequests, signIn } from '../support/browser';
import { createCase, daysAgo, personBody, seedChain, SeededChain } from '../support/cases';
import { DISTRICTS, LabResultFactory } from '../support/factories';
import { DEMO_PASSWORD, TestStack } from '../support/stack';

const MC = DISTRICTS.mongCai;

/**
 * The cases screen (/cases) in headless Chromium: a Móng Cái duty officer sees the F0 proposal a
 * positive antigen result makes for a contact of the district, confirms it, and sees the new F0's
 * tracing task appear in the case detail live; the tracing graph of a seeded chain groups contacts
 * by household / setting; a field-team member sees no name.
 */
describe('console cases and tracing (headless Chromium)', () => {
  const stack = new TestStack();
  let browser: Browser;
  let page: Page;
  let chain: SeededChain;
  let contact: { id: string; personId: string };
  let contactName: string;
  const outside: string[] = [];

  beforeAll(async () => {
    assertConsoleBuilt();
    await stack.start();
    await stack.createAccount('lab.mong-cai', 'lab', MC.code);
    chain = await seedChain(stack, MC.account, MC.code);
    // A contact of another F0 of the district, under monitoring: a positive for them is a proposal.
    const source = await createCase(stack, MC.account, { person: personBody(MC.code), classification: 'F0' });
    const person = personBody(MC.code);
    contactName = person.fullName as string;
    contact = await createCase(stack, MC.account, {
      person,
      classification: 'F1',
      sourceCaseId: source.id,
      exposure: { date: daysAgo(2), setting: 'household' },
      isolation: { kind: 'home' },
    });
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'vi-VN' });
    recordOutsideRequests(page, stack.apiUrl, outside);
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await stack.stop();
  });

  it('a positive antigen result for a contact shows an F0 proposal; confirming it opens a tracing task, live', async () => {
    await signIn(page, stack.apiUrl, MC.account, DEMO_PASSWORD, '/');
    await page.getByTestId('screens-menu').click();
    await page.getByTestId('cases-entry').click();
    await page.getByTestId('cases-screen').waitFor({ timeout: 15_000 });
    await page.locator('[data-testid="connection-status"][data-state="live"]').waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('cases-title').innerText()).toBe('Ca bệnh và truy vết');
    await page.getByTestId('case-row').first().waitFor({ timeout: 10_000 });
    // The list carries no names, for any role.
    expect(await page.getByTestId('case-list').innerText()).not.toContain('Người Thử Nghiệm');

    const result = await stack.request(
      'POST',
      '/api/v1/lab-results',
      'lab.mong-cai',
      LabResultFactory.antigen('positive').forPerson(contact.personId).inUnit(MC.code).build(),
    );
    expect(result.status).toBe(201);
    const proposal = page.locator(`[data-testid="case-proposal"][data-case-id="${contact.id}"]`);
    await proposal.waitFor({ timeout: 15_000 });
    await page.screenshot({ path: join(ARTIFACTS, 'console-cases-proposal.png') });

    // No reload from here on: the marker would be lost.
    await page.evaluate(() => ((globalThis as unknown as { noReload: boolean }).noReload = true));
    const confirm = proposal.getByTestId('case-proposal-confirm');
    expect(await confirm.innerText()).toBe('Xác nhận F0');
    await confirm.click();
    await proposal.waitFor({ state: 'detached', timeout: 10_000 });
    const confirmedAt = Date.now();

    await page.locator(`[data-testid="case-row"] [data-case-id="${contact.id}"]`).click();
    await page.locator(`[data-testid="case-detail"][data-case-id="${contact.id}"]`).waitFor({ timeout: 10_000 });
    await page
      .locator('[data-testid="case-tasks"] [data-testid="case-task"][data-task-type="tracing"][data-task-state="created"]')
      .waitFor({ timeout: 8_000 });
    expect(Date.now() - confirmedAt).toBeLessThan(8_000);
    expect(await page.getByTestId('case-task').count()).toBe(1);
    expect(await page.getByTestId('case-task').innerText()).toMatch(/Truy vết · Mới tạo/);
    expect(await page.evaluate(() => (globalThis as unknown as { noReload?: boolean }).noReload)).toBe(true);
    expect(new URL(page.url()).pathname).toBe(`/cases/${contact.id}`);
    // The case is an F0 now, its history kept; the duty officer sees the person (an audited read).
    await page.locator('[data-testid="case-detail"][data-classification="F0"]').waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('case-person-name').innerText()).toBe(contactName);
    expect(await page.locator('[data-testid="case-history-row"]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-to')))).toEqual(
      expect.arrayContaining(['F1:quarantined', 'F1:tested', 'F0:admitted']),
    );
    // Who made each change, by name (the lab that sent the result the case rules acted on, the
    // officer who confirmed), never an account id.
    expect(await page.getByTestId('case-history-actor').allInnerTexts()).not.toContainEqual(expect.stringMatching(/user:|[0-9a-f]{8}-[0-9a-f]{4}/));
    const nameOf = async (username: string) =>
      String((await stack.db.query(`SELECT display_name FROM users WHERE username = $1`, [username])).rows[0].display_name);
    const [officerName, labName] = [await nameOf(MC.account), await nameOf('lab.mong-cai')];
    expect(await page.getByTestId('case-history-actor').allInnerTexts()).toEqual(expect.arrayContaining([labName, officerName]));
    await page.locator('[data-testid="case-map"][data-ready="true"]').waitFor({ timeout: 15_000 });
    await page.screenshot({ path: join(ARTIFACTS, 'console-cases-detail.png') });
  });

  it('the tracing graph of the seeded chain renders, grouped by household / setting, and a group opens', async () => {
    await page.getByTestId('cases-nav-clusters').click();
    const cluster = page.getByTestId('cluster-row').first();
    await cluster.waitFor({ timeout: 10_000 });
    await cluster.getByTestId('cluster-open-graph').click();
    await page.getByTestId('tracing-graph').waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('graph-summary').innerText()).toMatch(/^43 ca, 42 liên kết/);

    // Grouped: the F0, its F1 in two groups (household, workplace), their F2 grouped under each.
    const nodes = page.getByTestId('graph-node');
    const groups = page.getByTestId('graph-group');
    expect(await nodes.count()).toBe(1);
    expect(await nodes.first().getAttribute('data-case-id')).toBe(chain.f0);
    expect(await groups.count()).toBe(4);
    const household = page.locator('[data-testid="graph-group"][data-setting="household"]');
    expect(await household.getAttribute('data-count')).toBe('6');
    expect(await household.locator('text').textContent()).toBe('F1 · Hộ gia đình · 6');
    await page.screenshot({ path: join(ARTIFACTS, 'console-cases-graph-grouped.png') });

    // Opening the household group: its 6 F1 and their 15 F2 (2 or 3 each, too few to group).
    await household.click();
    await page.waitForFunction(`document.querySelectorAll('[data-testid="graph-node"]').length === 22`, null, { timeout: 5_000 });
    expect(await page.locator('[data-testid="graph-node"][data-classification="F1"]').count()).toBe(6);
    expect(await groups.count()).toBe(2);

    // No grouping: every case of the chain.
    await page.getByTestId('graph-group-toggle').uncheck();
    await page.waitForFunction(`document.querySelectorAll('[data-testid="graph-node"]').length === 43`, null, { timeout: 5_000 });
    expect(await groups.count()).toBe(0);
    await page.screenshot({ path: join(ARTIFACTS, 'console-cases-graph.png') });
    // The graph holds no personal field.
    expect(await page.getByTestId('tracing-graph-view').innerText()).not.toContain('Người Thử Nghiệm');
  });

  it('names never appear for a role that may not see them (a lab account)', async () => {
    const labPage = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'vi-VN' });
    recordOutsideRequests(labPage, stack.apiUrl, outside);
    try {
      await signIn(labPage, stack.apiUrl, 'lab.mong-cai', DEMO_PASSWORD, `/cases/${contact.id}`);
      await labPage.locator(`[data-testid="case-detail"][data-case-id="${contact.id}"]`).waitFor({ timeout: 10_000 });
      await labPage.getByTestId('case-person-hidden').waitFor({ timeout: 5_000 });
      expect(await labPage.getByTestId('case-person').count()).toBe(0);
      expect(await labPage.locator('body').innerText()).not.toContain(contactName);
      await labPage.getByTestId('cases-nav-list').click();
      await labPage.getByTestId('case-row').first().waitFor({ timeout: 10_000 });
      expect(await labPage.locator('body').innerText()).not.toContain('Người Thử Nghiệm');
      await labPage.screenshot({ path: join(ARTIFACTS, 'console-cases-lab-account.png') });
    } finally {
      await labPage.close();
    }
    expect(outside).toEqual([]);
  });
});
