import { Module } from '@nestjs/common';
import { StoreCommand } from './store.command';
import { StoreViewService } from './store-view.service';
import { StoresController } from './stores.controller';
import { StoresService } from './stores.service';

@Module({
  controllers: [StoresController],
  providers: [StoresService, StoreViewService, StoreCommand],
  exports: [StoresService],
})
export class StoresModule {}
