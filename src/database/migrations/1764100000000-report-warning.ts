import { MigrationInterface, QueryRunner } from 'typeorm';

/** A finished report may carry a warning for its reader (an as_of before every poll). */
export class ReportWarning1764100000000 implements MigrationInterface {
  name = 'ReportWarning1764100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE report_status ADD COLUMN warning TEXT NULL');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE report_status DROP COLUMN warning');
  }
}
