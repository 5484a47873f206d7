import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { spawnSync } from 'node:child_process';
import { writeSyntheticFeeds } from '../src/seed/feed-files.util';
import { resolveFeedOptions } from '../src/seed/synthetic-feed';
import { Instance } from './support/instances';
import { FIXTURE, postImport, ROOT } from './support/test-app';

/** Validates an OpenAPI document with an independent validator (an ES module: run in a Node process of its own). */
function validateOpenApi(doc: unknown): { valid: boolean; errors: unknown } {
  const script =
    "import { Validator } from '@seriousme/openapi-schema-validator';" +
    "let text = ''; process.stdin.on('data', (d) => (text += d)).on('end', async () => {" +
    '  const result = await new Validator().validate(JSON.parse(text));' +
    '  process.stdout.write(JSON.stringify({ valid: result.valid, errors: result.errors ?? [] }));' +
    '});';
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    input: JSON.stringify(doc),
    encoding: 'utf8',
    cwd: ROOT,
  });
  if (run.status !== 0) throw new Error(run.stderr);
  return JSON.parse(run.stdout) as { valid: boolean; errors: unknown };
}

/** Operating the built service: access control, logs, metrics, compression, headers, the WAL. */
describe('operations (the built service, SQLite)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sm-ops-'));
  const dbPath = join(dir, 'db.sqlite');
  let server: Instance;
  const KEYS = ['old-key-123', 'new-key-456'];

  beforeAll(async () => {
    server = await Instance.start('ops', {
      DATABASE_URL: `sqlite:${dbPath}`,
      API_KEY: KEYS.join(', '),
      LOG_FORMAT: 'json',
      CORS_ORIGINS: 'https://dashboard.example',
    });
  });
  afterAll(async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  const get = (path: string, headers: Record<string, string> = {}) => fetch(`${server.base}${path}`, { headers });

  it('answers 401 without a key, and serves either key of a rotation, by x-api-key or Bearer', async () => {
    const none = await fetch(`${server.base}/trigger_report`, { method: 'POST' });
    expect(none.status).toBe(401);
    expect(await none.json()).toEqual({
      statusCode: 401,
      message: 'an API key is required: send it as x-api-key or Authorization: Bearer',
      error: 'Unauthorized',
    });
    expect(none.headers.get('www-authenticate')).toBe('Bearer');
    // A wrong key is told apart from a missing one.
    for (const headers of [{ 'x-api-key': 'wrong' }, { authorization: 'Bearer wrong' }] as Array<Record<string, string>>) {
      const wrong = await fetch(`${server.base}/trigger_report`, { method: 'POST', headers });
      expect(wrong.status).toBe(401);
      expect(await wrong.json()).toEqual({ statusCode: 401, message: 'the API key is not valid', error: 'Unauthorized' });
      expect(wrong.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
    }
    const byHeader = await fetch(`${server.base}/trigger_report`, { method: 'POST', headers: { 'x-api-key': KEYS[0] } });
    expect(byHeader.status).toBe(202);
    const byBearer = await fetch(`${server.base}/trigger_report`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEYS[1]}` },
    });
    expect(byBearer.status).toBe(202);
    expect((await postImport(server.base, { timezones: 'store_id,timezone_str\n' })).status).toBe(401);
    expect((await get('/metrics')).status).toBe(401);
    // The store view is behind the key too; with it, the route answers (404: no store imported yet).
    expect((await get('/stores')).status).toBe(401);
    expect((await get('/stores/1481966498820158979')).status).toBe(401);
    expect((await get('/stores', { 'x-api-key': KEYS[0] })).status).toBe(200);
    expect((await get('/stores/1481966498820158979', { authorization: `Bearer ${KEYS[1]}` })).status).toBe(404);
  });

  it.each(['/health', '/health/live', '/docs', '/docs-json'])('leaves %s open', async (path) => {
    const res = await get(path);
    expect([200, 404]).toContain(res.status); // /health/live may come with readiness work; never 401
    expect(res.status).not.toBe(401);
  });

  it('logs JSON lines only, one access line per request with its request id, 4xx as warnings without a stack', async () => {
    const res = await get('/get_report/AAAAAAAAAAAAAAAAAAAAAA', { 'x-api-key': KEYS[0], 'x-request-id': 'trace-42' });
    expect(res.status).toBe(404);
    expect(res.headers.get('x-request-id')).toBe('trace-42');
    await new Promise((r) => setTimeout(r, 200));
    const lines = server.stdout.trimEnd().split('\n');
    const parsed = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    const access = parsed.filter((l) => l.reqId === 'trace-42');
    expect(access).toEqual([
      expect.objectContaining({ level: 40, method: 'GET', url: '/get_report/AAAAAAAAAAAAAAAAAAAAAA', status: 404 }),
    ]);
    expect(parsed.filter((l) => l.level === 40).every((l) => l.stack === undefined && l.err === undefined)).toBe(true);
  });

  it('counts a report that ran in /metrics, compresses large answers and sets safe headers', async () => {
    const headers = { 'x-api-key': KEYS[1] };
    const files = {
      polls: readFileSync(FIXTURE.polls),
      business_hours: readFileSync(FIXTURE.business_hours),
      timezones: readFileSync(FIXTURE.timezones),
    };
    const form = new FormData();
    for (const [field, content] of Object.entries(files)) form.append(field, new Blob([content]), `${field}.csv`);
    expect((await fetch(`${server.base}/import`, { method: 'POST', body: form, headers })).status).toBe(200);
    const { report_id } = (await (await fetch(`${server.base}/trigger_report`, { method: 'POST', headers })).json()) as any;
    for (let i = 0; i < 600; i++) {
      const body = (await (await get(`/reports/${report_id}`, headers)).json()) as any;
      if (body.status === 'Complete') break;
      await new Promise((r) => setTimeout(r, 20));
    }
    // Its log line gives the as_of as an instant, as the API does, not in microseconds.
    const { as_of } = (await (await get(`/reports/${report_id}`, headers)).json()) as any;
    expect(as_of).toMatch(/^2023-03-13T\d\d:\d\d:\d\d\.\d{6}Z$/);
    expect(server.stdout).toContain(`"msg":"report ${report_id}: building (as_of ${as_of})"`);
    const metrics = await (await get('/metrics', headers)).text();
    expect(metrics).toMatch(/^store_monitor_reports_total\{outcome="completed"\} [1-9]/m);
    expect(metrics).toMatch(/^store_monitor_import_rows_total\{feed="polls",outcome="inserted"\} 6497$/m);
    expect(metrics).toMatch(/^store_monitor_http_requests_total\{method="POST",route="\/import",status="200"\} 1$/m);
    expect(metrics).toMatch(/^store_monitor_reports_running 0$/m);

    // Node's fetch decompresses for us: ask with a raw request to see the encoding.
    const http = await import('node:http');
    const raw = await new Promise<{ headers: Record<string, unknown>; body: Buffer }>((resolve, reject) => {
      http
        .get(`${server.base}/get_report/${report_id}`, { headers: { ...headers, 'accept-encoding': 'gzip' } }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
        })
        .on('error', reject);
    });
    expect(raw.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(raw.body).toString()).toMatch(/^store_id,uptime_last_hour,/);
    expect(raw.headers['x-content-type-options']).toBe('nosniff');
    expect(raw.headers['x-powered-by']).toBeUndefined();
  });

  it('answers CORS for the configured origins only, for every method of the API', async () => {
    const preflight = (origin: string, method = 'POST', path = '/trigger_report') =>
      fetch(`${server.base}${path}`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': 'x-api-key' },
      });
    expect((await preflight('https://dashboard.example')).headers.get('access-control-allow-origin')).toBe(
      'https://dashboard.example',
    );
    expect((await preflight('https://elsewhere.example')).headers.get('access-control-allow-origin')).toBeNull();
    // DELETE /reports/:id from the dashboard: the preflight allows the method and the key's header.
    const forDelete = await preflight('https://dashboard.example', 'DELETE', '/reports/AAAAAAAAAAAAAAAAAAAAAA');
    expect(forDelete.status).toBe(204);
    expect(forDelete.headers.get('access-control-allow-methods')?.split(/, */)).toEqual(['GET', 'HEAD', 'POST', 'DELETE']);
    expect(forDelete.headers.get('access-control-allow-headers')).toBe('x-api-key');
    const gone = await fetch(`${server.base}/reports/AAAAAAAAAAAAAAAAAAAAAA`, {
      method: 'DELETE',
      headers: { origin: 'https://dashboard.example', 'x-api-key': KEYS[0] },
    });
    expect(gone.status).toBe(404);
    expect(gone.headers.get('access-control-allow-origin')).toBe('https://dashboard.example');
    expect(gone.headers.get('access-control-expose-headers')?.split(/, */)).toEqual([
      'X-Report-Status',
      'Content-Disposition',
      'X-Request-Id',
      'Retry-After',
    ]);
  });

  it('serves a valid OpenAPI document with no object-typed scalars and stable operation ids', async () => {
    const doc = (await (await get('/docs-json')).json()) as any;
    expect(validateOpenApi(doc)).toEqual({ valid: true, errors: [] });
    const ids = Object.values(doc.paths).flatMap((ops: any) => Object.values(ops).map((op: any) => op.operationId));
    expect(ids).toEqual(expect.arrayContaining(['reportsTrigger', 'storesList', 'storesOne']));
    expect(new Set(ids).size).toBe(ids.length);
    // A scalar typed `object` (a nullable string gone wrong) is a lie to every client generator.
    const objectScalars: string[] = [];
    for (const [name, schema] of Object.entries(doc.components.schemas as Record<string, any>)) {
      for (const [field, prop] of Object.entries((schema.properties ?? {}) as Record<string, any>)) {
        if (prop.type === 'object' && !prop.properties && !prop.$ref && !prop.additionalProperties && !prop.allOf)
          objectScalars.push(`${name}.${field}`);
      }
    }
    expect(objectScalars).toEqual([]);
  });

  it('keeps the SQLite write-ahead log small after importing 1.8 M polls', async () => {
    const set = await writeSyntheticFeeds(join(dir, 'big'), resolveFeedOptions({}));
    expect(set.stats.polls.rows).toBeGreaterThan(1_800_000);
    const form = new FormData();
    form.append('polls', new Blob([readFileSync(set.files.polls)]), 'store_status.csv');
    const res = await fetch(`${server.base}/import`, { method: 'POST', body: form, headers: { 'x-api-key': KEYS[0] } });
    expect(res.status).toBe(200);
    const wal = `${dbPath}-wal`;
    const walBytes = existsSync(wal) ? statSync(wal).size : 0;
    expect(walBytes).toBeLessThan(64 * 2 ** 20);
  }, 240_000);
});
