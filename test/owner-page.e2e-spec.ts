import { ChildProcess, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Browser, BrowserContext, Page } from 'playwright-core';
import { CHROMIUM, launchChromium } from './support/chromium';
import { freePort, spawnServer, stopServer, waitForHealth } from '../scripts/support/server-process';
import { formatLocal, localParts } from '../web/src/time';
import { FIXTURE, ROOT } from './support/test-app';
import { TestDatabase } from './support/test-database';

const KEY = 'owner-page-key';
const AS_OF = '2023-03-13T15:00:00Z';
/** Screenshots go to docs/ with OWNER_PAGE_SCREENSHOTS=docs (the README shows them), else to the temp folder. */
const SHOTS = process.env.OWNER_PAGE_SCREENSHOTS === 'docs' ? join(ROOT, 'docs') : tmpdir();
/** Stores of the DST fixture with several incidents, some on the day of the US change (2023-03-12, 23 hours) and some overnight. */
const DST_STORES = ['3755841199911399255', '2a7c1880-6a37-5391-5c76-f18a0585a01c', '3668369233605212684'];

/**
 * The owner's page (served at /) in a real headless Chromium, against the built server
 * (`node dist/src/main.js`, as `npm start` runs it) with API_KEY set, fed with a generated feed
 * (the `seed` command's) and the DST fixture. The page only draws what the API answers: these
 * tests hold what it shows to the API's own answers. SQLite only: the page speaks HTTP, and
 * the API's answers on both databases are held equal by the API's suites.
 */
