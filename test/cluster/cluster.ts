/**
 * The three-node Galera cluster of the cluster tests (scripts/galera/cluster.sh): its nodes' URLs,
 * queries on one node, kill -9 and restart of a node.
 */
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';
import { readFileSync } from 'node:fs';
import { FIXTURE, parseReport, ROOT } from '../support/test-app';

export const NODES = [1, 2, 3] as const;
export type NodeNumber = (typeof NODES)[number];

/** The same settings the global setup started the cluster with. */
export const CLUSTER_ENV = {
  GALERA_DIR: process.env.GALERA_DIR ?? join(tmpdir(), 'store-monitor-galera-test'),
  GALERA_PORT_BASE: process.env.GALERA_PORT_BASE ?? '23300',
};

export const sqlPort = (n: NodeNumber) => Number(CLUSTER_ENV.GALERA_PORT_BASE) + n;

/** `mysql://root@127.0.0.1:PORT/db` of one node. */
export const nodeUrl = (n: NodeNumber, database: string) => `mysql://root@127.0.0.1:${sqlPort(n)}/${database}`;

/** Every node, `first` first: `mysql://root@127.0.0.1:P1,127.0.0.1:P2,127.0.0.1:P3/db`. */
export function clusterUrl(database: string, first: NodeNumber = 1): string {
  const order = [first, ...NODES.filter((n) => n !== first)];
  return `mysql://root@${order.map((n) => `127.0.0.1:${sqlPort(n)}`).join(',')}/${database}`;
}

/** Runs scripts/galera/cluster.sh with the test cluster's settings. */
export function clusterScript(...args: string[]): string {
  const result = spawnSync('bash', [join(ROOT, 'scripts', 'galera', 'cluster.sh'), ...args], {
    env: { ...process.env, ...CLUSTER_ENV },
    encoding: 'utf8',
    timeout: 300_000,
  });
  if (result.status !== 0) throw new Error(`cluster.sh ${args.join(' ')} failed (${result.status}):\n${result.stderr}`);
  return result.stdout;
}

/** Rows of one query on one node (its own connection; wsrep_sync_wait so it sees what the cluster committed). */
export async function queryNode<T = Record<string, unknown>>(n: NodeNumber, sql: string, database = ''): Promise<T[]> {
  const conn = await createConnection({ uri: nodeUrl(n, database), supportBigNumbers: true, bigNumberStrings: true });
  try {
    await conn.query('SET SESSION wsrep_sync_wait = 1');
    const [rows] = await conn.query(sql);
    return rows as T[];
  } finally {
    await conn.end();
  }
}

export async function dropDatabase(database: string): Promise<void> {
  await queryNode(1, `DROP DATABASE IF EXISTS \`${database}\``);
}

/** A fingerprint of every row of the data tables, as one node holds them (business_hours without its surrogate id). */
export async function dataDigest(n: NodeNumber, database: string): Promise<Record<string, string>> {
  const tables: Record<string, string> = {
    poll: 'SELECT store_id, timestamp_us, active FROM poll ORDER BY store_id, timestamp_us',
    store: 'SELECT store_id, last_poll_us FROM store ORDER BY store_id',
    business_hours:
      'SELECT store_id, day_of_week, start_sec, end_sec FROM business_hours ORDER BY store_id, day_of_week, start_sec, end_sec',
    store_timezone: 'SELECT store_id, timezone_str FROM store_timezone ORDER BY store_id',
  };
  const digest: Record<string, string> = {};
  for (const [table, sql] of Object.entries(tables)) {
    const rows = await queryNode<Record<string, unknown>>(n, sql, database);
    const hash = createHash('sha256');
    for (const row of rows) hash.update(`${Object.values(row).join(',')}\n`);
    digest[table] = `${rows.length} rows ${hash.digest('hex').slice(0, 16)}`;
  }
  return digest;
}

/** Expects a report CSV to equal the fixture's expected report within 0.01 (as test/reports.e2e-spec.ts does). */
export function expectFixtureReport(csv: string): void {
  const got = parseReport(csv);
  const expected = parseReport(readFileSync(FIXTURE.expected, 'utf8'));
  expect(got.header).toBe(expected.header);
  expect(got.ids).toEqual(expected.ids);
  for (const id of expected.ids) {
    got.rows.get(id)!.forEach((v, i) => expect(Math.abs(v - expected.rows.get(id)![i])).toBeLessThanOrEqual(0.01));
  }
}

/** The node (1..3) an instance's /health says it uses. */
export function nodeOf(health: { node?: string }): NodeNumber {
  const port = Number(health.node?.split(':').at(-1));
  const n = NODES.find((x) => sqlPort(x) === port);
  if (n === undefined) throw new Error(`no cluster node at ${health.node}`);
  return n;
}
