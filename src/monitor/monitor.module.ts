import { Module } from '@nestjs/common';
import { AlertEventsService } from './alert-events.service';
import { BoardService } from './board.service';
import { MonitorController } from './monitor.controller';
import { MonitorService } from './monitor.service';

@Module({
  controllers: [MonitorController],
  providers: [MonitorService, BoardService, AlertEventsService],
  exports: [MonitorService, BoardService, AlertEventsService],
})
export class MonitorModule {}
