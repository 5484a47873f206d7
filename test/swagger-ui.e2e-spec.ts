import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { useTestApp } from './support/test-app';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Swagger UI at /docs, rendered by a real headless Chromium (Debian's package). */
describe('API docs', () => {
  const t = useTestApp('sqlite', 'docs');

  it('serves an OpenAPI document describing every endpoint', async () => {
    const doc = (await (await fetch(`${t.base}/docs-json`)).json()) as any;
    expect(Object.keys(doc.paths).sort()).toEqual([
      '/events',
      '/get_report',
      '/get_report/{report_id}',
      '/health',
      '/health/live',
      '/import',
      '/imports',
      '/imports/{import_id}',
      '/metrics',
      '/reports',
      '/reports/{report_id}',
      '/status',
      '/stores',
      '/stores/{store_id}',
      '/trigger_report',
    ]);
    expect(Object.keys(doc.paths['/trigger_report'].post.responses)).toEqual(expect.arrayContaining(['202', '400']));
    expect(Object.keys(doc.paths['/get_report'].get.responses)).toEqual(expect.arrayContaining(['200', '400', '404']));
    expect(doc.paths['/import'].post.requestBody.content['multipart/form-data']).toBeDefined();
    expect(Object.keys(doc.paths['/stores/{store_id}'].get.responses)).toEqual(expect.arrayContaining(['200', '400', '404']));
    // The store view's answer, typed exactly: integers as integers, null where it may be null.
    const view = doc.components.schemas.StoreViewDto.properties;
    expect(view.incident_count.type).toBe('integer');
    expect(view.uptime_last_hour.type).toBe('number');
    expect(view.last_poll).toMatchObject({ type: 'string', nullable: true });
    expect(view.incidents).toMatchObject({ type: 'array', items: { $ref: '#/components/schemas/IncidentDto' } });
    expect(doc.components.schemas.SegmentDto.properties.status.enum).toEqual(['active', 'inactive']);
    expect(doc.components.schemas.StoreListDto.properties.next_cursor).toMatchObject({ type: 'string', nullable: true });
  });

  it('renders Swagger UI with its endpoints in headless Chromium', async () => {
    expect(existsSync(CHROMIUM)).toBe(true); // `apt-get install chromium` (done by .ci/run)
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true, // Playwright gives it a fresh, empty profile
      // This machine has no network: keep Chromium from reaching for one.
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    try {
      const page = await browser.newPage();
      await page.goto(`${t.base}/docs`);
      await page.waitForSelector('.opblock-summary-path', { timeout: 20_000 });
      const paths = await page.$$eval('.opblock-summary-path', (els) => els.map((e) => e.textContent?.trim()));
      expect(paths).toEqual(expect.arrayContaining(['/trigger_report', '/get_report', '/import', '/health']));
      expect(await page.textContent('.title')).toContain('Store Monitor');
      await page.screenshot({ path: join(tmpdir(), 'store-monitor-docs.png') });
    } finally {
      await browser.close();
    }
  });
});
