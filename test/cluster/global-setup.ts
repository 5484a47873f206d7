import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { CLUSTER_ENV } from './cluster';

/** Starts the three-node cluster (installing galera-4, socat and mariadb-backup when missing). */
export default function globalSetup(): void {
  const started = Date.now();
  const result = spawnSync('bash', [join(__dirname, '..', '..', 'scripts', 'galera', 'cluster.sh'), 'start'], {
    env: { ...process.env, ...CLUSTER_ENV },
    stdio: ['ignore', 'inherit', 'inherit'],
    timeout: 600_000,
  });
  if (result.status !== 0) throw new Error(`the Galera cluster did not start (cluster.sh start exited ${result.status})`);
  process.stderr.write(`[galera] cluster up in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}
