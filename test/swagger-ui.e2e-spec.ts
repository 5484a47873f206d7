import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Page } from 'playwright-core';
import { CHROMIUM, launchChromium } from './support/chromium';
import { ROOT, useTestApp } from './support/test-app';

/**
 * Redocly's linter with its recommended rules, in a process of its own: @redocly/openapi-core is
 * an ES module, which jest's CommonJS runtime cannot load. Prints the problems as JSON.
 */
const REDOCLY_LINT = `
import { createConfig, lintFromString } from '@redocly/openapi-core';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
const path = process.argv[1];
const config = await createConfig({ extends: ['recommended'] });
const problems = await lintFromString({ source: readFileSync(path, 'utf8'), absoluteRef: pathToFileURL(path).href, config });
process.stdout.write(JSON.stringify(problems.map((p) => ({ rule: p.ruleId, severity: p.severity, message: p.message, at: p.location.map((l) => l.pointer) }))));
`;

function redoclyLint(doc: unknown): unknown[] {
  const dir = mkdtempSync(join(tmpdir(), 'openapi-lint-'));
  try {
    const file = join(dir, 'openapi.json');
    writeFileSync(file, JSON.stringify(doc));
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', REDOCLY_LINT, file], { cwd: ROOT, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    return JSON.parse(run.stdout) as unknown[];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

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

  it("passes Redocly's recommended rules, with typed parameters and JSON errors of their own status", async () => {
    const doc = (await (await fetch(`${t.base}/docs-json`)).json()) as any;
    expect(redoclyLint(doc)).toEqual([]);
    const getReport = doc.paths['/get_report'].get;
    expect(getReport.parameters).toEqual([
      expect.objectContaining({ name: 'report_id', in: 'query', schema: expect.objectContaining({ type: 'string' }) }),
    ]);
    for (const status of ['400', '401', '404', '503']) {
      // An error is JSON even where success is CSV, and its example is one of its own status.
      expect(Object.keys(getReport.responses[status].content)).toEqual(['application/json']);
      expect(getReport.responses[status].content['application/json'].example.statusCode).toBe(Number(status));
    }
    // The API keys are opaque strings, not JWTs.
    expect(doc.components.securitySchemes.bearer).toEqual({ type: 'http', scheme: 'bearer' });
  });

  it('renders Swagger UI with its endpoints in headless Chromium', async () => {
    await withDocsPage(t.base, async (page) => {
      const paths = await page.$$eval('.opblock-summary-path', (els) => els.map((e) => e.textContent?.trim()));
      expect(paths).toEqual(expect.arrayContaining(['/trigger_report', '/get_report', '/import', '/health']));
      expect(await page.textContent('.title')).toContain('Store Monitor');
      await page.screenshot({ path: join(tmpdir(), 'store-monitor-docs.png') });
    });
  });

  it('"Try it out" on POST /trigger_report with its default body starts a report', async () => {
    await withDocsPage(t.base, async (page) => {
      const operation = page.locator('#operations-reports-reportsTrigger');
      await operation.locator('.opblock-summary').click();
      await operation.locator('.try-out__btn').click();
      await operation.locator('.execute').click();
      const status = operation.locator('.live-responses-table tr.response .response-col_status').first();
      await status.waitFor({ timeout: 20_000 });
      expect(await status.textContent()).toContain('202');
    });
  });
});

/** Opens /docs in a real headless Chromium (Debian's package) once Swagger UI has drawn its endpoints. */
async function withDocsPage(base: string, use: (page: Page) => Promise<void>): Promise<void> {
  expect(existsSync(CHROMIUM)).toBe(true); // `apt-get install chromium` (done by .ci/run)
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    await page.goto(`${base}/docs`);
    await page.waitForSelector('.opblock-summary-path', { timeout: 20_000 });
    await use(page);
  } finally {
    await browser.close();
  }
}
