/**
 * The MariaDB import's ratio to its floor, measured in adjacent pairs: MariaDB's LOAD DATA of the
 * main set's polls (the floor, the same 100,000-row batches sorted by key as `measureFloors`
 * loads), then, once InnoDB is quiet again as before every import, one POST /import of the
 * three files into a fresh database by a server of its own, `rounds` times; the median of the
 * pairs' ratios. The main run's import and the floors are minutes apart, and on a machine whose
 * speed drifts from one minute to the next their ratio says as much about the drift as about the
 * import (the same build has measured 1.02× and 1.51× an hour apart).
 */
import type { BenchArgs } from './args';
import { log, round } from './common';
import { ALL_FEEDS, DataSet } from './data-sets';
import { mariadbLoadDataMs, waitForQuietInnodb, withDatabase } from './databases';
import { pollColumns, rowBatches } from './floors';
import { importPhase } from './import-phase';
import { withServer } from './server';

export interface PairedRatio {
  pairs: Array<{ floorMs: number; importMs: number; ratio: number }>;
  /** The median of the pairs' ratios (NaN for none). */
  median: number;
}

export async function pairedFloorRatio(set: DataSet, args: BenchArgs): Promise<PairedRatio> {
  const polls = await pollColumns(set);
  const pairs: PairedRatio['pairs'] = [];
  for (let i = 1; i <= args.pairedRounds; i++) {
    await waitForQuietInnodb(args);
    const [floorMs] = await mariadbLoadDataMs(args, polls, [
      { label: `pair ${i} of ${args.pairedRounds}, the floor`, batches: () => rowBatches(polls, 100_000, true) },
    ]);
    const name = `mysql-pair-${i}`;
    const imported = await withDatabase('mysql', name, args, (url) =>
      withServer(name, url, args, (server) => importPhase(server, 'mysql', set, ALL_FEEDS, args)),
    );
    const ratio = round(imported.wallMs / floorMs, 2);
    log(`pair ${i}: floor ${round(floorMs / 1000, 2)} s, import ${round(imported.wallMs / 1000, 2)} s: ${ratio}×`);
    pairs.push({ floorMs: Math.round(floorMs), importMs: Math.round(imported.wallMs), ratio });
  }
  // (the mean of the middle two of an even count: the bench's nearest-rank median would take the lower)
  const ratios = pairs.map((p) => p.ratio).sort((a, b) => a - b);
  const mid = Math.floor(ratios.length / 2);
  return { pairs, median: ratios.length % 2 === 1 ? ratios[mid] : round((ratios[mid - 1] + ratios[mid]) / 2, 2) };
}
