import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An index on store.last_poll_us: the default as_of is MAX(last_poll_us), which the store view
 * asks for on every request. With the index both databases answer it with one seek at the end
 * of the index instead of reading every store's row.
 */
export class StoreLastPollIndex1764200000000 implements MigrationInterface {
  name = 'StoreLastPollIndex1764200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('CREATE INDEX idx_store_last_poll ON store (last_poll_us)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const mysql = queryRunner.connection.options.type === 'mysql';
    await queryRunner.query(mysql ? 'DROP INDEX idx_store_last_poll ON store' : 'DROP INDEX idx_store_last_poll');
  }
}
