import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One observation of the poller. Identified by (store_id, timestamp_us); the time is kept to
 * the microsecond as an integer, which is exact and compares the same on MySQL and SQLite.
 */
@Entity('poll')
export class Poll {
  @PrimaryColumn({ name: 'store_id', type: 'varchar', length: 64 })
  storeId: string;

  /** Microseconds since the Unix epoch (UTC). */
  @PrimaryColumn({ name: 'timestamp_us', type: 'bigint' })
  timestampUs: number;

  @Column({ type: 'boolean' })
  active: boolean;
}