describe("the owner's page", () => {
  const db = new TestDatabase('sqlite', 'page');
  const feedDir = mkdtempSync(join(tmpdir(), 'sm-page-feed-'));
  let server: ChildProcess;
  let base: string;
  let log = '';
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  /** Every console error and uncaught exception of the main page, for the last test. */
  const problems: string[] = [];

  const api = async (path: string, init: RequestInit = {}) => {
    const response = await fetch(`${base}${path}`, { ...init, headers: { ...init.headers, 'x-api-key': KEY } });
    if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
    return response;
  };
  const importFiles = async (files: Record<string, Buffer>) => {
    const form = new FormData();
    for (const [field, content] of Object.entries(files)) form.append(field, new Blob([content]), `${field}.csv`);
    return (await api('/import', { method: 'POST', body: form })).json();
  };
  const watch = (p: Page, into: string[]) => {
    p.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') into.push(`${m.type()}: ${m.text()}`);
    });
    p.on('pageerror', (e) => into.push(`pageerror: ${e.message}`));
    p.on('requestfailed', (r) => into.push(`requestfailed: ${r.url()}`));
    p.on('request', (r) => {
      if (!r.url().startsWith(base) && !r.url().startsWith('blob:') && !r.url().startsWith('data:'))
        into.push(`outside request: ${r.url()}`);
    });
  };
  /** Opens the page in a context of its own and gives the key, as an owner would. */
  const signIn = async (p: Page, hash = '') => {
    await p.goto(`${base}/${hash}`);
    await p.fill('#api-key', KEY);
    await p.press('#api-key', 'Enter');
    await p.waitForSelector('#key-panel', { state: 'hidden' });
  };

  beforeAll(async () => {
    expect(existsSync(CHROMIUM)).toBe(true); // `apt-get install chromium` (done by .ci/run)
    expect(existsSync(join(ROOT, 'dist', 'web', 'web', 'src', 'main.js'))).toBe(true); // npm run build
    // A generated feed (the seed command's), ending where the fixture's does, and the fixture.
    const seeded = spawnSync(
      process.execPath,
      [
        join(ROOT, 'dist', 'src', 'cli.js'),
        'seed',
        '--stores',
        '150',
        '--days',
        '8',
        '--end',
        AS_OF,
        '--seed',
        'page',
        '--out',
        feedDir,
      ],
      { env: { ...process.env, DATABASE_URL: `sqlite:${join(feedDir, 'seed.db')}` }, encoding: 'utf8', timeout: 120_000 },
    );
    expect(seeded.stderr).not.toMatch(/error/i);
    expect(seeded.status).toBe(0);

    const port = await freePort();
    server = spawnServer({
      script: join(ROOT, 'dist', 'src', 'main.js'),
      port,
      env: { DATABASE_URL: db.url, API_KEY: KEY, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    server.stdout!.on('data', (d) => (log += d));
    server.stderr!.on('data', (d) => (log += d));
    base = `http://127.0.0.1:${port}`;
    await waitForHealth(server, port, 'page', { timeoutMs: 60_000 }).catch((error: Error) => {
      throw new Error(`server did not start (${error.message}):\n${log}`);
    });
    const generated = (name: string) =>
      readFileSync(
        join(
          feedDir,
          readdirSync(feedDir).find((f) => f.startsWith(name) && f.endsWith('.csv'))!,
        ),
      );
    await importFiles({
      polls: generated('store_status'),
      business_hours: generated('menu_hours'),
      timezones: generated('timezones'),
    });
    await importFiles({
      polls: readFileSync(FIXTURE.polls),
      business_hours: readFileSync(FIXTURE.business_hours),
      timezones: readFileSync(FIXTURE.timezones),
    });

    browser = await launchChromium();
    // The browser in a zone far from every store's: the page must draw each store's days in the
    // store's own zone, whatever the browser's.
    context = await browser.newContext({
      viewport: { width: 1200, height: 900 },
      acceptDownloads: true,
      timezoneId: 'Pacific/Chatham',
    });
    page = await context.newPage();
    watch(page, problems);
    await signIn(page);
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    if (server) await stopServer(server, 'page');
    await db.drop();
    rmSync(feedDir, { recursive: true, force: true });
  });

  it('serves / and its files without a key, and the API still wants one', async () => {
    const index = await fetch(`${base}/`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toContain('text/html');
    expect(index.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(await index.text()).toContain('data-api-key="required"');
    expect((await fetch(`${base}/ui/web/src/main.js`)).status).toBe(200);
    expect((await fetch(`${base}/ui/src/engine/utils/zone-offset.util.js`)).status).toBe(200);
    expect((await fetch(`${base}/ui/style.css`)).status).toBe(200);
    expect((await fetch(`${base}/docs`)).status).toBe(200);
    expect((await fetch(`${base}/reports`)).status).toBe(401);
    expect((await fetch(`${base}/ui/missing.js`)).status).toBe(404);
  });

  it('asks for the key with a password field, says plainly when it is wrong, and keeps a good one for the session', async () => {
    const own = await browser.newContext();
    const p = await own.newPage();
    const seen: string[] = [];
    watch(p, seen);
    try {
      await p.goto(`${base}/`);
      expect(await p.getAttribute('#api-key', 'type')).toBe('password');
      expect(await p.textContent('label[for="api-key"]')).toBe('API key');
      await p.fill('#api-key', 'not-the-key');
      await p.click('#key-form button[type="submit"]');
      await p.waitForFunction(() => (globalThis as any).document.querySelector('#key-error')?.textContent !== '');
      expect(await p.textContent('#key-error')).toBe('The service refused this API key (401). Check it and enter it again.');
      expect(await p.evaluate(() => (globalThis as any).sessionStorage.length)).toBe(0);
      await p.fill('#api-key', KEY);
      await p.press('#api-key', 'Enter');
      await p.waitForSelector('#key-panel', { state: 'hidden' });
      // The board's first answer in, so that the reload cuts no request of it short.
      await p.waitForSelector('#board-rows tr[data-store-id]');
      await p.reload();
      await p.waitForSelector('#view h1');
      expect(await p.isHidden('#key-panel')).toBe(true); // kept for the session
      // The one complaint of the browser is the refused key's 401 itself.
      expect(seen).toEqual([expect.stringMatching(/^error: Failed to load resource: .*401/)]);
    } finally {
      await own.close();
    }
  });

  it("shows the board's down rows exactly as GET /status lists them", async () => {
    const status = (await (await api('/status?state=down&limit=500')).json()) as any;
    expect(status.stores.length).toBeGreaterThan(0);
    await page.goto(`${base}/#/?state=down&limit=500`);
    await page.waitForSelector('#board-rows tr[data-store-id]');
    const rows = await page.$$eval('#board-rows tr[data-store-id]', (trs) =>
      trs.map((tr) => [tr.getAttribute('data-store-id'), tr.getAttribute('data-state')]),
    );
    expect(rows).toEqual(status.stores.map((s: any) => [s.store_id, 'down']));
    expect(await page.textContent('[data-count="down"]')).toBe(String(status.counts.down));
    await page.screenshot({ path: join(SHOTS, 'owner-page-board.png') });
  });

  it('lists every state on the board, down first, and filters by a store id prefix', async () => {
    const all = (await (await api('/status?limit=500')).json()) as any;
    await page.goto(`${base}/#/?limit=500`);
    await page.waitForSelector('#board-rows tr[data-store-id]');
    const rows = await page.$$eval('#board-rows tr[data-store-id]', (trs) => trs.map((tr) => tr.getAttribute('data-store-id')));
    expect(rows).toEqual(all.stores.map((s: any) => s.store_id));
    await page.fill('#board-q', '3755');
    await page.waitForFunction(() => (globalThis as any).document.querySelectorAll('#board-rows tr[data-store-id]').length === 1);
    expect(await page.getAttribute('#board-rows tr[data-store-id]', 'data-store-id')).toBe('3755841199911399255');
  });

  it('pages through the board with the cursors of GET /status', async () => {
    const first = (await (await api('/status?limit=25')).json()) as any;
    const second = (await (await api(`/status?limit=25&cursor=${encodeURIComponent(first.next_cursor)}`)).json()) as any;
    const ids = () => page.$$eval('#board-rows tr[data-store-id]', (trs) => trs.map((tr) => tr.getAttribute('data-store-id')));
    await page.goto(`${base}/#/?limit=25`);
    await page.waitForSelector('#board-rows tr[data-store-id]');
    expect(await ids()).toEqual(first.stores.map((s: any) => s.store_id));
    await page.click('text=Next →');
    await page.waitForFunction(
      (id) => (globalThis as any).document.querySelector('#board-rows tr[data-store-id]')?.getAttribute('data-store-id') === id,
      second.stores[0].store_id,
    );
    expect(await ids()).toEqual(second.stores.map((s: any) => s.store_id));
    await page.click('text=← Previous');
    await page.waitForFunction(
      (id) => (globalThis as any).document.querySelector('#board-rows tr[data-store-id]')?.getAttribute('data-store-id') === id,
      first.stores[0].store_id,
    );
    expect(await ids()).toEqual(first.stores.map((s: any) => s.store_id));
  });

  it.each(DST_STORES)("shows store %s's week: exactly its incidents, each in the row of its local day", async (id) => {
    const view = (await (await api(`/stores/${id}?as_of=${AS_OF}`)).json()) as any;
    expect(view.incidents.length).toBeGreaterThan(2);
    await page.goto(`${base}/#/store/${id}?as_of=${AS_OF}`);
    await page.waitForSelector('#incident-list');
    const shown = await page.$$eval('[data-incident-start]', (els) =>
      els.map((el) => ({
        start: el.getAttribute('data-incident-start'),
        title: el.querySelector('title')?.textContent,
        ys: [...el.querySelectorAll('rect')].map((r) => r.getAttribute('y')),
      })),
    );
    expect(shown.map((s) => s.start)).toEqual(view.incidents.map((i: any) => i.start.utc));
    const rowY = Object.fromEntries(
      await page.$$eval('g.day', (days) =>
        days.map((d) => [d.getAttribute('data-date'), d.querySelector('rect.closed')!.getAttribute('y')]),
      ),
    );
    view.incidents.forEach((incident: any, i: number) => {
      expect(shown[i].title).toContain(formatLocal(incident.start.local));
      expect(shown[i].title).toContain(formatLocal(incident.end.local));
      // Its first piece is drawn in the row of the local date it starts on.
      expect(shown[i].ys[0]).toBe(rowY[localParts(incident.start.local).date]);
    });
    // The week has the day of the clocks' change, 23 hours long in US zones.
    const hours = await page.getAttribute('g.day[data-date="2023-03-12"]', 'data-hours');
    expect(hours).toBe(view.timezone.startsWith('America/') ? '23' : '24');
    const figures = await page.$$eval('table.figures td.num', (tds) => tds.map((td) => td.textContent));
    expect(figures).toEqual([
      `${view.uptime_last_hour.toFixed(2)} min`,
      `${view.uptime_last_day.toFixed(2)} h`,
      `${view.uptime_last_week.toFixed(2)} h`,
      `${view.downtime_last_hour.toFixed(2)} min`,
      `${view.downtime_last_day.toFixed(2)} h`,
      `${view.downtime_last_week.toFixed(2)} h`,
    ]);
    if (id === DST_STORES[0]) await page.screenshot({ path: join(SHOTS, 'owner-page-week.png'), fullPage: true });
  });

  it('opens a store from the board and moves its as_of a day back', async () => {
    await page.goto(`${base}/#/?q=3755841199911399255`);
    // By keyboard: the store's link takes the focus and Enter follows it.
    await page.focus('#board-rows a');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#incident-list');
    const asOf = await page.getAttribute('#as-of', 'data-current');
    await page.click('button[aria-label="One day earlier"]');
    await page.waitForFunction((before) => {
      const current = (globalThis as any).document.querySelector('#as-of')?.getAttribute('data-current');
      return current !== null && current !== undefined && current !== before;
    }, asOf);
    const earlier = new Date(Date.parse(asOf!) - 24 * 3_600_000).toISOString();
    expect(page.url()).toContain(`as_of=${encodeURIComponent(earlier)}`);
    const view = (await (await api(`/stores/3755841199911399255?as_of=${earlier}`)).json()) as any;
    expect(await page.$$eval('[data-incident-start]', (els) => els.map((el) => el.getAttribute('data-incident-start')))).toEqual(
      view.incidents.map((i: any) => i.start.utc),
    );
  });

  it('triggers a report, follows it, and downloads its CSV from the page', async () => {
    await page.goto(`${base}/#/reports`);
    await page.fill('#report-as-of', AS_OF);
    await page.click('#trigger-report');
    const button = await page.waitForSelector('#current-report button[data-download]', { timeout: 60_000 });
    const id = (await button.getAttribute('data-download'))!;
    const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
    expect(download.suggestedFilename()).toBe(`store-report-${id}.csv`);
    const csv = readFileSync(await download.path(), 'utf8');
    expect(csv).toBe(await (await api(`/get_report?report_id=${id}`)).text());
    expect(csv.split('\n')[0]).toBe(
      'store_id,uptime_last_hour,uptime_last_day,uptime_last_week,downtime_last_hour,downtime_last_day,downtime_last_week',
    );
    await page.waitForSelector(`#report-rows tr[data-report-id="${id}"][data-status="Complete"]`);
  });

  it('refreshes the board by itself when new polls arrive, keeping the focus on its row', async () => {
    // A clock of the page's own, moved on by the refresh period the page states: its timer (not
    // a reload, nor a click) must bring the new polls, without waiting that period out.
    const own = await browser.newContext({ viewport: { width: 1200, height: 900 }, timezoneId: 'Pacific/Chatham' });
    await own.clock.install();
    const p = await own.newPage();
    const seen: string[] = [];
    watch(p, seen);
    try {
      await signIn(p, '#/?limit=500');
      await p.waitForSelector('#board-rows tr[data-store-id]');
      const every = /refreshed every (\d+) s/.exec((await p.textContent('#board-meta')) ?? '');
      expect(every).not.toBeNull();
      const before = (await (await api('/status?limit=500')).json()) as any;
      const up = before.stores.find((s: any) => s.state === 'up').store_id as string;
      await p.focus(`#board-rows tr[data-store-id="${up}"] a`);
      // A later poll moves the live as_of; the page is not touched.
      await importFiles({ polls: Buffer.from(`store_id,status,timestamp_utc\n${up},inactive,2023-03-13 15:10:00 UTC\n`) });
      await p.clock.fastForward(Number(every![1]) * 1000);
      await p.waitForFunction(
        () => (globalThis as any).document.querySelector('#board-meta')?.textContent.includes('2023-03-13 15:10 UTC'),
        null,
        { timeout: 15_000 },
      );
      const after = (await (await api('/status?limit=500')).json()) as any;
      expect(after.as_of).toMatch(/^2023-03-13T15:10:00/);
      const rows = await p.$$eval('#board-rows tr[data-store-id]', (trs) =>
        trs.map((tr) => [tr.getAttribute('data-store-id'), tr.getAttribute('data-state')]),
      );
      expect(rows).toEqual(after.stores.map((s: any) => [s.store_id, s.state]));
      expect(await p.evaluate(() => (globalThis as any).document.activeElement?.textContent)).toBe(up);
      expect(seen).toEqual([]);
    } finally {
      await own.close();
    }
  }, 90_000);

  it.each(['#/', `#/store/${DST_STORES[0]}?as_of=${AS_OF}`, '#/reports'])('labels every control of %s', async (hash) => {
    await page.goto(`${base}/${hash}`);
    await page.waitForSelector('#view h1');
    await page.waitForFunction(() => (globalThis as any).document.querySelector('[aria-busy="true"]') === null);
    const unlabelled = await page.$$eval('input:not([type="hidden"]), select, button', (els) =>
      els
        .filter((el) => !(el as any).hidden && (el as any).offsetParent !== null)
        .filter((el) => {
          const labels = (el as any).labels;
          const named = el.getAttribute('aria-label') ?? (el.tagName === 'BUTTON' ? el.textContent?.trim() : '');
          return (labels === null || labels.length === 0) && !named;
        })
        .map((el) => el.outerHTML),
    );
    expect(unlabelled).toEqual([]);
    // Each incident is reachable by keyboard and says what it is.
    const incidents = await page.$$eval('[data-incident-start]', (els) =>
      els.map((el) => [el.getAttribute('tabindex'), el.getAttribute('aria-label')]),
    );
    for (const [tabindex, label] of incidents) {
      expect(tabindex).toBe('0');
      expect(label).toMatch(/^Down from .+ to .+: .+$/);
    }
  });

  it('fits a phone: nothing wider than the screen but the chart, which scrolls in its own box', async () => {
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const p = await phone.newPage();
    const seen: string[] = [];
    watch(p, seen);
    try {
      await signIn(p, `#/store/${DST_STORES[0]}?as_of=${AS_OF}`);
      await p.waitForSelector('#incident-list');
      expect(await p.evaluate(() => (globalThis as any).document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await p.goto(`${base}/#/`);
      await p.waitForSelector('#board-rows tr[data-store-id]');
      expect(await p.evaluate(() => (globalThis as any).document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      expect(seen).toEqual([]);
    } finally {
      await phone.close();
    }
  });

  it('wrote nothing to the console and asked nothing outside the service', () => {
    expect(problems).toEqual([]);
  });
});
