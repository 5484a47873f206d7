import { Column, Entity, PrimaryColumn } from 'typeorm';

export type ReportState = 'Running' | 'Complete' | 'Failed';

/**
 * A report and, once complete, its CSV. Kept in the database so that any instance of the
 * service can answer for it.
 */
@Entity('report_status')
export class ReportStatus {
  @PrimaryColumn({ type: 'varchar', length: 32 })
  id: string;

  @Column({ type: 'varchar', length: 16 })
  status: ReportState;

  /** The report's "now", microseconds since epoch; null until known. */
  @Column({ name: 'as_of_us', type: 'bigint', nullable: true })
  asOfUs: number | null;

  @Column({ type: 'double', default: 0 })
  progress: number;

  @Column({ name: 'row_count', type: 'int', nullable: true })
  rowCount: number | null;

  @Column({ type: 'text', nullable: true })
  error: string | null;

  /** Milliseconds since epoch (a number on both databases, no driver date conversions). */
  @Column({ name: 'created_at_ms', type: 'bigint' })
  createdAtMs: number;

  @Column({ name: 'completed_at_ms', type: 'bigint', nullable: true })
  completedAtMs: number | null;

  @Column({ type: 'text', nullable: true, select: false })
  csv: string | null;
}
