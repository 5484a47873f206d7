import { Injectable } from '@nestjs/common';
import { InvalidInputError } from '../common/errors/domain-errors';
import { checkStoreId } from '../common/utils/check-store-id.util';
import { parsePageLimit } from '../common/utils/parse-page-limit.util';
import { AlertDeliveryRepository, DeliveryRecord } from '../repositories/alert-delivery.repository';
import { AlertEventRepository, AlertEventType } from '../repositories/alert-event.repository';
import { MonitorStateRepository } from '../repositories/monitor-state.repository';
import { AlertEventListDto } from './dto/alert-event.dto';
import { deliverySummary } from './utils/delivery-summary.util';
import { eventBody } from './utils/event-body.util';

export const EVENTS_PAGE_SIZE = 50;
export const EVENTS_MAX_PAGE_SIZE = 500;
const TYPES: readonly AlertEventType[] = ['store.down', 'store.up'];

/** GET /events: the incident events newest first, each with its delivery state. */
@Injectable()
export class AlertEventsService {
  constructor(
    private readonly events: AlertEventRepository,
    private readonly deliveries: AlertDeliveryRepository,
    private readonly monitor: MonitorStateRepository,
  ) {}

  async list(query: { type?: unknown; store_id?: unknown; limit?: unknown; cursor?: unknown }): Promise<AlertEventListDto> {
    const { type, storeId, limit, beforeId } = parseEventsQuery(query);
    const [page, state] = await Promise.all([
      this.events.page({ type, storeId, beforeId, limit: limit + 1 }),
      this.monitor.read(),
    ]);
    const shown = page.slice(0, limit);
    const byEvent = new Map<number, DeliveryRecord[]>();
    for (const d of await this.deliveries.ofEvents(shown.map((e) => e.id))) {
      byEvent.set(d.eventId, [...(byEvent.get(d.eventId) ?? []), d]);
    }
    return {
      events: shown.map((event) => ({
        ...eventBody(event),
        created_at: new Date(event.createdAtMs).toISOString(),
        delivery: deliverySummary(byEvent.get(event.id) ?? [], event.id <= state.fannedOutId),
      })),
      next_cursor: page.length > limit ? String(shown[shown.length - 1].id) : null,
    };
  }
}

function parseEventsQuery(query: { type?: unknown; store_id?: unknown; limit?: unknown; cursor?: unknown }) {
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && typeof value !== 'string') throw new InvalidInputError(`${name} must be given once, as text`);
  }
  const { type, store_id: storeId, limit, cursor } = query as Record<string, string | undefined>;
  if (type !== undefined && type !== '' && !TYPES.includes(type as AlertEventType)) {
    throw new InvalidInputError(`type must be one of ${TYPES.join(', ')}`);
  }
  if (storeId !== undefined && storeId !== '') {
    const bad = checkStoreId(storeId);
    if (bad !== null) throw new InvalidInputError(`store_id: ${bad}`);
  }
  const size = parsePageLimit(limit, { size: EVENTS_PAGE_SIZE, max: EVENTS_MAX_PAGE_SIZE });
  if (cursor !== undefined && cursor !== '' && !/^[1-9]\d{0,15}$/.test(cursor)) {
    throw new InvalidInputError('cursor is malformed: pass the next_cursor of the page before');
  }
  return {
    type: type === '' ? undefined : (type as AlertEventType | undefined),
    storeId: storeId === '' ? undefined : storeId,
    limit: size,
    beforeId: cursor === undefined || cursor === '' ? undefined : Number(cursor),
  };
}
