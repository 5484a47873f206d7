import { Global, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { EnvironmentVariables } from '../config/env.validation';
import { JobLeaseRepository } from '../repositories/job-lease.repository';
import { LeasedJobs, leaseSettingsOf } from './leased-jobs';

/** The lease machine, for every feature that runs leased work (reports, imports, singleton workers). */
@Global()
@Module({
  providers: [
    {
      provide: LeasedJobs,
      useFactory: (leases: JobLeaseRepository, config: ConfigService<EnvironmentVariables, true>) =>
        new LeasedJobs(leases, leaseSettingsOf(config)),
      inject: [JobLeaseRepository, ConfigService],
    },
  ],
  exports: [LeasedJobs],
})
export class JobsModule {}
