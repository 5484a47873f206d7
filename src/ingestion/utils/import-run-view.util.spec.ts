import type { ImportRunRecord } from '../../repositories/import-run.repository';
import { importRunView } from './import-run-view.util';

const run = (extra: Partial<ImportRunRecord>): ImportRunRecord => ({
  id: 'kP0c9lXh2yq3vQ1s7n8R4w',
  source: 'inbox',
  files: [{ feed: 'polls', name: 'store_status.csv', bytes: 200 }],
  status: 'Running',
  bytesTotal: 200,
  bytesRead: 50,
  summary: null,
  error: null,
  owner: 'web-1-42-abcd',
  heartbeatAtMs: 1700000000500,
  createdAtMs: 1700000000000,
  completedAtMs: null,
  inboxKey: 'k'.repeat(64),
  stoppedAt: null,
  ...extra,
});

describe('importRunView', () => {
  it.each([
    ['a quarter read', run({}), { progress: 0.25, instance: 'web-1-42-abcd', completed_at: null }],
    [
      'done',
      run({ status: 'Complete', bytesRead: 200, owner: null, completedAtMs: 1700000030000 }),
      { progress: 1, instance: null, completed_at: '2023-11-14T22:13:50.000Z' },
    ],
    ['empty files, running', run({ bytesTotal: 0, bytesRead: 0 }), { progress: 0 }],
    [
      'stopped part-way',
      run({ status: 'Failed', error: 'x', stoppedAt: { feed: 'polls', line: 4001, unconfirmed_rows: 20 } }),
      { stopped_at: { feed: 'polls', line: 4001 }, unconfirmed_rows: 20 },
    ],
    ['not stopped part-way', run({ status: 'Complete' }), { stopped_at: null, unconfirmed_rows: 0 }],
    ['empty files, done', run({ bytesTotal: 0, bytesRead: 0, status: 'Failed', error: 'x' }), { progress: 1, error: 'x' }],
  ])('%s', (_name, record, expected) => {
    expect(importRunView(record)).toMatchObject({
      import_id: 'kP0c9lXh2yq3vQ1s7n8R4w',
      source: 'inbox',
      files: [{ feed: 'polls', name: 'store_status.csv', bytes: 200 }],
      created_at: '2023-11-14T22:13:20.000Z',
      ...expected,
    });
  });
});
