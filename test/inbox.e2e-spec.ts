import { existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { appendFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sleep } from '../scripts/support/wait';
import { Instance } from './support/instances';
import { FIXTURE } from './support/test-app';
import { TEST_DATABASES, TestDatabase } from './support/test-database';

/**
 * The watched inbox with two instances of the built service on one database and one folder,
 * scanning every second: each file is imported exactly once, and only once it is whole.
 */
describe.each(TEST_DATABASES)('the inbox, two instances on %s', (kind) => {
  const db = new TestDatabase(kind, 'inbox');
  const inbox = mkdtempSync(join(tmpdir(), 'sm-inbox-'));
  let instances: Instance[] = [];

  beforeAll(async () => {
    const env = { DATABASE_URL: db.url, INBOX_DIR: inbox, INBOX_CRON: '* * * * * *' };
    // One first, so that SQLite's file and the schema exist before the second starts.
    instances.push(await Instance.start('a', env));
    instances.push(await Instance.start('b', env));
  });
  afterAll(async () => {
    await Promise.all(instances.map((i) => i.stop()));
    instances = [];
    rmSync(inbox, { recursive: true, force: true });
    await db.drop();
  });

  it('imports each file once, a slowly written one only when whole, and files a malformed one in failed/', async () => {
    writeFileSync(join(inbox, 'zones.csv'), readFileSync(FIXTURE.timezones));
    writeFileSync(join(inbox, 'bad.csv'), 'a,b,c\n1,2,3\n');
    writeFileSync(join(inbox, '.hidden.csv'), readFileSync(FIXTURE.timezones));
    writeFileSync(join(inbox, 'polls.csv.part'), readFileSync(FIXTURE.polls));

    // Business hours arrive in pieces over several scans.
    const hours = readFileSync(FIXTURE.business_hours);
    const pieces = 8;
    for (let i = 0; i < pieces; i++) {
      await appendFile(
        join(inbox, 'hours.csv'),
        hours.subarray(Math.floor((i * hours.length) / pieces), Math.floor(((i + 1) * hours.length) / pieces)),
      );
      await sleep(400);
    }
    renameSync(join(inbox, 'polls.csv.part'), join(inbox, 'polls.csv')); // the usual way to hand over a whole file

    const expected = { processed: ['hours.csv', 'polls.csv', 'zones.csv'], failed: ['bad.csv'] };
    const filed = (folder: string) =>
      existsSync(join(inbox, folder))
        ? readdirSync(join(inbox, folder))
            .filter((n) => n.endsWith('.csv'))
            .sort()
        : [];
    for (let i = 0; i < 600 && (filed('processed').length < 3 || filed('failed').length < 1); i++) await sleep(100);
    expect({ processed: filed('processed'), failed: filed('failed') }).toEqual(expected);

    // The slowly written file was taken whole.
    expect(readFileSync(join(inbox, 'processed', 'hours.csv'))).toEqual(hours);
    const hoursSummary = JSON.parse(readFileSync(join(inbox, 'processed', 'hours.csv.summary.json'), 'utf8'));
    expect(hoursSummary).toMatchObject({
      status: 'Complete',
      feed: 'business_hours',
      summary: { business_hours: { read: 284, inserted: 282, rejected: 2 } },
    });
    const pollsSummary = JSON.parse(readFileSync(join(inbox, 'processed', 'polls.csv.summary.json'), 'utf8'));
    expect(pollsSummary.summary.polls).toMatchObject({ read: 6561, inserted: 6497, unchanged: 59, replaced: 0, rejected: 5 });
    const bad = JSON.parse(readFileSync(join(inbox, 'failed', 'bad.csv.summary.json'), 'utf8'));
    expect(bad).toMatchObject({
      status: 'Failed',
      error:
        'bad.csv: not a feed file: its header matches none of polls (store_id, status, timestamp_utc), ' +
        'business hours (store_id, dayOfWeek or day, start_time_local, end_time_local), timezones (store_id, timezone_str)',
    });
    expect(readdirSync(inbox).sort()).toEqual(['.hidden.csv', 'failed', 'processed']);

    // Exactly one run per file, whichever instance took it.
    const { body } = await instances[0].json('/imports?limit=100');
    const runs = body.imports.map((r: any) => [r.files[0].name, r.source, r.status]).sort();
    expect(runs).toEqual([
      ['bad.csv', 'inbox', 'Failed'],
      ['hours.csv', 'inbox', 'Complete'],
      ['polls.csv', 'inbox', 'Complete'],
      ['zones.csv', 'inbox', 'Complete'],
    ]);
    // The data is one import's: a report of the fixture stores.
    const id = await instances[1].trigger();
    expect((await instances[1].csvOf(id)).split('\n')).toHaveLength(42); // header, 40 stores, final newline
  });
});
