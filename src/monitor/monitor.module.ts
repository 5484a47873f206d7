import { Module } from '@nestjs/common';
import { AlertEventsService } from './alert-events.service';
import { BoardService } from './board.service';
import { EventsCommand } from './events.command';
import { MonitorService } from './monitor.service';
import { StatusCommand } from './status.command';
import { WebhookDeliverer } from './webhook-deliverer.service';

@Module({
  providers: [MonitorService, BoardService, AlertEventsService, WebhookDeliverer, StatusCommand, EventsCommand],
  exports: [MonitorService, BoardService, AlertEventsService, WebhookDeliverer],
})
export class MonitorModule {}
