import { ApiProperty } from '@nestjs/swagger';
import { InstantDto } from '../../stores/dto/store-view.dto';

/** An event's delivery to one webhook URL. */
export class DeliveryTargetDto {
  @ApiProperty({ example: 'https://alerts.example.com/store-monitor' }) url: string;
  @ApiProperty({ enum: ['pending', 'delivered', 'failed'] }) state: string;
  @ApiProperty({ example: 1 }) attempts: number;
  @ApiProperty({ type: String, nullable: true, example: 'HTTP 503', description: 'why the last attempt failed' })
  last_error: string | null;
  @ApiProperty({ type: String, nullable: true, example: '2023-03-13T15:00:02.120Z' }) delivered_at: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'pending: when the next attempt is due' }) next_attempt_at:
    string | null;
}

/** An event's delivery, over its webhook URLs. */
export class DeliveryDto {
  @ApiProperty({
    enum: ['pending', 'delivered', 'failed', 'none'],
    description:
      'delivered: every URL answered 2xx; failed: a URL never did within ALERT_RETRY_H; pending: not yet; none: no webhook URL was set when it was dispatched',
  })
  state: 'pending' | 'delivered' | 'failed' | 'none';

  @ApiProperty({ example: 2, description: 'attempts over all URLs' })
  attempts: number;

  @ApiProperty({ type: () => [DeliveryTargetDto] })
  targets: DeliveryTargetDto[];
}

/** An incident event (SPEC §5), as POSTed to webhooks. */
export class AlertEventBodyDto {
  @ApiProperty({ example: '42', description: 'unique; also sent as X-Store-Monitor-Event-Id' })
  id: string;

  @ApiProperty({ enum: ['store.down', 'store.up'] })
  type: 'store.down' | 'store.up';

  @ApiProperty({ example: '1481966498820158979' })
  store_id: string;

  @ApiProperty({ type: () => InstantDto, description: 'the incident’s start: with store_id, what the incident is known by' })
  incident_start: InstantDto;

  @ApiProperty({ type: () => InstantDto, nullable: true, description: 'store.up: when it ended; store.down: null' })
  incident_end: InstantDto | null;

  @ApiProperty({ type: Number, nullable: true, example: 5400, description: 'store.up: its length in seconds' })
  duration_s: number | null;

  @ApiProperty({ type: () => InstantDto, description: 'the live as_of of the evaluation that found it' })
  detected_at_as_of: InstantDto;
}

/** An event with its delivery state. */
export class AlertEventDto extends AlertEventBodyDto {
  @ApiProperty({ example: '2023-03-13T15:00:01.250Z', description: 'when it was recorded' })
  created_at: string;

  @ApiProperty({ type: () => DeliveryDto })
  delivery: DeliveryDto;
}

/** GET /events: newest first. */
export class AlertEventListDto {
  @ApiProperty({ type: () => [AlertEventDto] })
  events: AlertEventDto[];

  @ApiProperty({ type: String, nullable: true, description: 'pass as cursor for the next page; null on the last page' })
  next_cursor: string | null;
}
