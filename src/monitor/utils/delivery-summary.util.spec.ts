import type { DeliveryRecord } from '../../repositories/alert-delivery.repository';
import { deliverySummary } from './delivery-summary.util';

const to = (state: DeliveryRecord['state'], attempts: number): DeliveryRecord => ({
  eventId: 1,
  target: 't',
  url: 'http://127.0.0.1:9/hook',
  storeId: 's',
  state,
  attempts,
  nextAttemptAtMs: 0,
  lastError: null,
  deliveredAtMs: state === 'delivered' ? 0 : null,
});

describe('deliverySummary', () => {
  it.each<[string, DeliveryRecord[], boolean, string, number]>([
    ['not dispatched yet', [], false, 'pending', 0],
    ['dispatched with no URL set', [], true, 'none', 0],
    ['every URL took it', [to('delivered', 1), to('delivered', 3)], true, 'delivered', 4],
    ['one URL still due', [to('delivered', 1), to('pending', 2)], true, 'pending', 3],
    ['one URL gave up', [to('failed', 9), to('delivered', 1)], true, 'failed', 10],
  ])('%s', (_name, deliveries, dispatched, state, attempts) => {
    const summary = deliverySummary(deliveries, dispatched);
    expect([summary.state, summary.attempts, summary.targets.length]).toEqual([state, attempts, deliveries.length]);
  });
});
