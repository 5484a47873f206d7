import { Logger } from '@nestjs/common';
import { MigrationInterface, QueryRunner } from 'typeorm';
import { formatInstantUs } from '../../common/utils/format-instant-us.util';
import { inChunks } from '../../common/utils/in-chunks.util';
import { resolveStoredZone } from '../../engine/utils/resolve-stored-zone.util';

/**
 * The instants the input rules accept (parseTimestampUs), as they stood when this migration was
 * written: 1970-01-01T00:00Z up to, not including, 2100-01-01T00:00Z, in µs.
 */
const FIRST_US = 0;
const END_US = Date.UTC(2100, 0, 1) * 1000;
/**
 * Store ids per statement. Under 1000 for MariaDB's IN lists: from its
 * in_predicate_conversion_threshold (1000) on, a list becomes a join with a table of the values.
 */
export const STORES_PER_STATEMENT = 500;
/** Names (or stores) quoted in a log line: enough to act on, short enough to read. */
const SHOWN = 10;

/**
 * Brings rows stored before the input rules (docs/operations.md, "What the API accepts") under
 * them, so that any database holds only what an import accepts:
 *
 * - **Zones** (`store_timezone.timezone_str`). An older database may hold any name Node's Intl
 *   accepts, as written; imports take names as IANA spells them and store a link as its zone.
 *   The engine computes a stored name through Intl (`storeZone`: case-insensitive, ICU's own names
 *   too) and a name Intl refuses in America/Chicago, the zone of a store without one. Each name
 *   becomes what keeps every report and store view the same (`resolveStoredZone`):
 *   - a link or another spelling Intl reads as a zone (`US/Central`, `america/chicago`,
 *     `Asia/Calcutta`, `PST`) is rewritten to that zone's canonical name (`America/Chicago`,
 *     `Asia/Kolkata`, `America/Los_Angeles`): the same offsets, as an import would store it;
 *   - a name Intl refuses (`Mars/Olympus_Mons`, `America/New York`) is removed, not rewritten:
 *     the engine computed the store in America/Chicago, and a store without a zone still is
 *     (with `timezone_is_default` true in the store view, as before), whereas writing
 *     `America/Chicago` would claim a zone nobody gave, and guessing the name meant
 *     (`America/New_York`) would change the store's figures;
 *   - a name Intl reads as a zone of ICU that no IANA name computes the same (the obsolete
 *     `SystemV/EST5EDT`) is left as stored, with a warning: any change would change its figures.
 * - **Polls** outside 1970–2099 (a typo such as 2203, which would otherwise be every report's
 *   default as_of through MAX(store.last_poll_us)) are removed, and `last_poll_us` of their
 *   stores recomputed from the polls left (NULL when none is). Nothing else is touched.
 *
 * Cost: each store's first and last poll are read from the primary key (store_id,
 * timestamp_us), a MIN and a MAX of its prefix, one seek each whatever the statistics say, so
 * the poll table is never scanned (`pollEdges`); a poll outside is deleted by its key, and the
 * next one found the same way. Zones are one read of `store_timezone` (a row a store); every
 * write names its rows by key, so the migration's time follows the store count, not the polls
 * held (its figures: docs/benchmarks.md). Idempotent: a second run changes nothing. What
 * changed is logged as warnings (so that the `migrate` command, which prints warnings only,
 * shows them too), then a summary line.
 */
export class StoredInputRules1764300000000 implements MigrationInterface {
  name = 'StoredInputRules1764300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const logger = new Logger(this.name);
    const started = Date.now();
    const mysql = queryRunner.connection.options.type === 'mysql';
    const zones = await zonesUnderRules(queryRunner, logger);
    const polls = await pollsInRange(queryRunner, mysql ? 'mysql' : 'sqlite', logger);
    logger.log(
      `stored data checked against the input rules in ${Date.now() - started} ms (${counted(zones.checked, 'zone')}, ` +
        `the polls of ${counted(polls.stores, 'store')}): ${counted(zones.rewritten, 'zone')} rewritten, ` +
        `${zones.removed} removed, ${zones.kept} left as stored; ${counted(polls.removed, 'poll')} removed`,
    );
  }

  /** Nothing to undo: the rewritten zones compute as before, and the removed rows were refused input. */
  async down(): Promise<void> {}
}

