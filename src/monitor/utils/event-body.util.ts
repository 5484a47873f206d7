import { formatInstantUs } from '../../common/utils/format-instant-us.util';
import { formatLocalInstantUs, US_PER_SECOND } from '../../engine/utils';
import type { AlertEventRecord } from '../../repositories/alert-event.repository';
import type { AlertEventBodyDto } from '../dto/alert-event.dto';

/** An event as its webhook body and API answer give it: instants in UTC and on the store's wall clock. */
export function eventBody(event: AlertEventRecord): AlertEventBodyDto {
  const instant = (us: number) => ({ utc: formatInstantUs(us), local: formatLocalInstantUs(us, event.zone) });
  const end = event.incidentEndUs;
  return {
    id: String(event.id),
    type: event.type,
    store_id: event.storeId,
    incident_start: instant(event.incidentStartUs),
    incident_end: end === null ? null : instant(end),
    duration_s: end === null ? null : Math.round(end - event.incidentStartUs) / US_PER_SECOND,
    detected_at_as_of: instant(event.asOfUs),
  };
}
