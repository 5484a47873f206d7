import { inChunks } from '../common/utils/in-chunks.util';
import { SessionRepository } from './session-repository';

export type DeliveryState = 'pending' | 'delivered' | 'failed';

/** One event's delivery to one webhook URL, as stored in `alert_delivery`. */
export interface DeliveryRecord {
  eventId: number;
  /** A short hash of the URL: the key of the target. */
  target: string;
  url: string;
  storeId: string;
  state: DeliveryState;
  attempts: number;
  nextAttemptAtMs: number;
  lastError: string | null;
  deliveredAtMs: number | null;
}

const COLUMNS = 'event_id, target, url, store_id, state, attempts, next_attempt_at_ms, last_error, delivered_at_ms';
type Row = [number, string, string, string, DeliveryState, number, number, string | null, number | null];
const INSERT_IGNORE = { mysql: 'INSERT IGNORE INTO', sqlite: 'INSERT OR IGNORE INTO' };

/** `alert_delivery`: every event's delivery to each webhook URL, with its attempts. */
export class AlertDeliveryRepository extends SessionRepository {
  /** Records deliveries not recorded yet (one per event and target). */
  async insert(rows: readonly DeliveryRecord[]): Promise<void> {
    await inChunks(rows, 500, (chunk) =>
      this.db.run(
        `${INSERT_IGNORE[this.db.dialect]} alert_delivery (${COLUMNS}) VALUES ${AlertDeliveryRepository.placeholders(chunk.length, '(?, ?, ?, ?, ?, ?, ?, ?, ?)')}`,
        chunk.flatMap((d) => [
          d.eventId,
          d.target,
          d.url,
          d.storeId,
          d.state,
          d.attempts,
          d.nextAttemptAtMs,
          d.lastError,
          d.deliveredAtMs,
        ]),
      ),
    );
  }

  /** The deliveries of these events. */
  async ofEvents(eventIds: readonly number[]): Promise<DeliveryRecord[]> {
    const found: DeliveryRecord[] = [];
    await inChunks(eventIds, 500, async (ids) => {
      const rows = await this.db.rows<Row>(
        `SELECT ${COLUMNS} FROM alert_delivery WHERE event_id IN (${AlertDeliveryRepository.placeholders(ids.length)})`,
        ids,
      );
      found.push(...rows.map(recordOf));
    });
    return found;
  }

  /** The oldest pending deliveries (by event id: the order events were recorded in). */
  async pending(limit: number): Promise<DeliveryRecord[]> {
    const rows = await this.db.rows<Row>(
      `SELECT ${COLUMNS} FROM alert_delivery WHERE state = 'pending' ORDER BY event_id LIMIT ?`,
      [limit],
    );
    return rows.map(recordOf);
  }

  /** Records an attempt's outcome: delivered, failed for good, or pending again until `nextAttemptAtMs`. */
  async attempted(
    eventId: number,
    target: string,
    outcome: {
      state: DeliveryState;
      attempts: number;
      nextAttemptAtMs: number;
      lastError: string | null;
      deliveredAtMs: number | null;
    },
  ): Promise<void> {
    await this.db.run(
      `UPDATE alert_delivery SET state = ?, attempts = ?, next_attempt_at_ms = ?, last_error = ?, delivered_at_ms = ?
        WHERE event_id = ? AND target = ? AND state = 'pending'`,
      [outcome.state, outcome.attempts, outcome.nextAttemptAtMs, outcome.lastError, outcome.deliveredAtMs, eventId, target],
    );
  }

  /** Deliveries per state (for /metrics). */
  async counts(): Promise<Map<DeliveryState, number>> {
    const rows = await this.db.rows<[DeliveryState, number]>('SELECT state, COUNT(*) FROM alert_delivery GROUP BY state');
    return new Map(rows.map(([state, n]) => [state, Number(n)]));
  }
}

function recordOf([eventId, target, url, storeId, state, attempts, next, lastError, deliveredAt]: Row): DeliveryRecord {
  return {
    eventId: Number(eventId),
    target,
    url,
    storeId,
    state,
    attempts: Number(attempts),
    nextAttemptAtMs: Number(next),
    lastError,
    deliveredAtMs: deliveredAt == null ? null : Number(deliveredAt),
  };
}
