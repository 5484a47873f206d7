import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { InterpolationModule } from '../interpolation/interpolation.module';
import { StoresModule } from '../stores/stores.module';
import { ReportStatus } from './entities/report-status.entity';
import { ReportBuilderService } from './report-builder.service';
import { ReportCommand } from './report.command';
import { ReportsController } from './reports.controller';
import { ReportsService } from './reports.service';

@Module({
  imports: [TypeOrmModule.forFeature([ReportStatus]), StoresModule, InterpolationModule],
  controllers: [ReportsController],
  providers: [ReportsService, ReportBuilderService, ReportCommand],
  exports: [ReportsService, ReportBuilderService],
})
export class ReportsModule {}
