import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The live monitor (SPEC §5): the evaluation's one row (`monitor_state`: the as_of last
 * evaluated, the next event id, how far events were handed to the deliverer), each store's state
 * at that as_of (`store_state`, read by the board in its order), the incident events
 * (`alert_event`, one per (store, incident start, type)) and their webhook deliveries
 * (`alert_delivery`, one per event and target URL).
 *
 * Incident instants are midpoints of polls and may end in half a microsecond, so they are DOUBLE
 * (exact below 2^53), not BIGINT.
 */
export class LiveMonitor1764400000000 implements MigrationInterface {
  name = 'LiveMonitor1764400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const mysql = queryRunner.connection.options.type === 'mysql';
    const id = mysql ? 'VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin' : 'VARCHAR(64)';
    const table = mysql ? ' ENGINE=InnoDB DEFAULT CHARSET=utf8mb4' : '';
    const statements = [
      `CREATE TABLE monitor_state (
         id INT NOT NULL PRIMARY KEY,
         evaluated_as_of_us BIGINT NULL,
         evaluated_at_ms BIGINT NULL,
         next_event_id BIGINT NOT NULL,
         fanned_out_id BIGINT NOT NULL
       )${table}`,
      `INSERT INTO monitor_state (id, evaluated_as_of_us, evaluated_at_ms, next_event_id, fanned_out_id) VALUES (1, NULL, NULL, 1, 0)`,
      `CREATE TABLE store_state (
         store_id ${id} NOT NULL PRIMARY KEY,
         state_rank SMALLINT NOT NULL,
         since_us DOUBLE NOT NULL,
         open_incident_us DOUBLE NULL
       )${table}`,
      // The board's order: down first, longest down first, then up, closed, no data, by id.
      `CREATE INDEX idx_store_state_board ON store_state (state_rank, since_us, store_id)`,
      `CREATE TABLE alert_event (
         id BIGINT NOT NULL PRIMARY KEY,
         type VARCHAR(16) NOT NULL,
         store_id ${id} NOT NULL,
         incident_start_us DOUBLE NOT NULL,
         incident_end_us DOUBLE NULL,
         as_of_us BIGINT NOT NULL,
         zone VARCHAR(64) NOT NULL,
         created_at_ms BIGINT NOT NULL
       )${table}`,
      `CREATE UNIQUE INDEX idx_alert_event_incident ON alert_event (store_id, incident_start_us, type)`,
      `CREATE INDEX idx_alert_event_type ON alert_event (type, id)`,
      `CREATE TABLE alert_delivery (
         event_id BIGINT NOT NULL,
         target ${mysql ? 'CHAR(16) CHARACTER SET ascii COLLATE ascii_bin' : 'CHAR(16)'} NOT NULL,
         url TEXT NOT NULL,
         store_id ${id} NOT NULL,
         state VARCHAR(16) NOT NULL,
         attempts INT NOT NULL,
         next_attempt_at_ms BIGINT NOT NULL,
         last_error VARCHAR(200) NULL,
         delivered_at_ms BIGINT NULL,
         PRIMARY KEY (event_id, target)
       )${table}`,
      `CREATE INDEX idx_alert_delivery_state ON alert_delivery (state, event_id)`,
    ];
    for (const sql of statements) await queryRunner.query(sql);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const t of ['alert_delivery', 'alert_event', 'store_state', 'monitor_state']) await queryRunner.query(`DROP TABLE ${t}`);
  }
}
