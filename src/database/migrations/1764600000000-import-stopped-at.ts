import { MigrationInterface, QueryRunner } from 'typeorm';

/** An import that stopped part-way keeps where (the feed and line written to, the unconfirmed rows) beside what it wrote. */
export class ImportStoppedAt1764600000000 implements MigrationInterface {
  name = 'ImportStoppedAt1764600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE import_run ADD COLUMN stopped_at TEXT NULL');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE import_run DROP COLUMN stopped_at');
  }
}
