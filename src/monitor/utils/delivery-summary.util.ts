import type { DeliveryRecord } from '../../repositories/alert-delivery.repository';
import type { DeliveryDto } from '../dto/alert-event.dto';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/**
 * An event's delivery over its URLs: failed once a URL gave up, delivered once every URL took it,
 * pending while any is due; `none` when it was dispatched with no URL set.
 * @param dispatched whether the deliverer has made its deliveries yet (until then it is pending)
 */
export function deliverySummary(deliveries: readonly DeliveryRecord[], dispatched: boolean): DeliveryDto {
  const states = new Set(deliveries.map((d) => d.state));
  const state =
    !dispatched || states.has('pending')
      ? 'pending'
      : states.has('failed')
        ? 'failed'
        : deliveries.length > 0
          ? 'delivered'
          : 'none';
  return {
    state,
    attempts: deliveries.reduce((sum, d) => sum + d.attempts, 0),
    targets: deliveries.map((d) => ({
      url: d.url,
      state: d.state,
      attempts: d.attempts,
      last_error: d.lastError,
      delivered_at: iso(d.deliveredAtMs),
      next_attempt_at: d.state === 'pending' ? iso(d.nextAttemptAtMs) : null,
    })),
  };
}
