import { Module } from '@nestjs/common';
import { InterpolationService } from './interpolation.service';

@Module({
  providers: [InterpolationService],
  exports: [InterpolationService],
})
export class InterpolationModule {}
