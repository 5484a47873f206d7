import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** One business-hours row: day 0 = Monday … 6 = Sunday, times as seconds since local midnight. */
@Entity('business_hours')
@Index('idx_business_hours_store', ['storeId'])
export class BusinessHours {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ name: 'store_id', type: 'varchar', length: 64 })
  storeId: string;

  @Column({ name: 'day_of_week', type: 'smallint' })
  dayOfWeek: number;

  @Column({ name: 'start_sec', type: 'int' })
  startSec: number;

  /** 0 … 86400; 86400 is `24:00`. */
  @Column({ name: 'end_sec', type: 'int' })
  endSec: number;
}
