import { mkdtempSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { pollReport } from '../scripts/support/report-polling';
import { buildDataSourceOptions } from '../src/database/database-options';
import { parseDatabaseUrl } from '../src/database/database-url';
import { Instance } from './support/instances';
import { postImport } from './support/test-app';
import { TEST_DATABASES, TestDatabase } from './support/test-database';

const IDLE_S = 2;
const POLLS_PART =
  '--b0undary\r\nContent-Disposition: form-data; name="polls"; filename="polls.csv"\r\nContent-Type: text/csv\r\n\r\n' +
  'store_id,status,timestamp_utc\r\n' +
  's1,active,2023-03-04 15:00:00 UTC\r\n'.repeat(20_000);
const ZONES_PART =
  '\r\n--b0undary\r\nContent-Disposition: form-data; name="timezones"; filename="zones.csv"\r\n\r\n' +
  'store_id,timezone_str\r\nz1,America/Denver\r\n';
const CLOSE = '\r\n--b0undary--\r\n';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface RawAnswer {
  status: number;
  head: string;
  body: string;
  ms: number;
  /** The server closed the connection (we never end it). */
  closedByServer: boolean;
  /** This side's port: the server's access line names it (`remote`). */
  localPort: number;
}

/**
 * A client written with a socket, to do what fetch will not: send less than it announced, stop
 * sending, or go away in the middle. `body` is sent in order (`gapMs` apart); then the socket
 * waits for the answer (ending its side only with `halfClose`), or is destroyed after `destroyAfterMs`.
 */
function rawExchange(
  port: number,
  head: string,
  body: string[],
  options: {
    destroyAfterMs?: number;
    timeoutMs?: number;
    gapMs?: number;
    onSocket?: (socket: net.Socket) => void;
    /** Ends this side once the body is sent (shutdown(SHUT_WR)), as `curl` or `nc -N` may. */
    halfClose?: boolean;
  } = {},
): Promise<RawAnswer | 'destroyed'> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const socket = net.connect(port, '127.0.0.1');
    options.onSocket?.(socket);
    let text = '';
    let localPort = 0;
    const send = async () => {
      localPort = socket.localPort!;
      socket.write(head);
      for (const chunk of body) {
        if (options.gapMs !== undefined) await sleep(options.gapMs);
        if (!socket.destroyed) socket.write(chunk);
      }
      if (options.halfClose) socket.end();
      if (options.destroyAfterMs !== undefined) {
        setTimeout(() => {
          socket.destroy();
          resolve('destroyed');
        }, options.destroyAfterMs);
      }
    };
    socket.on('connect', () => void send());
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer within ${options.timeoutMs ?? 20_000} ms: ${text.slice(0, 200)}`));
    }, options.timeoutMs ?? 20_000);
    socket.setEncoding('latin1');
    socket.on('data', (d: string) => (text += d));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      const [headText, bodyText = ''] = text.split('\r\n\r\n');
      resolve({
        status: Number(/^HTTP\/1\.1 (\d{3})/.exec(headText)?.[1] ?? 0),
        head: headText.toLowerCase(),
        body: bodyText,
        ms: performance.now() - started,
        closedByServer: true,
        localPort,
      });
    });
  });
}

/** Whether the server takes a new connection (it stops listening as soon as Fastify begins to close). */
const accepts = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.on('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });

const postHead = (contentType: string, length: number, path = '/import') =>
  `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: ${contentType}\r\nContent-Length: ${length}\r\n\r\n`;

/**
 * The built server (a process of its own, so that its open files can be counted in /proc) against
 * a hostile or unlucky client: truncated, stalled and abandoned uploads, malformed requests. Every
 * one is answered with a 4xx (or dropped, when the client is gone) within the idle timeout, and
 * leaves no temporary file, open or on disk.
 */
/** A raw connection to the server: what it has answered so far, and whether it closed. */
function rawConnection(port: number) {
  const socket = net.connect(port, '127.0.0.1');
  let text = '';
  let closed = false;
  socket.setEncoding('latin1');
  socket.on('data', (d: string) => (text += d));
  socket.on('close', () => (closed = true));
  return { socket, text: () => text, closed: () => closed };
}

describe.each(TEST_DATABASES)('the built server against a hostile client on %s', (kind) => {
  const db = new TestDatabase(kind, 'hostile');
  // The server's TMPDIR: its spool folders, and nothing else, are there.
  const spoolRoot = mkdtempSync(join(tmpdir(), 'sm-hostile-spool-'));
  let server: Instance;
  let port: number;
  let base: string;
  let dataSource: DataSource;

  /** The server's open files inside its TMPDIR, or deleted (a temp file removed while still open). */
  const spoolHandles = () => {
    const targets = readdirSync(`/proc/${server.pid}/fd`).map((fd) => {
      try {
        return readlinkSync(`/proc/${server.pid}/fd/${fd}`);
      } catch {
        return ''; // closed meanwhile
      }
    });
    return targets.filter((t) => t.startsWith(spoolRoot) || t.endsWith('(deleted)'));
  };
  const spoolDirs = () => readdirSync(spoolRoot);
  const allHandles = () => readdirSync(`/proc/${server.pid}/fd`).length;
  /** No temp file open or on disk; with `totalBefore`, every handle the test opened closed too (sockets included). */
  const nothingLeft = async (totalBefore?: number) => {
    const clean = () => spoolHandles().length === 0 && spoolDirs().length === 0 && (totalBefore ?? Infinity) >= allHandles();
    for (let i = 0; i < 100 && !clean(); i++) await new Promise((r) => setTimeout(r, 50));
    expect({ handles: spoolHandles(), dirs: spoolDirs() }).toEqual({ handles: [], dirs: [] });
    if (totalBefore !== undefined) expect(allHandles()).toBeLessThanOrEqual(totalBefore);
  };
  const pollCount = async () => Number((await dataSource.query('SELECT COUNT(*) AS n FROM poll'))[0].n);
  const reportCount = async () => Number((await dataSource.query('SELECT COUNT(*) AS n FROM report_status'))[0].n);

  /** The server's log lines so far (LOG_FORMAT=json: one object a line on stdout). */
  const logLines = () =>
    server.stdout
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  /** Where the log stands: lines after it are of what the test does next (see linesOf). */
  const logMark = () => logLines().length;
  /**
   * The lines about one client connection logged since `mark` (its port is in the access line's
   * `remote`; an earlier connection of the suite may have had the same port), once `count` are
   * there (≤ 2 s).
   */
  const linesOf = async (localPort: number, mark: number, count = 1) => {
    const mine = () =>
      logLines()
        .slice(mark)
        .filter((l) => l.remote === `127.0.0.1:${localPort}`);
    for (let i = 0; i < 40 && mine().length < count; i++) await sleep(50);
    await sleep(100); // and no more than that
    return mine();
  };

  beforeAll(async () => {
    server = await Instance.start(`hostile-${kind}`, {
      DATABASE_URL: db.url,
      TMPDIR: spoolRoot,
      UPLOAD_IDLE_TIMEOUT_S: String(IDLE_S),
      UPLOAD_LIMIT_BYTES: '2000000',
      LOG_FORMAT: 'json',
    });
    base = server.base;
    port = Number(new URL(base).port);
    dataSource = await new DataSource(buildDataSourceOptions(parseDatabaseUrl(db.url))).initialize();
  });
  afterAll(async () => {
    await dataSource?.destroy();
    if (server) await server.stop();
    await db.drop();
    rmSync(spoolRoot, { recursive: true, force: true });
  });

  it('answers a whole request whose client then ends its side (half-close): the upload is imported', async () => {
    const body = ZONES_PART.slice(2) + CLOSE; // a zones file: the other tests count polls
    const upload = (await rawExchange(port, postHead('multipart/form-data; boundary=b0undary', body.length), [body], {
      halfClose: true,
    })) as RawAnswer;
    expect(upload).toMatchObject({ status: 200, closedByServer: true });
    expect(JSON.parse(upload.body).timezones).toMatchObject({ read: 1, rejected: 0 });
    const live = (await rawExchange(port, 'GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n', [], {
      halfClose: true,
    })) as RawAnswer;
    expect({ status: live.status, body: live.body }).toEqual({ status: 200, body: '{"status":"ok"}' });
  });

  it('answers a body that ends without its closing boundary at once: 400, nothing written, no temp file left', async () => {
    const total = allHandles();
    expect({ handles: spoolHandles().length, dirs: spoolDirs().length }).toEqual({ handles: 0, dirs: 0 });
    // a whole polls part, then a zones part cut before its end: the request ends there
    for (const body of [POLLS_PART, POLLS_PART + ZONES_PART, POLLS_PART + ZONES_PART + '\r\n--b0undary']) {
      const answer = (await rawExchange(port, postHead('multipart/form-data; boundary=b0undary', body.length), [
        body,
      ])) as RawAnswer;
      expect(answer).toMatchObject({ status: 400, closedByServer: true });
      expect(JSON.parse(answer.body)).toEqual({
        statusCode: 400,
        message: 'the multipart body ended before its closing boundary',
        error: 'Bad Request',
      });
      // at once: not the idle timeout's answer (the upload stalled)
      expect(answer.head).toContain('x-content-type-options: nosniff');
    }
    expect(await pollCount()).toBe(0);
    await nothingLeft(total);
  });

  it('writes nothing of an upload whose zones file came whole before the body ended or stalled (its import started early)', async () => {
    // a store no other test names: any row of it would be this upload's
    const zonesThenPolls = ZONES_PART.slice(2).replace('z1,', 'early1,') + POLLS_PART.slice(0, 5000);
    const count = async (table: string) => Number((await dataSource.query(`SELECT COUNT(*) AS n FROM ${table}`))[0].n);
    const counts = async () => ({ zones: await count('store_timezone'), stores: await count('store'), polls: await pollCount() });
    const held = await counts();
    const send = async (stall: boolean) => {
      const length = zonesThenPolls.length + (stall ? 10_000 : 0);
      const answer = (await rawExchange(port, postHead('multipart/form-data; boundary=b0undary', length), [
        zonesThenPolls,
      ])) as RawAnswer;
      expect(answer.status).toBe(400);
      expect(JSON.parse(answer.body).message).toBe(
        stall ? `the upload stalled: no data for ${IDLE_S} s` : 'the multipart body ended before its closing boundary',
      );
    };
    // Once first: SQLite keeps one descriptor of a file a thread closed while another holds a lock
    // on it, for its next open (a descriptor per upload would be a leak).
    await send(true);
    await nothingLeft();
    const total = allHandles();
    await send(false);
    await send(true);
    expect(await counts()).toEqual(held);
    // the early imports' threads and connections are gone with the files
    await nothingLeft(total);
  });

  it(`answers an upload that stalls 400 after UPLOAD_IDLE_TIMEOUT_S (${IDLE_S} s), and closes its connection`, async () => {
    // announced longer than sent: the client has more to say but says nothing
    const total = allHandles();
    const body = POLLS_PART;
    const pending = rawExchange(port, postHead('multipart/form-data; boundary=b0undary', body.length + 10_000), [body]);
    await new Promise((r) => setTimeout(r, 500));
    expect(spoolDirs()).toHaveLength(1); // spooling when it stopped
    expect(spoolHandles()).toHaveLength(1);
    const answer = (await pending) as RawAnswer;
    expect(answer).toMatchObject({ status: 400, closedByServer: true });
    expect(JSON.parse(answer.body)).toEqual({
      statusCode: 400,
      message: `the upload stalled: no data for ${IDLE_S} s`,
      error: 'Bad Request',
    });
    expect(answer.ms).toBeGreaterThanOrEqual(IDLE_S * 1000 - 50);
    expect(answer.head).toContain('connection: close');
    // nothing sent at all after the headers: the same
    const silent = (await rawExchange(port, postHead('multipart/form-data; boundary=b0undary', 1000), [])) as RawAnswer;
    expect(silent.status).toBe(400);
    expect(JSON.parse(silent.body).message).toBe(`the upload stalled: no data for ${IDLE_S} s`);
    expect(await pollCount()).toBe(0);
    await nothingLeft(total);
  });

  it('drops an upload whose client goes away in the middle, with its temp file', async () => {
    const total = allHandles();
    const body = POLLS_PART;
    expect(
      await rawExchange(port, postHead('multipart/form-data; boundary=b0undary', body.length * 3), [body], {
        destroyAfterMs: 300,
      }),
    ).toBe('destroyed');
    await nothingLeft(total);
    expect(await pollCount()).toBe(0);
    expect((await fetch(`${base}/health`)).status).toBe(200);
  });

  it('answers 400, not 500, for a multipart type without a boundary, a malformed part, as_of null and a deeply nested JSON body', async () => {
    for (const contentType of ['multipart/form-data', 'multipart/form-data; charset=utf-8', 'multipart/form-data; boundary=']) {
      const res = await fetch(`${base}/import`, { method: 'POST', headers: { 'content-type': contentType }, body: 'x' });
      expect([contentType, res.status]).toEqual([contentType, 400]);
      expect(((await res.json()) as any).message).toBe('multipart/form-data needs a boundary parameter (1 to 70 characters)');
    }
    // a part whose headers never end, then the closing delimiter
    const malformed = '--b0undary\r\nContent-Disposition: form-data; name="polls"; filename="p.csv"' + CLOSE;
    const res = await fetch(`${base}/import`, {
      method: 'POST',
      headers: { 'content-type': 'multipart/form-data; boundary=b0undary' },
      body: malformed,
    });
    expect(res.status).toBe(400);
    const asOfNull = await fetch(`${base}/trigger_report`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"as_of": null}',
    });
    expect(asOfNull.status).toBe(400);
    // a JSON body nested a few thousand levels deep overflowed the validation's recursion (500)
    for (const body of ['['.repeat(100_000) + ']'.repeat(100_000), `{"as_of":${'['.repeat(5000)}${']'.repeat(5000)}}`]) {
      const deep = await fetch(`${base}/trigger_report`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      expect(deep.status).toBe(400);
      expect(((await deep.json()) as any).message).toBe('the JSON body nests deeper than 32 levels');
    }
    const flat = await fetch(`${base}/trigger_report`, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: '{"as_of":"2023-03-13T15:00:00Z"}',
    });
    expect(flat.status).toBe(202);
    // and a well-formed upload still works, its folder removed once imported
    const good = await postImport(base, { polls: 'store_id,status,timestamp_utc\ns1,active,2023-03-04 15:00:00 UTC\n' });
    expect(good.status).toBe(200);
    expect(await pollCount()).toBe(1);
    await nothingLeft();
  });

  it('says nosniff and no server version on every answer: errors, /docs, CSV, refusals before routing', async () => {
    const answers: Array<[string, Headers]> = [];
    const get = async (path: string, init?: RequestInit) => answers.push([path, (await fetch(`${base}${path}`, init)).headers]);
    await get('/docs');
    await get('/docs/');
    await get('/docs/swagger-ui-init.js');
    await get('/docs-json');
    await get('/health');
    await get('/health/live');
    await get('/metrics');
    // a report's CSV
    await postImport(base, { polls: 'store_id,status,timestamp_utc\ns2,active,2023-03-04 15:00:00 UTC\n' });
    const { report_id } = (await (await fetch(`${base}/trigger_report`, { method: 'POST' })).json()) as { report_id: string };
    await pollReport(base, report_id, { everyMs: 20, timeoutMs: 30_000 });
    await get(`/get_report/${report_id}`);
    expect(answers.at(-1)![1].get('content-type')).toMatch(/^text\/csv/);
    await get('/no-such-page');
    await get('/reports?limit=0');
    await get('/stores/%ff'); // refused by the router (a bad % escape)
    await get(`/stores/${'a'.repeat(150)}`); // a path parameter over the router's limit
    await get('/stores/s1?as_of=2203-01-01T00:00:00Z');
    await get('/trigger_report', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"as_of": null}' });
    await get('/import', { method: 'POST', headers: { 'content-type': 'multipart/form-data' }, body: 'x' });
    const big = new FormData();
    big.append('polls', new Blob(['x'.repeat(2_500_000)]), 'p.csv'); // over UPLOAD_LIMIT_BYTES
    await get('/import', { method: 'POST', body: big });
    for (const [path, headers] of answers) {
      expect([path, headers.get('x-content-type-options'), headers.get('x-powered-by'), headers.get('server')]).toEqual([
        path,
        'nosniff',
        null,
        null,
      ]);
    }
    // what Node's HTTP parser refuses, before Fastify sees a request
    const garbage = (await rawExchange(port, 'GARBAGE\r\n\r\n', [])) as RawAnswer;
    expect(garbage.status).toBe(400);
    expect(garbage.head).toContain('x-content-type-options: nosniff');
    expect(garbage.head).not.toMatch(/^(server|x-powered-by):/m);
    // and no answer echoes a long input back
    const echo = await fetch(`${base}/stores/%ff${'%zz'.repeat(1000)}`);
    expect(echo.status).toBe(400);
    expect((await echo.text()).length).toBeLessThan(300);
    await nothingLeft();
  });

  it(`answers a JSON (or any other non-multipart) body that stalls 400 after the idle timeout (${IDLE_S} s), acting on nothing`, async () => {
    const reportsBefore = await reportCount();
    const total = allHandles();
    const cases: Array<[string, string, string[]]> = [
      ['announced longer than sent', postHead('application/json', 100, '/trigger_report'), ['{"as_of":"2023-']],
      ['nothing sent after the headers', postHead('application/json', 40, '/trigger_report'), []],
      [
        'chunked, never ended',
        'POST /trigger_report HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n',
        ['5\r\n{"as_\r\n'],
      ],
      ['text/plain (read by another of Fastify’s parsers)', postHead('text/plain', 100, '/trigger_report'), ['abc']],
    ];
    const mark = logMark();
    const answers = (await Promise.all(cases.map(([, head, body]) => rawExchange(port, head, body)))) as RawAnswer[];
    for (const [i, [name]] of cases.entries()) {
      const answer = answers[i];
      expect([name, answer.status, answer.closedByServer]).toEqual([name, 400, true]);
      expect(JSON.parse(answer.body)).toEqual({
        statusCode: 400,
        message: `the request body stalled: no data for ${IDLE_S} s`,
        error: 'Bad Request',
      });
      expect(answer.ms).toBeGreaterThanOrEqual(IDLE_S * 1000 - 50);
      expect(answer.head).toContain('connection: close');
      expect(answer.head).toContain('x-content-type-options: nosniff');
      expect(await linesOf(answer.localPort, mark)).toEqual([
        expect.objectContaining({ level: 40, method: 'POST', url: '/trigger_report', status: 400 }),
      ]);
    }
    expect(await reportCount()).toBe(reportsBefore);
    await nothingLeft(total);
  });

  it('accepts a JSON body that is slow but keeps moving: four pieces 1.2 s apart, longer than the idle timeout in all', async () => {
    const reportsBefore = await reportCount();
    const body = '{"as_of":"2023-03-13T15:00:00Z"}';
    const head =
      'POST /trigger_report HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n' +
      `Content-Length: ${body.length}\r\nConnection: close\r\n\r\n`;
    const pieces = [body.slice(0, 9), body.slice(9, 18), body.slice(18, 27), body.slice(27)];
    const answer = (await rawExchange(port, head, pieces, { gapMs: 1200 })) as RawAnswer;
    expect(answer.status).toBe(202);
    expect(answer.ms).toBeGreaterThan(IDLE_S * 1000 + 1000);
    expect(JSON.parse(answer.body)).toMatchObject({ status: 'Running' });
    expect(await reportCount()).toBe(reportsBefore + 1);
  });

  it('answers a body it does not read at once, and closes the connection rather than wait for the rest', async () => {
    const reportsBefore = await reportCount();
    const xml = (await rawExchange(port, postHead('application/xml', 100, '/trigger_report'), ['<a>'])) as RawAnswer;
    // Had it waited for the rest, the idle timeout would have answered (400, the body stalled).
    expect(xml).toMatchObject({ status: 415, closedByServer: true });
    const get = (await rawExchange(port, 'GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\n', [
      'abc',
    ])) as RawAnswer;
    expect(get).toMatchObject({ status: 200, closedByServer: true });
    expect(await reportCount()).toBe(reportsBefore);
    // A request whose body (none here) was all received keeps its connection: two on one socket.
    const { socket, text, closed } = rawConnection(port);
    socket.write('GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n'.repeat(2));
    for (let i = 0; i < 40 && (text().match(/HTTP\/1\.1 200 OK/g) ?? []).length < 2; i++) await sleep(50);
    await sleep(300);
    expect([(text().match(/HTTP\/1\.1 200 OK/g) ?? []).length, closed()]).toEqual([2, false]);
    socket.destroy();
  });

  it('reads and drops a body it did not read when the rest comes at once: the client reads its answer and keeps its connection', async () => {
    // A client sending a body the server answers without (a 415, a URL it cannot decode; a 401 to
    // an upload without a key alike) met a closed connection while still writing (EPIPE: Node's
    // fetch saw "fetch failed").
    const reportsBefore = await reportCount();
    const heads: Array<[string, string]> = [
      ['POST /trigger_report HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/xml\r\nContent-Length: 100\r\n\r\n', '415'],
      ['GET /stores/%ff HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\n', '400'], // Fastify's frameworkErrors
    ];
    for (const [head, status] of heads) {
      const { socket, text, closed } = rawConnection(port);
      socket.write(head);
      await sleep(150); // the server has decided its answer by now (it reads no body for it)
      socket.write('x'.repeat(100)); // the rest of the body
      socket.write('GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
      for (let i = 0; i < 40 && !closed() && !text().includes('200 OK'); i++) await sleep(50);
      expect({
        answers: text().match(/HTTP\/1\.1 \d+/g),
        connectionClose: /\r\nconnection: close\r\n/i.test(text()),
        closed: closed(),
      }).toEqual({ answers: [`HTTP/1.1 ${status}`, 'HTTP/1.1 200'], connectionClose: false, closed: false });
      socket.destroy();
    }
    expect(await reportCount()).toBe(reportsBefore);
  });

  it('leaves one access line for every refusal, those answered before a route too, without a body in it', async () => {
    const SECRET = 'SECRET-BODY-7f3a';
    const host = 'Host: 127.0.0.1\r\n';
    // [what, request, status, method and URL in the line (undefined: not parsed), reason]
    const cases: Array<[string, string, number, [string, string] | undefined, string | undefined]> = [
      ['not HTTP', 'GARBAGE\r\n\r\n', 400, undefined, 'HPE_INVALID_METHOD'],
      [
        'a malformed header',
        `GET /health HTTP/1.1\r\n${host}Bad Header\r\n\r\n`,
        400,
        ['GET', '/health'],
        'HPE_INVALID_HEADER_TOKEN',
      ],
      [
        'headers too large',
        `GET /health HTTP/1.1\r\n${host}X-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
        431,
        ['GET', '/health'],
        'HPE_HEADER_OVERFLOW',
      ],
      [
        'both Content-Length and Transfer-Encoding',
        `POST /trigger_report HTTP/1.1\r\n${host}Content-Length: 40\r\nTransfer-Encoding: chunked\r\n\r\n${SECRET}`,
        400,
        ['POST', '/trigger_report'],
        'HPE_INVALID_TRANSFER_ENCODING',
      ],
      [
        'a malformed chunk (the request already routed)',
        `POST /trigger_report HTTP/1.1\r\n${host}Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n` +
          `zz\r\n${SECRET}\r\n0\r\n\r\n`,
        400,
        ['POST', '/trigger_report'],
        'HPE_INVALID_CHUNK_SIZE',
      ],
      ['the HTTP/2 preface', 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 400, ['PRI', '*'], 'HPE_PAUSED_H2_UPGRADE'],
      [
        'CONNECT',
        'CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n',
        400,
        ['CONNECT', 'example.com:443'],
        'CONNECT',
      ],
      ['no Host (HTTP/1.1)', 'GET /health HTTP/1.1\r\nConnection: close\r\n\r\n', 400, ['GET', '/health'], undefined],
      [
        'an Expect it cannot meet',
        `GET /health HTTP/1.1\r\n${host}Expect: x-foo\r\nConnection: close\r\n\r\n`,
        417,
        ['GET', '/health'],
        undefined,
      ],
      [
        'a URL it cannot decode',
        `GET /stores/%ff HTTP/1.1\r\n${host}Connection: close\r\n\r\n`,
        400,
        ['GET', '/stores/%ff'],
        'FST_ERR_BAD_URL',
      ],
      [
        'a path parameter too long',
        `GET /stores/${'a'.repeat(150)} HTTP/1.1\r\n${host}Connection: close\r\n\r\n`,
        414,
        ['GET', `/stores/${'a'.repeat(150)}`],
        'FST_ERR_MAX_PARAM_LENGTH',
      ],
      [
        'an unknown route',
        `GET /no-such-page HTTP/1.1\r\n${host}Connection: close\r\n\r\n`,
        404,
        ['GET', '/no-such-page'],
        undefined,
      ],
    ];
    /** The counts of requests refused before routing in GET /metrics, by method and status. */
    const refusedCounts = async () => {
      const text = await (await fetch(`${base}/metrics`)).text();
      const counts: Record<string, number> = {};
      for (const [, method, status, n] of text.matchAll(
        /^store_monitor_http_requests_total\{method="([^"]*)",route="refused",status="(\d+)"\} (\d+)$/gm,
      )) {
        counts[`${method} ${status}`] = Number(n);
      }
      return counts;
    };
    const countsBefore = await refusedCounts();
    // Every case is tried before the comparison, so that a failure lists all that are wrong.
    const seen: unknown[] = [];
    const wanted: unknown[] = [];
    for (const [what, request, status, line, reason] of cases) {
      const mark = logMark();
      const answer = (await rawExchange(port, request, [])) as RawAnswer;
      const lines = await linesOf(answer.localPort, mark);
      seen.push({
        what,
        status: answer.status,
        closedByServer: answer.closedByServer,
        nosniff: answer.head.includes('x-content-type-options: nosniff'),
        bodyStatus: (JSON.parse(answer.body || '{}') as { statusCode?: number }).statusCode,
        lines: lines.map(({ level, status, method, url, reason, remote }) => ({ level, status, method, url, reason, remote })),
        short: JSON.stringify(lines).length < 1000,
      });
      wanted.push({
        what,
        status,
        closedByServer: true,
        nosniff: true,
        bodyStatus: status,
        lines: [{ level: 40, status, method: line?.[0], url: line?.[1], reason, remote: `127.0.0.1:${answer.localPort}` }],
        short: true,
      });
    }
    expect(seen).toEqual(wanted);
    // Each refusal before routing counted once in the metrics (a made-up method as 'other'); the
    // refusals of the hooks and the 404 are counted with the answers of routes.
    const countsAfter = await refusedCounts();
    const added = Object.fromEntries(
      Object.entries(countsAfter)
        .map(([key, n]) => [key, n - (countsBefore[key] ?? 0)])
        .filter(([, n]) => n !== 0),
    );
    expect(added).toEqual({
      '- 400': 1,
      'GET 400': 2,
      'GET 431': 1,
      'GET 414': 1,
      'POST 400': 2,
      'other 400': 1,
      'CONNECT 400': 1,
    });
    // An answer of a route keeps its one line (Fastify's own request lines stay off).
    const ok = await fetch(`${base}/health/live`, { headers: { 'x-request-id': 'hostile-one-line' } });
    expect(ok.status).toBe(200);
    await sleep(200);
    expect(logLines().filter((l) => l.reqId === 'hostile-one-line')).toEqual([
      expect.objectContaining({ level: 30, method: 'GET', url: '/health/live', status: 200 }),
    ]);
    expect(server.stdout).not.toContain(SECRET);
  });

  it('starts without a deprecation warning (Fastify 5.11 warned FSTDEP023 of disableRequestLogging)', () => {
    expect(server.log).toContain('Store Monitor listening');
    expect(server.log).not.toMatch(/Deprecation|FSTDEP/);
  });

  // Last: it stops the server.
  it('stops on SIGTERM within the idle timeout while an upload stalls (it once held the stop for ever)', async () => {
    const body = POLLS_PART;
    const mark = logMark();
    const pending = rawExchange(port, postHead('multipart/form-data; boundary=b0undary', body.length + 10_000), [body]);
    // a request whose headers are not all sent yet when the stop begins
    let lateSocket: net.Socket | undefined;
    const late = rawExchange(port, 'GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n', [], { onSocket: (s) => (lateSocket = s) });
    await sleep(300);
    const exited = new Promise<number | null>((resolve) => server.child.once('exit', (code) => resolve(code)));
    server.child.kill('SIGTERM');
    // Once the server no longer takes connections (Fastify is closing), the late request ends.
    for (let i = 0; i < 100 && (await accepts(port)); i++) await sleep(20);
    lateSocket!.write('\r\n');
    // It stops (a stop held for ever would run into the test's timeout), cleanly, and the stalled
    // upload had the idle timeout's answer rather than a cut connection.
    expect(await exited).toBe(0);
    expect(((await pending) as RawAnswer).status).toBe(400);
    expect(spoolDirs()).toEqual([]);
    // Refused while stopping, as Fastify does (503), but with the safe headers and an access line.
    const refused = (await late) as RawAnswer;
    expect(refused.status).toBe(503);
    expect(refused.head).toContain('x-content-type-options: nosniff');
    expect(JSON.parse(refused.body)).toEqual({
      statusCode: 503,
      message: 'the service is stopping: try again shortly',
      error: 'Service Unavailable',
    });
    expect(await linesOf(refused.localPort, mark)).toEqual([
      expect.objectContaining({ level: 50, method: 'GET', url: '/health/live', status: 503 }),
    ]);
  });
});
