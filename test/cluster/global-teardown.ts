import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { CLUSTER_ENV } from './cluster';

/** Stops the cluster and removes its data (GALERA_KEEP=1 leaves it running, for another run). */
export default function globalTeardown(): void {
  if (process.env.GALERA_KEEP === '1') return;
  spawnSync('bash', [join(__dirname, '..', '..', 'scripts', 'galera', 'cluster.sh'), 'destroy'], {
    env: { ...process.env, ...CLUSTER_ENV },
    stdio: ['ignore', 'inherit', 'inherit'],
    timeout: 120_000,
  });
}
