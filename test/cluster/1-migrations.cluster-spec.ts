import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { MIGRATIONS } from '../../src/database/database-options';
import { Instance } from '../support/instances';
import { ROOT } from '../support/test-app';
import { clusterUrl, dropDatabase, nodeUrl, queryNode } from './cluster';

/**
 * Instances starting together on an empty cluster, each on another node: GET_LOCK is per node on
 * Galera and DDL replicates in total order, so without the migration lock both would create the
 * tables ("Table 'poll' already exists"). With it, one migrates and the other finds nothing to do.
 */
const ALL = MIGRATIONS.map((m) => m.name);

describe('migrations on a Galera cluster', () => {
  const database = `sm_cluster_migrate_${process.pid}`;
  const started: Instance[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((i) => i.stop()));
  });
  afterAll(() => dropDatabase(database));

  it('two instances starting together on an empty cluster both come up, and the schema is applied once', async () => {
    const [a, b] = await Promise.all([
      Instance.start('a', { DATABASE_URL: clusterUrl(database, 1) }),
      Instance.start('b', { DATABASE_URL: clusterUrl(database, 2) }),
    ]);
    started.push(a, b);
    expect((await a.json('/health')).body).toEqual({ status: 'ok', database: 'mysql', node: expect.stringMatching(/:23301$/) });
    expect((await b.json('/health')).body).toEqual({ status: 'ok', database: 'mysql', node: expect.stringMatching(/:23302$/) });

    const migrations = await queryNode<{ name: string }>(3, 'SELECT name FROM migrations ORDER BY id', database);
    expect(migrations.map((m) => m.name)).toEqual(ALL);
    const applied = [a, b].map((i) => i.log.includes(`applied ${ALL.length} migration(s)`));
    expect(applied.filter(Boolean)).toHaveLength(1);
    expect(await queryNode(1, 'SELECT * FROM migration_lock', database)).toEqual([]);
    expect(a.log + b.log).not.toMatch(/already exists/);
  });

  it('with MIGRATE_ON_START=false an instance is live but not ready until the migrate command ran', async () => {
    const fresh = `${database}_step`;
    try {
      // Instance.start waits for readiness, which this one will not have: start it by hand.
      const pending = Instance.start('pending', { DATABASE_URL: nodeUrl(2, fresh), MIGRATE_ON_START: 'false' });
      const ran = pending.then(() => 'ready');
      const migrate = () =>
        spawnSync(process.execPath, [join(ROOT, 'dist', 'src', 'cli.js'), 'migrate'], {
          env: { ...process.env, DATABASE_URL: nodeUrl(3, fresh) },
          encoding: 'utf8',
          timeout: 120_000,
        });
      // Not ready for a while: no schema.
      expect(await Promise.race([ran, new Promise((resolve) => setTimeout(() => resolve('waiting'), 3000))])).toBe('waiting');
      const first = migrate();
      expect(first.status).toBe(0);
      expect(JSON.parse(first.stdout)).toEqual({ applied: ALL, current: ALL });
      const instance = await pending;
      started.push(instance);
      expect((await instance.json('/health')).status).toBe(200);
      // Again: nothing left to apply.
      const again = migrate();
      expect(again.status).toBe(0);
      expect(JSON.parse(again.stdout).applied).toEqual([]);
    } finally {
      await dropDatabase(fresh);
    }
  });
});
