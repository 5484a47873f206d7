import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A named lease for work that one instance at a time does (a singleton worker): its owner, and
 * the heartbeat that proves the owner alive. Row jobs (reports) keep their lease in their own row.
 */
export class JobLease1764400000000 implements MigrationInterface {
  name = 'JobLease1764400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const mysql = queryRunner.connection.options.type === 'mysql';
    const ascii = (n: number) => (mysql ? `VARCHAR(${n}) CHARACTER SET ascii COLLATE ascii_bin` : `VARCHAR(${n})`);
    await queryRunner.query(
      `CREATE TABLE job_lease (
         name ${ascii(100)} NOT NULL PRIMARY KEY,
         owner ${ascii(64)} NULL,
         heartbeat_at_ms BIGINT NULL
       )${mysql ? ' ENGINE=InnoDB DEFAULT CHARSET=utf8mb4' : ''}`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE job_lease');
  }
}
