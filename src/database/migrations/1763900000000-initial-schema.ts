import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The first schema. DDL differs per store (collations, engines, text sizes), so each gets its
 * own statements; both describe the same tables.
 */
export class InitialSchema1763900000000 implements MigrationInterface {
  name = 'InitialSchema1763900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const mysql = queryRunner.connection.options.type === 'mysql';
    // Store ids are ASCII by the SPEC; a binary collation makes ORDER BY plain byte order,
    // the same as SQLite's and JavaScript's string order.
    const id = mysql ? 'VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin' : 'VARCHAR(64)';
    const table = mysql ? ' ENGINE=InnoDB DEFAULT CHARSET=utf8mb4' : '';
    const statements = [
      `CREATE TABLE poll (
         store_id ${id} NOT NULL,
         timestamp_us BIGINT NOT NULL,
         active BOOLEAN NOT NULL,
         PRIMARY KEY (store_id, timestamp_us)
       )${table}${mysql ? '' : ' WITHOUT ROWID'}`,
      `CREATE TABLE store (
         store_id ${id} NOT NULL PRIMARY KEY,
         last_poll_us BIGINT NULL
       )${table}`,
      `CREATE TABLE business_hours (
         id INTEGER NOT NULL PRIMARY KEY ${mysql ? 'AUTO_INCREMENT' : 'AUTOINCREMENT'},
         store_id ${id} NOT NULL,
         day_of_week SMALLINT NOT NULL,
         start_sec INT NOT NULL,
         end_sec INT NOT NULL
       )${table}`,
      `CREATE INDEX idx_business_hours_store ON business_hours (store_id)`,
      `CREATE TABLE store_timezone (
         store_id ${id} NOT NULL PRIMARY KEY,
         timezone_str VARCHAR(64) NOT NULL
       )${table}`,
      `CREATE TABLE report_status (
         id ${mysql ? 'VARCHAR(32) CHARACTER SET ascii COLLATE ascii_bin' : 'VARCHAR(32)'} NOT NULL PRIMARY KEY,
         status VARCHAR(16) NOT NULL,
         as_of_us BIGINT NULL,
         progress DOUBLE NOT NULL DEFAULT 0,
         row_count INT NULL,
         error TEXT NULL,
         created_at_ms BIGINT NOT NULL,
         completed_at_ms BIGINT NULL,
         csv ${mysql ? 'LONGTEXT' : 'TEXT'} NULL
       )${table}`,
      `CREATE INDEX idx_report_status_status ON report_status (status)`,
    ];
    for (const sql of statements) await queryRunner.query(sql);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const t of ['report_status', 'store_timezone', 'business_hours', 'store', 'poll']) {
      await queryRunner.query(`DROP TABLE ${t}`);
    }
  }
}
