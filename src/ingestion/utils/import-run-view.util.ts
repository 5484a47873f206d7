import type { ImportRunRecord } from '../../repositories/import-run.repository';
import type { ImportRunDto } from '../dto/import-run.dto';

/** The JSON of a run, as GET /imports shows it. */
export function importRunView(run: ImportRunRecord): ImportRunDto {
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  const stopped = run.stoppedAt as { feed: string; line: number; unconfirmed_rows?: number } | null;
  return {
    import_id: run.id,
    source: run.source,
    status: run.status,
    files: run.files,
    bytes_total: run.bytesTotal,
    bytes_read: run.bytesRead,
    progress: run.bytesTotal > 0 ? Math.min(1, run.bytesRead / run.bytesTotal) : run.status === 'Running' ? 0 : 1,
    summary: run.summary ?? null,
    error: run.error,
    stopped_at: stopped === null ? null : { feed: stopped.feed, line: stopped.line },
    unconfirmed_rows: stopped?.unconfirmed_rows ?? 0,
    instance: run.owner,
    created_at: new Date(run.createdAtMs).toISOString(),
    completed_at: iso(run.completedAtMs),
  };
}
