import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Reports become jobs owned by an instance that proves it is alive by a heartbeat; imports
 * become tracked runs (HTTP, CLI or inbox), and an inbox file is claimed through its run's
 * unique `inbox_key`.
 */
export class DurableJobs1764000000000 implements MigrationInterface {
  name = 'DurableJobs1764000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const mysql = queryRunner.connection.options.type === 'mysql';
    const ascii = (n: number) => (mysql ? `VARCHAR(${n}) CHARACTER SET ascii COLLATE ascii_bin` : `VARCHAR(${n})`);
    const table = mysql ? ' ENGINE=InnoDB DEFAULT CHARSET=utf8mb4' : '';
    const statements = [
      // SQLite adds one column per statement.
      `ALTER TABLE report_status ADD COLUMN owner ${ascii(64)} NULL`,
      `ALTER TABLE report_status ADD COLUMN heartbeat_at_ms BIGINT NULL`,
      `ALTER TABLE report_status ADD COLUMN started_at_ms BIGINT NULL`,
      // GET /reports pages newest first; claiming looks for the oldest Running report.
      `CREATE INDEX idx_report_status_created ON report_status (created_at_ms, id)`,
      `CREATE INDEX idx_report_status_status_created ON report_status (status, created_at_ms)`,
      `CREATE TABLE import_run (
         id ${ascii(32)} NOT NULL PRIMARY KEY,
         source VARCHAR(8) NOT NULL,
         files TEXT NOT NULL,
         status VARCHAR(16) NOT NULL,
         bytes_total BIGINT NOT NULL,
         bytes_read BIGINT NOT NULL DEFAULT 0,
         summary ${mysql ? 'MEDIUMTEXT' : 'TEXT'} NULL,
         error TEXT NULL,
         owner ${ascii(64)} NULL,
         heartbeat_at_ms BIGINT NULL,
         created_at_ms BIGINT NOT NULL,
         completed_at_ms BIGINT NULL,
         inbox_key ${ascii(64)} NULL
       )${table}`,
      `CREATE UNIQUE INDEX idx_import_run_inbox_key ON import_run (inbox_key)`,
      `CREATE INDEX idx_import_run_created ON import_run (created_at_ms, id)`,
      `CREATE INDEX idx_import_run_status ON import_run (status)`,
    ];
    for (const sql of statements) await queryRunner.query(sql);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const onTable = queryRunner.connection.options.type === 'mysql' ? ' ON report_status' : '';
    await queryRunner.query('DROP TABLE import_run');
    await queryRunner.query(`DROP INDEX idx_report_status_status_created${onTable}`);
    await queryRunner.query(`DROP INDEX idx_report_status_created${onTable}`);
    for (const column of ['started_at_ms', 'heartbeat_at_ms', 'owner']) {
      await queryRunner.query(`ALTER TABLE report_status DROP COLUMN ${column}`);
    }
  }
}
