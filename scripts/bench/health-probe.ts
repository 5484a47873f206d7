/**
 * `npm run bench -- --health-probe`: the latency of GET /health while the server imports, at the
 * real feed's size, on each database (GitHub issues 9 and 13: the event loop must not stall while
 * an import writes). Quicker than the whole bench: no reports, no floors, no 10x.
 *
 * One fresh database, one server, three imports one after the other, each with GET /health sent
 * every 20 ms, open loop (latency-probe.ts):
 * 1. "import": the main set's three feeds into the empty database;
 * 2. "re-import": the same files again (every hours schedule replaced, every poll unchanged);
 * 3. "history": the polls of the 7 weeks before the history set's last week (1.8 M more polls).
 * Each phase's p50/p99/max, and the five slowest requests with the time they were sent (UTC, as
 * in the server's log), so that a stall can be matched with what the server was doing.
 * With --cpu-prof the main thread's profile of the whole run is saved and summarised.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { BenchArgs } from './args';
import { Build, distChangedSince, snapshotDist } from './code-under-test';
import { log, now, round } from './common';
import { ALL_FEEDS, DataSet, ensureMainSet, ensureOlderSet, FeedName } from './data-sets';
import { Db, withDatabase } from './databases';
import { ImportResult, importPhase } from './import-phase';
import { HEALTH_P99_TARGET_MS } from './latency-probe';
import { machine, MachineInfo } from './machine';
import { LongTask, longTasks } from './profile-summary';
import { fmt, table } from './results';
import { withServer } from './server';

interface Phase {
  name: string;
  import: ImportResult;
  /** With --cpu-prof: the main thread's longest runs without an idle sample during the phase. */
  longTasks: LongTask[] | null;
}

export interface HealthProbeResult {
  database: Db;
  phases: Phase[];
}

export interface HealthProbeResults {
  machine: MachineInfo;
  build: Build;
  args: BenchArgs;
  results: HealthProbeResult[];
  failures: Array<{ phase: string; error: string }>;
  benchWallS: number;
  loadAverageAtEnd: number;
}

export async function healthProbeBench(args: BenchArgs): Promise<void> {
  const dbs: Db[] = args.only ? [args.only] : ['sqlite', 'mysql'];
  await mkdir(args.dataDir, { recursive: true });
  const started = now();
  const main = await ensureMainSet(args);
  const older = await ensureOlderSet(args);
  const info = await machine(dbs, args);
  log(`machine: ${JSON.stringify(info)}`);
  const build = await snapshotDist(args.dataDir);

  const results: HealthProbeResult[] = [];
  const failures: HealthProbeResults['failures'] = [];
  for (const db of dbs) {
    try {
      results.push(await probeRun(db, main, older, args));
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      log(`FAILED: ${db} health probe: ${message}`);
      failures.push({ phase: `${db} health probe`, error: message });
    }
  }
  build.distChangedDuringRun = await distChangedSince(build);
  const out: HealthProbeResults = {
    machine: info,
    build,
    args,
    results,
    failures,
    benchWallS: round((now() - started) / 1000, 1),
    loadAverageAtEnd: round(os.loadavg()[0], 2),
  };
  await writeFile(args.out, `${JSON.stringify(out, null, 2)}\n`);
  process.stdout.write(`${resultText(out)}\n`);
  if (failures.length > 0) process.exitCode = 1;
}

function probeRun(db: Db, main: DataSet, older: DataSet, args: BenchArgs): Promise<HealthProbeResult> {
  const name = `${db}-health-probe`;
  return withDatabase(
    db,
    name,
    args,
    (url) =>
      withServer(name, url, args, async (server) => {
        const phases: Phase[] = [];
        const run = async (phase: string, set: DataSet, feeds: FeedName[]) => {
          const imported = await importPhase(server, db, set, feeds, args);
          // Each phase's profile (since the one before) is written to the same file: read it now.
          phases.push({ name: phase, import: imported, longTasks: imported.profile ? longTasks(imported.profile) : null });
        };
        await run('import', main, ALL_FEEDS);
        await run('re-import', main, ALL_FEEDS);
        await run('history', older, ['polls']);
        return { database: db, phases };
      }),
    `${args.mysqlDb}_health`,
  );
}

function resultText(out: HealthProbeResults): string {
  const rows = out.results.flatMap((r) =>
    r.phases.map((p) => {
      const h = p.import.health;
      return [
        `${r.database} ${p.name}`,
        p.import.polls.toLocaleString('en-US'),
        fmt(p.import.wallMs / 1000, 1),
        p.import.pollsPerSec.toLocaleString('en-US'),
        `${fmt(h.p50Ms, 1)} / ${fmt(h.p99Ms, 1)} / ${fmt(h.maxMs, 0)}`,
        h.p99Ms < HEALTH_P99_TARGET_MS ? 'yes' : 'NO',
        h.slowest.map((s) => `${s.sentAt} ${fmt(s.ms, 0)}`).join(', '),
      ];
    }),
  );
  const lines = [
    `GET /health during imports (every 20 ms, open loop); load average ${out.machine.loadAverageAtStart} at start, ${out.loadAverageAtEnd} at end`,
    table(
      ['phase', 'polls', 'wall s', 'polls/s', 'p50 / p99 / max ms', `p99 < ${HEALTH_P99_TARGET_MS}`, 'slowest (sent at UTC, ms)'],
      rows,
    ),
  ];
  for (const r of out.results)
    for (const p of r.phases)
      if (p.longTasks)
        lines.push(
          `${r.database} ${p.name}: the main thread's longest tasks (ms since the phase's start: length, top frames)`,
          ...p.longTasks.map((t) => `  ${String(t.atMs).padStart(7)}: ${String(t.ms).padStart(5)} ms  ${t.top.join(', ')}`),
        );
  for (const f of out.failures) lines.push(`FAILED: ${f.phase}: ${f.error}`);
  return lines.join('\n');
}
