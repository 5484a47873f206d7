import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Every store any accepted row of any feed has named (SPEC §2: the report has a row for each). */
@Entity('store')
export class Store {
  @PrimaryColumn({ name: 'store_id', type: 'varchar', length: 64 })
  storeId: string;

  /** Latest poll time of the store, kept by the imports so that the default as_of costs no scan. */
  @Column({ name: 'last_poll_us', type: 'bigint', nullable: true })
  lastPollUs: number | null;
}
