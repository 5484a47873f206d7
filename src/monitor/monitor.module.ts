import { Module } from '@nestjs/common';
import { AlertEventsService } from './alert-events.service';
import { BoardService } from './board.service';
import { MonitorController } from './monitor.controller';
import { EventsCommand } from './events.command';
import { MonitorService } from './monitor.service';
import { StatusCommand } from './status.command';

@Module({
  controllers: [MonitorController],
  providers: [MonitorService, BoardService, AlertEventsService, StatusCommand, EventsCommand],
  exports: [MonitorService, BoardService, AlertEventsService],
})
export class MonitorModule {}
