/**
 * `npm run bench -- --cli-only`: the CLI phase (cli-phase.ts) alone. The main set is imported into
 * a fresh MariaDB database (--mysql-db) and reported on once over HTTP, whose CSV the CLI's must
 * equal; then the CLI phase on that database.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import type { BenchArgs } from './args';
import { CliResult, cliPhase } from './cli-phase';
import { Build, distChangedSince, snapshotDist } from './code-under-test';
import { log, now, round } from './common';
import { DataSet, ensureMainSet } from './data-sets';
import { machine, MachineInfo } from './machine';
import { BenchResults, checks, cliTable, fmt, table } from './results';
import { MainResult, mainRun } from './runs';

export interface CliBenchResults {
  machine: MachineInfo;
  build: Build;
  args: BenchArgs;
  dataSet: Pick<DataSet, 'name' | 'options' | 'rows' | 'bytes' | 'generatedMs'>;
  /** The import and the one HTTP report whose CSV the CLI's is compared with. */
  main: MainResult | null;
  cli: CliResult | null;
  failures: BenchResults['failures'];
  targets: BenchResults['targets'];
  benchWallS: number;
  loadAverageAtEnd: number;
}

/** `--cli-only`: the main set into a fresh MariaDB database, one HTTP report, then the CLI phase. */
export async function cliBench(args: BenchArgs): Promise<void> {
  await mkdir(args.dataDir, { recursive: true });
  const started = now();
  const set = await ensureMainSet(args);
  const info = await machine(['mysql'], args);
  log(`machine: ${JSON.stringify(info)}`);
  const build = await snapshotDist(args.dataDir);
  const failures: BenchResults['failures'] = [];
  let cliResult = null as CliResult | null;
  const fail = (phase: string, error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    log(`FAILED: ${phase}: ${message}`);
    failures.push({ phase, error: message });
  };
  let main: MainResult | null = null;
  try {
    main = await mainRun('mysql', set, 'mysql-main', 1, args, async (url, m) => {
      try {
        cliResult = await cliPhase(url, args.mysqlDb, m, args);
      } catch (error) {
        fail('mysql cli', error);
      }
    });
  } catch (error) {
    fail('mysql main', error);
  }
  build.distChangedDuringRun = await distChangedSince(build);
  const results: CliBenchResults = {
    machine: info,
    build,
    args,
    dataSet: { name: set.name, options: set.options, rows: set.rows, bytes: set.bytes, generatedMs: set.generatedMs },
    main,
    cli: cliResult,
    failures,
    targets: checks([], [], null, null, null, failures, cliResult),
    benchWallS: round((now() - started) / 1000, 1),
    loadAverageAtEnd: round(os.loadavg()[0], 2),
  };
  await writeFile(args.out, `${JSON.stringify(results, null, 2)}\n`);
  const out: string[] = [
    `Store Monitor CLI benchmark, ${info.date}: ${info.nproc} CPUs (${info.cpuModel}), Node ${info.node}, MariaDB ${info.mariadb}`,
    `code: commit ${build.commit?.slice(0, 12) ?? 'unknown'}, digest ${build.distSha256}; main set: ${fmt(set.rows.polls)} polls, ${set.options.stores} stores`,
  ];
  if (cliResult) out.push('', cliTable(cliResult));
  out.push(
    '',
    table(
      ['target', 'database', 'measured', 'target', 'met'],
      results.targets.map((c) => [c.what, c.database, c.shown, c.target, c.met ? 'yes' : 'NO']),
    ),
  );
  for (const f of failures) out.push('', `FAILED ${f.phase}: ${f.error}`);
  out.push('', `results written to ${args.out} (bench took ${fmt(results.benchWallS, 0)} s)`);
  process.stdout.write(`${out.join('\n')}\n`);
}
