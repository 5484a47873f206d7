import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { InterpolationModule } from '../interpolation/interpolation.module';
import { ReportStatus } from './entities/report-status.entity';
import { ReportCommand } from './report.command';
import { ReportsController } from './reports.controller';
import { ReportsService } from './reports.service';

@Module({
  imports: [TypeOrmModule.forFeature([ReportStatus]), InterpolationModule],
  controllers: [ReportsController],
  providers: [ReportsService, ReportCommand],
  exports: [ReportsService],
})
export class ReportsModule {}
