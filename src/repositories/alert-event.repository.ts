import { inChunks } from '../common/utils/in-chunks.util';
import { SessionRepository } from './session-repository';

export type AlertEventType = 'store.down' | 'store.up';

/** One incident event as stored in `alert_event`. */
export interface AlertEventRecord {
  id: number;
  type: AlertEventType;
  storeId: string;
  incidentStartUs: number;
  /** store.up only. */
  incidentEndUs: number | null;
  /** The live as_of of the evaluation that recorded it. */
  asOfUs: number;
  /** The zone the store was computed in then (for local times). */
  zone: string;
  createdAtMs: number;
}

const COLUMNS = 'id, type, store_id, incident_start_us, incident_end_us, as_of_us, zone, created_at_ms';
type Row = [number, AlertEventType, string, number, number | null, number, string, number];

/** The key of an event: a store's incident is known by its start (SPEC §5). */
export const eventKey = (storeId: string, type: AlertEventType, startUs: number) => `${storeId} ${type} ${startUs}`;

/** `alert_event`: the store.down / store.up events, each recorded once, ids in the order they were recorded. */
export class AlertEventRepository extends SessionRepository {
  /** The keys (eventKey) of the events held for these stores with an incident starting at or after `fromUs`. */
  async keysOf(storeIds: readonly string[], fromUs: number): Promise<Set<string>> {
    const keys = new Set<string>();
    await inChunks(storeIds, 500, async (ids) => {
      const rows = await this.db.rows<[string, AlertEventType, number]>(
        `SELECT store_id, type, incident_start_us FROM alert_event
          WHERE store_id IN (${AlertEventRepository.placeholders(ids.length)}) AND incident_start_us >= ?`,
        [...ids, fromUs],
      );
      for (const [storeId, type, start] of rows) keys.add(eventKey(storeId, type, Number(start)));
    });
    return keys;
  }

  async insert(events: readonly AlertEventRecord[]): Promise<void> {
    await inChunks(events, 500, (chunk) =>
      this.db.run(
        `INSERT INTO alert_event (${COLUMNS}) VALUES ${AlertEventRepository.placeholders(chunk.length, '(?, ?, ?, ?, ?, ?, ?, ?)')}`,
        chunk.flatMap((e) => [e.id, e.type, e.storeId, e.incidentStartUs, e.incidentEndUs, e.asOfUs, e.zone, e.createdAtMs]),
      ),
    );
  }

  /** Newest first, before the id `beforeId` (all when undefined), filtered by type and store. */
  async page(options: {
    type?: AlertEventType;
    storeId?: string;
    beforeId?: number;
    limit: number;
  }): Promise<AlertEventRecord[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const filter = (sql: string, value: unknown) => {
      where.push(sql);
      params.push(value);
    };
    if (options.type !== undefined) filter('type = ?', options.type);
    if (options.storeId !== undefined) filter('store_id = ?', options.storeId);
    if (options.beforeId !== undefined) filter('id < ?', options.beforeId);
    const rows = await this.db.rows<Row>(
      `SELECT ${COLUMNS} FROM alert_event ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`,
      [...params, options.limit],
    );
    return rows.map(recordOf);
  }

  /** Up to `limit` events after the id `afterId`, oldest first. */
  async after(afterId: number, limit: number): Promise<AlertEventRecord[]> {
    const rows = await this.db.rows<Row>(`SELECT ${COLUMNS} FROM alert_event WHERE id > ? ORDER BY id LIMIT ?`, [afterId, limit]);
    return rows.map(recordOf);
  }

  async find(ids: readonly number[]): Promise<Map<number, AlertEventRecord>> {
    const found = new Map<number, AlertEventRecord>();
    await inChunks(ids, 500, async (chunk) => {
      const rows = await this.db.rows<Row>(
        `SELECT ${COLUMNS} FROM alert_event WHERE id IN (${AlertEventRepository.placeholders(chunk.length)})`,
        chunk,
      );
      for (const row of rows) found.set(Number(row[0]), recordOf(row));
    });
    return found;
  }
}

function recordOf([id, type, storeId, start, end, asOf, zone, created]: Row): AlertEventRecord {
  return {
    id: Number(id),
    type,
    storeId,
    incidentStartUs: Number(start),
    incidentEndUs: end == null ? null : Number(end),
    asOfUs: Number(asOf),
    zone,
    createdAtMs: Number(created),
  };
}
