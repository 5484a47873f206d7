import { TEST_DATABASES } from '../../test/support/test-database';
import { useTestSql } from '../../test/support/test-sql';
import { ReportRecord, ReportRepository } from './report.repository';

const running = (id: string, createdAtMs: number): Omit<ReportRecord, 'csv'> => ({
  id,
  status: 'Running',
  asOfUs: null,
  progress: 0,
  rowCount: null,
  error: null,
  createdAtMs,
  completedAtMs: null,
});

describe.each(TEST_DATABASES)('ReportRepository on %s', (kind) => {
  const t = useTestSql(kind, 'reportrepo');
  const reports = () => new ReportRepository(t.sql);

  it('stores a report and finds it by id, unknown ids as null', async () => {
    await reports().insert({ ...running('r1', 1700000000000), asOfUs: 1678719600123456 });
    expect(await reports().find('r1')).toEqual({ ...running('r1', 1700000000000), asOfUs: 1678719600123456 });
    expect(await reports().find('nope')).toBeNull();
  });

  it('records progress, then completion with the CSV, read only when asked for', async () => {
    await reports().insert(running('r1', 1));
    await reports().setProgress('r1', 0.25);
    expect((await reports().find('r1'))!.progress).toBe(0.25);
    await reports().complete('r1', { asOfUs: 42, rowCount: 2, csv: 'h\na\nb\n', completedAtMs: 9 });
    const done = await reports().find('r1');
    expect(done).toEqual({ ...running('r1', 1), status: 'Complete', progress: 1, asOfUs: 42, rowCount: 2, completedAtMs: 9 });
    expect(done).not.toHaveProperty('csv');
    expect((await reports().find('r1', true))!.csv).toBe('h\na\nb\n');
  });

  it('records a failure with its reason', async () => {
    await reports().insert(running('r1', 1));
    await reports().fail('r1', 'database unreachable', 7);
    expect(await reports().find('r1')).toMatchObject({ status: 'Failed', error: 'database unreachable', completedAtMs: 7 });
  });

  it('fails every Running report and only those', async () => {
    await reports().insert(running('r1', 1));
    await reports().insert(running('r2', 2));
    await reports().insert(running('done', 3));
    await reports().complete('done', { asOfUs: 1, rowCount: 0, csv: 'h\n', completedAtMs: 4 });
    expect(await reports().failAllRunning('stopped', 5)).toBe(2);
    expect((await reports().find('r2'))!.status).toBe('Failed');
    expect((await reports().find('done'))!.status).toBe('Complete');
  });

  it('deletes finished reports created before a time, never Running ones', async () => {
    for (const [id, created] of [
      ['old-done', 10],
      ['old-failed', 11],
      ['old-running', 12],
      ['new-done', 100],
    ] as const) {
      await reports().insert(running(id, created));
    }
    await reports().complete('old-done', { asOfUs: 1, rowCount: 0, csv: 'h\n', completedAtMs: 20 });
    await reports().complete('new-done', { asOfUs: 1, rowCount: 0, csv: 'h\n', completedAtMs: 120 });
    await reports().fail('old-failed', 'x', 20);
    expect(await reports().deleteFinishedBefore(50)).toBe(2);
    expect(await reports().find('old-done')).toBeNull();
    expect(await reports().find('old-failed')).toBeNull();
    expect(await reports().find('old-running')).not.toBeNull();
    expect(await reports().find('new-done')).not.toBeNull();
  });
});
