/**
 * `node dist/scripts/bench/takeover.js [--lease S …] [bench options]`: what a crash costs a report.
 * On MariaDB at the main set's size, two instances of the built service share one database; a
 * report is built once undisturbed (trigger → Complete), then again with its builder killed
 * (kill -9) as soon as it has claimed it: the time from the kill to Complete through the other
 * instance is the takeover time. It is bounded by the lease (REPORT_LEASE_S), the claim interval
 * (1 s) and the build itself; each --lease given is measured in turn (default: 30, the default).
 */
import { once } from 'node:events';
import { parseArgs } from './args';
import { log, now, round } from './common';
import { ensureMainSet } from './data-sets';
import { withDatabase } from './databases';
import { postImport } from './http';
import { ServerProcess } from './server';
import { request } from '../support/http';
import { sleep } from '../support/wait';

interface Takeover {
  leaseS: number;
  undisturbedS: number;
  /** From the kill to Complete. */
  takeoverS: number;
  csvIdentical: boolean;
}

async function json<T>(server: ServerProcess, method: string, path: string, body?: object): Promise<T> {
  const answer = await request(server.base, method, path, {
    headers: body ? { 'content-type': 'application/json' } : undefined,
    body: body ? JSON.stringify(body) : undefined,
  });
  return JSON.parse(answer.body.toString('utf8')) as T;
}

/** Polls until the report is no longer Running (bounded); returns the CSV. */
async function csvOf(server: ServerProcess, id: string): Promise<string> {
  for (const until = now() + 600_000; now() < until; await sleep(20)) {
    const answer = await request(server.base, 'GET', `/get_report/${id}`);
    const text = answer.body.toString('utf8');
    if (answer.headers.get('x-report-status') === 'Complete') return text;
    const status = (JSON.parse(text) as { status: string }).status;
    if (status !== 'Running') throw new Error(`report ${id} ended ${status}: ${text}`);
  }
  throw new Error(`report ${id} still running after 600 s`);
}

async function measure(url: string, leaseS: number, dataDir: string, files: Parameters<typeof postImport>[1]): Promise<Takeover> {
  const env = { REPORT_LEASE_S: String(leaseS) };
  const a = await ServerProcess.start(`takeover-a-${leaseS}`, url, dataDir, false, env);
  const b = await ServerProcess.start(`takeover-b-${leaseS}`, url, dataDir, false, env);
  const servers = [a, b];
  try {
    if ((await json<{ reports: unknown[] }>(a, 'GET', '/reports?limit=1')).reports.length === 0) {
      log('takeover: importing the main set');
      const imported = await postImport(a.port, files, 1_800_000);
      if (imported.status !== 200) throw new Error(`import answered ${imported.status}`);
    }
    let started = now();
    const first = await json<{ report_id: string }>(a, 'POST', '/trigger_report');
    const reference = await csvOf(a, first.report_id);
    const undisturbedS = (now() - started) / 1000;
    const { as_of } = await json<{ as_of: string }>(a, 'GET', `/reports/${first.report_id}`);

    const { report_id } = await json<{ report_id: string }>(a, 'POST', '/trigger_report', { as_of });
    let builder: string | null = null;
    for (started = now(); builder === null && now() - started < 60_000; await sleep(5)) {
      builder = (await json<{ instance: string | null }>(a, 'GET', `/reports/${report_id}`)).instance;
    }
    const victim = servers.find((s) => builder?.split('-').at(-2) === String(s.child.pid));
    if (victim === undefined) throw new Error(`no instance of this bench claimed report ${report_id} (${builder})`);
    const survivor = victim === a ? b : a;
    const killedAt = now();
    const exited = once(victim.child, 'exit');
    victim.child.kill('SIGKILL');
    await exited;
    const csv = await csvOf(survivor, report_id);
    const takeoverS = (now() - killedAt) / 1000;
    log(`takeover (lease ${leaseS} s): undisturbed ${round(undisturbedS, 2)} s, kill → Complete ${round(takeoverS, 2)} s`);
    return { leaseS, undisturbedS: round(undisturbedS, 2), takeoverS: round(takeoverS, 2), csvIdentical: csv === reference };
  } finally {
    for (const s of servers) await s.stop();
  }
}

async function main() {
  const argv = process.argv.slice(2);
  const leases: number[] = [];
  for (let i = argv.indexOf('--lease'); i >= 0; i = argv.indexOf('--lease')) leases.push(Number(argv.splice(i, 2)[1]));
  const args = parseArgs(argv);
  const set = await ensureMainSet(args);
  const results = await withDatabase('mysql', 'takeover', args, async (url) => {
    const out: Takeover[] = [];
    for (const leaseS of leases.length > 0 ? leases : [30]) out.push(await measure(url, leaseS, args.dataDir, set.files));
    return out;
  });
  process.stdout.write(
    `| lease (s) | undisturbed trigger→Complete (s) | kill -9 → Complete on the other instance (s) | same CSV |\n`,
  );
  process.stdout.write(`|---:|---:|---:|:---:|\n`);
  for (const r of results)
    process.stdout.write(`| ${r.leaseS} | ${r.undisturbedS} | ${r.takeoverS} | ${r.csvIdentical ? 'yes' : 'NO'} |\n`);
}

main().catch((error: Error) => {
  process.stderr.write(`takeover bench: ${error.message}\n`);
  process.exit(1);
});
