import { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { freePort, spawnServer, stopServer, waitForHealth } from '../scripts/support/server-process';
import { sleep } from '../scripts/support/wait';
import { Instance } from './support/instances';
import { tcpProxy } from './support/tcp-proxy';
import { ROOT } from './support/test-app';
import { TEST_DATABASES, TestDatabase } from './support/test-database';

/**
 * The built server's start on MySQL: waiting for a database that is not there yet
 * (DB_CONNECT_TIMEOUT_S), giving up after it, and DATABASE_URL naming several hosts.
 */
const describeOnMysql = TEST_DATABASES.includes('mysql') ? describe : describe.skip;

describeOnMysql('database at start (MariaDB)', () => {
  const db = new TestDatabase('mysql', 'dbstart');
  const server = new URL(db.url);
  const started: Instance[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((i) => i.stop()));
  });
  afterAll(() => db.drop());

  it('waits for a database that comes up after it, then is ready', async () => {
    const proxy = await tcpProxy(server);
    try {
      const url = `mysql://root@127.0.0.1:${proxy.port}${server.pathname}`;
      const { instance, ready } = await Instance.launch('late', { DATABASE_URL: url, DB_CONNECT_TIMEOUT_S: '120' });
      started.push(instance);
      void ready.catch(() => undefined); // awaited below
      // The database comes up once the service has tried it and been refused.
      while (!/the database is not reachable yet/.test(instance.log)) {
        if (instance.child.exitCode !== null) throw new Error(`the service exited:\n${instance.log}`);
        await sleep(100);
      }
      await proxy.open();
      await ready;
      expect((await instance.json('/health')).body).toEqual({ status: 'ok', database: 'mysql', node: `127.0.0.1:${proxy.port}` });
      expect(instance.log).toMatch(/the database is not reachable yet \(ECONNREFUSED/);
    } finally {
      await proxy.close();
    }
  });

  it('gives up after DB_CONNECT_TIMEOUT_S with a one-line reason and a non-zero exit', async () => {
    const port = await freePort(); // nothing listens there
    const child: ChildProcess = spawnServer({
      script: join(ROOT, 'dist', 'src', 'main.js'),
      port: await freePort(),
      env: { DATABASE_URL: `mysql://root@127.0.0.1:${port}/nothing`, DB_CONNECT_TIMEOUT_S: '2' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout!.on('data', (d) => (output += d));
    child.stderr!.on('data', (d) => (output += d));
    const started = Date.now();
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).not.toBe(0);
    // Not at the first refusal: it kept trying for its DB_CONNECT_TIMEOUT_S (giving up at all is
    // the exit awaited above).
    expect(Date.now() - started).toBeGreaterThan(1500);
    expect(output).toMatch(/store-monitor: the database is unreachable \(ECONNREFUSED/);
  });

  it('uses the first reachable host of several, and /health names it', async () => {
    const closed = await freePort();
    const url = `mysql://root@127.0.0.1:${closed},${server.host}${server.pathname}`;
    const instance = await Instance.start('several', { DATABASE_URL: url });
    started.push(instance);
    expect((await instance.json('/health')).body).toEqual({ status: 'ok', database: 'mysql', node: server.host });
    expect((await instance.json('/health/live')).body).toEqual({ status: 'ok' });
  });

  it('answers /health/live but not /health while its database is gone', async () => {
    const proxy = await tcpProxy(server);
    await proxy.open();
    const port = await freePort();
    const child = spawnServer({
      script: join(ROOT, 'dist', 'src', 'main.js'),
      port,
      env: { DATABASE_URL: `mysql://root@127.0.0.1:${proxy.port}${server.pathname}` },
      stdio: 'ignore',
    });
    try {
      await waitForHealth(child, port, 'gone', { timeoutMs: 30_000 });
      await proxy.close(); // the database "goes away"
      const ready = await fetch(`http://127.0.0.1:${port}/health`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toEqual({ statusCode: 503, message: 'not ready', error: 'Service Unavailable' });
      expect((await fetch(`http://127.0.0.1:${port}/health/live`)).status).toBe(200);
    } finally {
      await stopServer(child, 'gone');
    }
  });

  it('answers 503 at once, without retrying, while it already knows its database is unreachable; serves again once it is back', async () => {
    const proxy = await tcpProxy(server);
    await proxy.open();
    try {
      const instance = await Instance.start('unreachable', {
        DATABASE_URL: `mysql://root@127.0.0.1:${proxy.port}${server.pathname}`,
      });
      started.push(instance);
      await proxy.close(); // the database "goes away"
      // The readiness check finds no node: from now on the pool knows.
      expect((await fetch(`${instance.base}/health`)).status).toBe(503);

      const form = new FormData();
      form.append('timezones', new Blob(['store_id,timezone_str\ns1,Etc/UTC\n']), 'zones.csv');
      const answers = {
        reports: await fetch(`${instance.base}/reports`),
        imports: await fetch(`${instance.base}/imports`),
        trigger: await fetch(`${instance.base}/trigger_report`, { method: 'POST' }),
        import: await fetch(`${instance.base}/import`, { method: 'POST', body: form }),
      };
      // Tried once: the generic unavailable answer, not the one after the retries ran out.
      for (const [name, res] of Object.entries(answers)) {
        expect([name, res.status, await res.json()]).toEqual([
          name,
          503,
          { statusCode: 503, message: 'the database is unavailable: try again shortly', error: 'Service Unavailable' },
        ]);
      }

      await proxy.open();
      expect((await fetch(`${instance.base}/reports`)).status).toBe(200);
      expect((await fetch(`${instance.base}/trigger_report`, { method: 'POST' })).status).toBe(202);
    } finally {
      await proxy.close().catch(() => undefined);
    }
  });
});
