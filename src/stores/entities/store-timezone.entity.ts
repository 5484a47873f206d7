import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity('store_timezone')
export class StoreTimezone {
  @PrimaryColumn({ name: 'store_id', type: 'varchar', length: 64 })
  storeId: string;

  @Column({ name: 'timezone_str', type: 'varchar', length: 64 })
  timezoneStr: string;
}
