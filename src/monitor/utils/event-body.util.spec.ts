import { eventBody } from './event-body.util';

const base = { id: 7, storeId: 's1', zone: 'America/Chicago', createdAtMs: 0, asOfUs: Date.UTC(2023, 2, 13, 15) * 1000 };

describe('eventBody', () => {
  it.each([
    [
      'store.down: no end, the as_of it was found at',
      { ...base, type: 'store.down' as const, incidentStartUs: Date.UTC(2023, 2, 13, 14, 30) * 1000, incidentEndUs: null },
      {
        id: '7',
        type: 'store.down',
        store_id: 's1',
        incident_start: { utc: '2023-03-13T14:30:00.000000Z', local: '2023-03-13T09:30:00.000000-05:00' },
        incident_end: null,
        duration_s: null,
        detected_at_as_of: { utc: '2023-03-13T15:00:00.000000Z', local: '2023-03-13T10:00:00.000000-05:00' },
      },
    ],
    [
      'store.up across the DST change: its length in real seconds, a half microsecond rounded',
      {
        ...base,
        type: 'store.up' as const,
        incidentStartUs: Date.UTC(2023, 2, 12, 7, 30) * 1000 + 0.5,
        incidentEndUs: Date.UTC(2023, 2, 12, 8, 30) * 1000,
      },
      {
        incident_start: { utc: '2023-03-12T07:30:00.000000Z', local: '2023-03-12T01:30:00.000000-06:00' },
        incident_end: { utc: '2023-03-12T08:30:00.000000Z', local: '2023-03-12T03:30:00.000000-05:00' },
        duration_s: 3600,
      },
    ],
  ])('%s', (_name, event, expected) => {
    expect(eventBody(event)).toMatchObject(expected);
  });
});