async function zonesUnderRules(queryRunner: QueryRunner, logger: Logger) {
  const rows = await objects<{ store_id: string; timezone_str: string }>(
    queryRunner,
    'SELECT store_id, timezone_str FROM store_timezone ORDER BY store_id',
  );
  // By name, compared in JavaScript: MySQL's collation of the column ignores case (and trailing spaces).
  const storesOf = new Map<string, string[]>();
  for (const { store_id, timezone_str } of rows) {
    const ids = storesOf.get(timezone_str);
    if (ids === undefined) storesOf.set(timezone_str, [store_id]);
    else ids.push(store_id);
  }
  const rewrites = new Map<string, string[]>(); // zone → the stores to set to it
  const removed: string[] = [];
  const said = { rewritten: [] as string[], removed: [] as string[], kept: [] as string[] };
  let rewritten = 0;
  let kept = 0;
  for (const [name, ids] of storesOf) {
    const zone = resolveStoredZone(name);
    if (zone.kind === 'zone' && zone.zone === name) continue;
    const count = `×${ids.length}`;
    if (zone.kind === 'zone') {
      rewrites.set(zone.zone, [...(rewrites.get(zone.zone) ?? []), ...ids]);
      rewritten += ids.length;
      said.rewritten.push(`${JSON.stringify(name)} → ${zone.zone} ${count}`);
    } else if (zone.kind === 'default') {
      removed.push(...ids);
      said.removed.push(`${JSON.stringify(name)} ${count}`);
    } else {
      kept += ids.length;
      said.kept.push(`${JSON.stringify(name)}${zone.icu === name ? '' : ` (ICU's ${zone.icu})`} ${count}`);
    }
  }
  for (const [zone, ids] of rewrites) {
    await inChunks(ids, STORES_PER_STATEMENT, (chunk) =>
      queryRunner.query(`UPDATE store_timezone SET timezone_str = ? WHERE store_id IN (${marks(chunk)})`, [zone, ...chunk]),
    );
  }
  await inChunks(removed, STORES_PER_STATEMENT, (chunk) =>
    queryRunner.query(`DELETE FROM store_timezone WHERE store_id IN (${marks(chunk)})`, chunk),
  );
  if (rewritten > 0)
    logger.warn(
      `store_timezone: ${counted(rewritten, 'zone')} rewritten as IANA names them, computed as before: ${shown(said.rewritten)}`,
    );
  if (removed.length > 0)
    logger.warn(
      `store_timezone: ${counted(removed.length, 'zone')} unknown to the engine removed; those stores were and are computed in ` +
        `America/Chicago, the zone of a store without one (import their zones again to set them): ${shown(said.removed)}`,
    );
  if (kept > 0)
    logger.warn(
      `store_timezone: ${counted(kept, 'zone')} left as stored: no IANA name computes as they do, so any change would change ` +
        `their stores' figures (import their zones again): ${shown(said.kept)}`,
    );
  return { checked: rows.length, rewritten, removed: removed.length, kept };
}

async function pollsInRange(queryRunner: QueryRunner, dialect: 'mysql' | 'sqlite', logger: Logger) {
  // Every store with a poll is in `store` (the poll writers register it with the poll).
  const stores = (await objects<{ store_id: string }>(queryRunner, 'SELECT store_id FROM store ORDER BY store_id')).map(
    (r) => r.store_id,
  );
  const outside: PollEdges[] = [];
  await inChunks(stores, STORES_PER_STATEMENT, async (chunk) => {
    const { sql, params } = pollEdges(dialect, chunk);
    for (const row of await objects<PollEdges>(queryRunner, sql, params)) {
      const [first, last] = [nullable(row.first_us), nullable(row.last_us)];
      if ((first !== null && first < FIRST_US) || (last !== null && last >= END_US))
        outside.push({ ...row, first_us: first, last_us: last });
    }
  });
  if (outside.length === 0) return { stores: stores.length, removed: 0 };

  const before = await latestPollUs(queryRunner);
  const perStore = new Map<string, number>();
  for (const { store_id, first_us, last_us } of outside) {
    // One poll at a time, by its full key, the next one found by the store's MIN or MAX (a seek):
    // no plan here can become a scan, however many polls a store has.
    let removed = 0;
    const remove = async (at: number) => {
      await queryRunner.query('DELETE FROM poll WHERE store_id = ? AND timestamp_us = ?', [store_id, at]);
      removed++;
    };
    for (let at = first_us; at !== null && at < FIRST_US; at = await edge(queryRunner, 'MIN', store_id)) await remove(at);
    for (let at = last_us; at !== null && at >= END_US; at = await edge(queryRunner, 'MAX', store_id)) await remove(at);
    // the MAX of the polls left, NULL when none is
    const last = await edge(queryRunner, 'MAX', store_id);
    await queryRunner.query('UPDATE store SET last_poll_us = ? WHERE store_id = ?', [last, store_id]);
    perStore.set(store_id, removed);
  }
  const removed = [...perStore.values()].reduce((a, b) => a + b, 0);
  const after = await latestPollUs(queryRunner);
  const asOf = (us: number | null) => (us === null ? 'none (no poll)' : formatInstantUs(us));
  logger.warn(
    `poll: ${counted(removed, 'poll')} outside the years 1970-2099 removed and last_poll_us recomputed for ` +
      `${counted(perStore.size, 'store')} (default as_of ${asOf(before)} → ${asOf(after)}): ` +
      shown([...perStore.keys()].sort().map((id) => `store ${id} ×${perStore.get(id)}`)),
  );
  return { stores: stores.length, removed };
}

interface PollEdges {
  store_id: string;
  first_us: number | null;
  last_us: number | null;
}

/**
 * The first and last poll of each of these stores (NULL for a store without polls), from the
 * primary key (store_id, timestamp_us) alone, whatever the statistics say. InnoDB's can say the
 * poll table is empty (after a crash soon after a bulk import), and with them MariaDB reads a
 * list of ranges (`store_id IN (…) AND timestamp_us < 0`) by scanning the whole table, hints or
 * not (`test/innodb-statistics.e2e-spec.ts` leaves a server in that state). A MIN or MAX over a
 * key prefix set to a constant is answered while the statement is planned, by one seek ("Select
 * tables optimized away"), so MySQL gets one such pair per store, side by side; SQLite seeks the
 * same way for a correlated MIN/MAX over its primary key.
 */
export function pollEdges(dialect: 'mysql' | 'sqlite', storeIds: readonly string[]): { sql: string; params: string[] } {
  if (dialect === 'mysql') {
    return {
      sql: storeIds
        .map(
          () =>
            'SELECT ? AS store_id, (SELECT MIN(timestamp_us) FROM poll WHERE store_id = ?) AS first_us, ' +
            '(SELECT MAX(timestamp_us) FROM poll WHERE store_id = ?) AS last_us',
        )
        .join(' UNION ALL '),
      params: storeIds.flatMap((id) => [id, id, id]),
    };
  }
  return {
    sql: `SELECT s.store_id,
                 (SELECT MIN(p.timestamp_us) FROM poll p WHERE p.store_id = s.store_id) AS first_us,
                 (SELECT MAX(p.timestamp_us) FROM poll p WHERE p.store_id = s.store_id) AS last_us
            FROM store s WHERE s.store_id IN (${marks(storeIds)})`,
    params: [...storeIds],
  };
}

/** A store's first or last poll (one seek of the primary key), null when it has none. */
async function edge(queryRunner: QueryRunner, fn: 'MIN' | 'MAX', storeId: string): Promise<number | null> {
  const [row] = await objects<{ at: unknown }>(queryRunner, `SELECT ${fn}(timestamp_us) AS at FROM poll WHERE store_id = ?`, [
    storeId,
  ]);
  return nullable(row.at);
}

const nullable = (value: unknown) => (value == null ? null : Number(value));

/** A report's default as_of: MAX(last_poll_us), one seek of its index. */
async function latestPollUs(queryRunner: QueryRunner): Promise<number | null> {
  const [row] = await objects<{ latest: unknown }>(queryRunner, 'SELECT MAX(last_poll_us) AS latest FROM store');
  return nullable(row.latest);
}

/** The rows of a SELECT as objects by column name (both drivers answer so). */
async function objects<T>(queryRunner: QueryRunner, sql: string, params: unknown[] = []): Promise<T[]> {
  return (await queryRunner.query(sql, params)) as T[];
}

const marks = (items: readonly unknown[]) => items.map(() => '?').join(', ');

const counted = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

const shown = (items: readonly string[]) =>
  items.length > SHOWN ? `${items.slice(0, SHOWN).join(', ')}, … (${items.length - SHOWN} more)` : items.join(', ');
